/** The rows on screen (after filters) as export rows and legend lines. Pure. */
import type { FlowModel } from '../model/normalize.ts';
import { formatRowTime, type RowTimeMode, type Zone, zoneLabel } from '../model/time-format.ts';
import type { ExportRow } from '../ladder/export.ts';
import { itemText, kindOf } from '../ladder/kinds.ts';
import type { FlowView } from './view-model.ts';

export function exportRows(model: FlowModel, fv: FlowView, mode: RowTimeMode, zone: Zone): ExportRow[] {
  return fv.layout.rows.map((r, i) => {
    const m = model.messages[r.message];
    const prev = i > 0 ? model.messages[fv.layout.rows[i - 1].message].ts : null;
    const marks: string[] = [];
    if (m.hasSdp) marks.push('SDP');
    if (m.retransmission) marks.push('retransmission');
    if (m.captureIds.length > 1) marks.push(`seen at ${m.captureIds.length}`);
    if (m.malformed !== null) marks.push('malformed');
    return {
      time: formatRowTime(m.ts, mode, zone, prev, model.firstTs),
      // Logs, REST and reports export with the text they show on screen (ladder/kinds.ts).
      label: kindOf(m) === 'sip' ? m.label : itemText(m),
      marks,
      legPosition: m.legPosition,
      status: m.status,
      retransmission: m.retransmission,
      src: fv.layout.columns[r.from].key,
      dst: fv.layout.columns[r.to].key,
      leg: `leg ${m.leg + 1}`,
    };
  });
}

export function legendLines(model: FlowModel, fv: FlowView): { position: number; text: string }[] {
  return model.legs
    .map((l, position) => ({ l, position }))
    .filter(({ l }) => !fv.hiddenLegs.has(l.index))
    .map(({ l, position }) => ({
      position,
      text: `${l.index + 1}. ${l.roleText} · ${l.callId}${l.links.length > 0 ? ` · ${l.links.map((x) => x.text).join('; ')}` : ''}`,
    }));
}

export function timeHeader(mode: RowTimeMode, zone: Zone, at: number): string {
  const what = mode === 'abs' ? 'absolute time' : mode === 'delta-prev' ? 'seconds since previous' : 'seconds since first';
  return `${what}, ${zoneLabel(zone, at)}`;
}
