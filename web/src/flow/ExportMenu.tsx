/** Export what is on screen (after side, leg and column filters): SVG, PNG, text, pcap. */
import { useState } from 'react';
import type { FlowModel } from '../model/normalize.ts';
import type { RowTimeMode, Zone } from '../model/time-format.ts';
import type { FlowView } from './view-model.ts';
import { ladderSvg, ladderText } from '../ladder/export.ts';
import { PALETTES } from '../ladder/colors.ts';
import { MAX_PCAP_IDS, pcapUrl } from '../api/client.ts';
import { usePrefs } from '../state/store.prefs.ts';
import { exportRows, legendLines, timeHeader } from './export-rows.ts';
import { PNG_MAX_ROWS, fileBase, saveBlob, saveText, svgToPng } from './download.ts';
import './ExportMenu.css';

interface Props {
  model: FlowModel;
  fv: FlowView;
  timeMode: RowTimeMode;
  zone: Zone;
}

export function ExportMenu({ model, fv, timeMode, zone }: Props) {
  const theme = usePrefs((s) => s.theme);
  const [note, setNote] = useState<string | null>(null);
  const base = fileBase(model.id);

  const svgFor = (maxRows: number) => {
    const rows = exportRows(model, fv, timeMode, zone);
    const layout = rows.length > maxRows ? { ...fv.layout, rows: fv.layout.rows.slice(0, maxRows), height: maxRows * fv.layout.rowHeight } : fv.layout;
    return ladderSvg({
      layout,
      rows: rows.slice(0, maxRows),
      columnLabels: fv.layout.columns.map((c) => c.key),
      title: `${model.id} · ${model.legs.length} legs · side: ${fv.pivotKey ?? '—'}`,
      timeHeader: timeHeader(timeMode, zone, model.firstTs),
      legend: legendLines(model, fv),
      palette: PALETTES[theme],
    });
  };

  const run = async (what: string) => {
    setNote(null);
    try {
      if (what === 'svg') saveText(svgFor(Infinity), `${base}.svg`, 'image/svg+xml');
      else if (what === 'png') {
        saveBlob(await svgToPng(svgFor(PNG_MAX_ROWS)), `${base}.png`);
        if (fv.layout.rows.length > PNG_MAX_ROWS) setNote(`PNG holds the first ${PNG_MAX_ROWS} rows; SVG holds all.`);
      } else if (what === 'text') {
        saveText(ladderText(model.id, timeHeader(timeMode, zone, model.firstTs), exportRows(model, fv, timeMode, zone)), `${base}.txt`, 'text/plain');
      }
    } catch (err) {
      setNote(`Export failed: ${(err as Error).message}`);
    }
  };

  // Of a group still loading, what is on screen is not yet what the filters select: wait for it.
  const waiting = !model.complete;
  const waitTitle = waiting ? 'Export waits for the whole group to load' : undefined;
  const shownAll = fv.layout.rows.length === model.messages.length;
  const ids = shownAll || waiting ? null : fv.layout.rows.flatMap((r) => [model.messages[r.message].id, ...model.messages[r.message].duplicateIds]);
  const pcapPartial = ids !== null && ids.length > MAX_PCAP_IDS;

  return (
    <div className="ExportMenu" role="group" aria-label="Export">
      <span className="ExportMenu--label">Export</span>
      <button type="button" className="btn" onClick={() => void run('svg')} disabled={waiting} title={waitTitle} data-testid="export-svg">
        SVG
      </button>
      <button type="button" className="btn" onClick={() => void run('png')} disabled={waiting} title={waitTitle} data-testid="export-png">
        PNG
      </button>
      <button type="button" className="btn" onClick={() => void run('text')} disabled={waiting} title={waitTitle} data-testid="export-text">
        Text
      </button>
      {waiting ? (
        <button type="button" className="btn" disabled title={waitTitle} data-testid="export-pcap">
          pcap
        </button>
      ) : (
        <a
          className="btn"
          href={pcapUrl(model.id, ids)}
          download={`${base}.pcap`}
          data-testid="export-pcap"
          title={pcapPartial ? `More than ${MAX_PCAP_IDS} messages shown: the pcap holds the whole group` : 'The messages shown, as a pcap file'}
        >
          pcap
        </a>
      )}
      {note && (
        <span role="status" className="ExportMenu--note">
          {note}
        </span>
      )}
    </div>
  );
}
