/** The columns with show/hide, move up/down (keyboard reorder) and pivot choice. */
import type { ColumnDef } from '../ladder/columns.ts';
import './EndpointList.css';

interface Props {
  columns: ColumnDef[];
  hidden: ReadonlySet<string>;
  pivotKey: string | null;
  onToggle(key: string): void;
  onMove(key: string, to: number): void;
  onPivot(key: string): void;
}

export function EndpointList({ columns, hidden, pivotKey, onToggle, onMove, onPivot }: Props) {
  return (
    <section className="EndpointList" aria-labelledby="endpoints-title">
      <h2 id="endpoints-title" className="FlowView--h">
        Endpoints
      </h2>
      <ol className="EndpointList--list">
        {columns.map((c, i) => (
          <li key={c.key} className={`EndpointList--item${hidden.has(c.key) ? ' is-hidden' : ''}`} data-testid="endpoint-item" data-key={c.key}>
            <label className="EndpointList--name">
              <input type="checkbox" checked={!hidden.has(c.key)} onChange={() => onToggle(c.key)} aria-label={`Show column ${c.key}`} />
              <span className="mono">{c.key}</span>
              {c.aliases.length > 0 && !c.aliases.includes(c.key) && <span className="EndpointList--alias">{c.aliases.join(', ')}</span>}
            </label>
            <span className="EndpointList--tools">
              <button type="button" className="btn FlowView--mini" disabled={i === 0} onClick={() => onMove(c.key, i - 1)} aria-label={`Move ${c.key} left`}>
                ←
              </button>
              <button type="button" className="btn FlowView--mini" disabled={i === columns.length - 1} onClick={() => onMove(c.key, i + 1)} aria-label={`Move ${c.key} right`}>
                →
              </button>
              <button type="button" className="btn FlowView--mini" aria-pressed={c.key === pivotKey} onClick={() => onPivot(c.key)} aria-label={`Make ${c.key} the pivot`}>
                pivot
              </button>
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
