/** The flow view's controls: side and pivot, grouping, time mode and zone, zoom, share, export. */
import { useState } from 'react';
import type { FlowModel } from '../model/normalize.ts';
import type { FlowView } from './view-model.ts';
import { type FlowUrlState, flowHref, type TimeMode, type TimeZoneMode } from '../state/url-state.ts';
import { usePrefs } from '../state/store.prefs.ts';
import type { Grouping } from '../ladder/columns.ts';
import type { SideMode } from '../ladder/sides.ts';
import { clampScale } from '../ladder/zoom-math.ts';
import { ExportMenu } from './ExportMenu.tsx';
import './FlowToolbar.css';

interface Props {
  model: FlowModel;
  routeId: string;
  url: FlowUrlState;
  setUrl(patch: Partial<FlowUrlState>): void;
  fv: FlowView;
  timeMode: TimeMode;
  zone: TimeZoneMode;
  k: number;
  onZoom(k: number): void;
}

const SIDES: { id: SideMode; label: string }[] = [
  { id: 'both', label: 'Both' },
  { id: 'caller', label: 'Caller side' },
  { id: 'callee', label: 'Callee side' },
];

/** Zoom step of the + / − buttons: five presses double or halve the spacing. */
const ZOOM_STEP = 1.15;

export function FlowToolbar({ model, routeId, url, setUrl, fv, timeMode, zone, k, onZoom }: Props) {
  const prefs = usePrefs();
  const [copied, setCopied] = useState<string | null>(null);
  const link = `${location.origin}${flowHref(routeId, { ...url, timeMode, timeZone: zone })}`;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied('Link copied');
    } catch {
      // Clipboard refused (insecure origin, permissions): show the link to copy by hand.
      setCopied(link);
    }
  };

  return (
    <div className="FlowToolbar" role="toolbar" aria-label="Flow controls">
      <div className="FlowToolbar--title">
        <strong className="mono" title={model.callIds.join('\n')}>
          {model.id}
        </strong>
        <span className="FlowToolbar--meta">
          {model.legs.length} leg{model.legs.length === 1 ? '' : 's'} · {model.messages.length} messages · {fv.layout.rows.length} shown
          {!model.complete && (
            <span role="status" data-testid="loading-rest">
              {' '}
              · loading the rest of the group…
            </span>
          )}
        </span>
      </div>
      <div className="FlowToolbar--group" role="radiogroup" aria-label="Side">
        {SIDES.map((s) => (
          <button key={s.id} type="button" role="radio" aria-checked={url.side === s.id} aria-pressed={url.side === s.id} className="btn" onClick={() => setUrl({ side: s.id })} data-testid={`side-${s.id}`}>
            {s.label}
          </button>
        ))}
      </div>
      <label>
        Pivot{' '}
        <select
          value={fv.pivotKey ?? ''}
          onChange={(e) => setUrl({ pivot: fv.columns.find((c) => c.key === e.target.value)?.endpoints[0] ?? null })}
          data-testid="pivot-select"
        >
          {fv.columns.map((c) => (
            <option key={c.key} value={c.key}>
              {c.key}
              {c.aliases.length > 0 && !c.aliases.includes(c.key) ? ` (${c.aliases.join(', ')})` : ''}
            </option>
          ))}
        </select>
      </label>
      <label>
        Columns{' '}
        <select value={url.grouping} onChange={(e) => setUrl({ grouping: e.target.value as Grouping, columnOrder: [], hiddenColumns: [] })} data-testid="grouping-select">
          <option value="ip:port">IP:port</option>
          <option value="ip">IP</option>
          <option value="alias">Alias</option>
        </select>
      </label>
      <label>
        Time{' '}
        <select
          value={timeMode}
          onChange={(e) => {
            const v = e.target.value as TimeMode;
            prefs.setTimeMode(v);
            setUrl({ timeMode: v });
          }}
          data-testid="time-mode"
        >
          <option value="abs">Absolute</option>
          <option value="delta-prev">Δ previous</option>
          <option value="delta-first">Δ first</option>
        </select>
      </label>
      <label>
        Zone{' '}
        <select
          value={zone}
          onChange={(e) => {
            const v = e.target.value as TimeZoneMode;
            prefs.setTimeZone(v);
            setUrl({ timeZone: v });
          }}
          data-testid="time-zone"
        >
          <option value="utc">UTC</option>
          <option value="local">Browser local</option>
        </select>
      </label>
      <div className="FlowToolbar--group" aria-label="Zoom">
        <button type="button" className="btn" onClick={() => onZoom(clampScale(k / ZOOM_STEP))} aria-label="Narrower columns">
          −
        </button>
        <button type="button" className="btn" onClick={() => onZoom(1)} aria-label="Reset column width">
          {Math.round(k * 100)}%
        </button>
        <button type="button" className="btn" onClick={() => onZoom(clampScale(k * ZOOM_STEP))} aria-label="Wider columns">
          +
        </button>
      </div>
      <button type="button" className="btn" onClick={() => void copy()} data-testid="copy-link">
        Copy link
      </button>
      <ExportMenu model={model} fv={fv} timeMode={timeMode} zone={zone} />
      <span className="FlowToolbar--copied" role="status" aria-live="polite" data-testid="copy-status">
        {copied}
      </span>
    </div>
  );
}
