/** Two messages side by side, differing lines highlighted (sngrep's message diff). */
import { useMessagesQuery } from '../api/queries.ts';
import type { FlowMessage, FlowModel } from '../model/normalize.ts';
import { formatDateTime, formatDelta, type Zone } from '../model/time-format.ts';
import { lineDiff, sipLines } from './diff.ts';
import './ComparePane.css';

interface Props {
  ids: readonly string[];
  model: FlowModel;
  byId: ReadonlyMap<string, FlowMessage>;
  zone: Zone;
  onClose(): void;
  onDrop(id: string): void;
}

export function ComparePane({ ids, model, byId, zone, onClose, onDrop }: Props) {
  const qs = useMessagesQuery(ids);
  const [a, b] = qs.map((q) => q.data);
  const diff = a && b ? lineDiff(sipLines(a.raw), sipLines(b.raw)) : null;
  const changes = diff ? diff.left.filter((l) => l.changed).length + diff.right.filter((l) => l.changed).length : 0;
  return (
    <section className="DetailPane DetailPane--compare" aria-label="Compare two messages" data-testid="compare">
      <header className="DetailPane--head">
        <h2 className="DetailPane--title">Compare · {diff ? `${changes} differing line${changes === 1 ? '' : 's'}` : 'loading…'}</h2>
        <button type="button" className="btn" onClick={onClose} aria-label="Close compare (Esc)">
          ✕
        </button>
      </header>
      {qs.some((q) => q.isError) && <p role="alert">Could not load a message.</p>}
      <div className="Compare--cols">
        {ids.map((id, side) => {
          const m = byId.get(id)!;
          const lines = diff ? (side === 0 ? diff.left : diff.right) : [];
          return (
            <div key={id} className="Compare--col">
              <div className="Compare--meta">
                <strong>{m.label}</strong> <span className="mono">{m.src} → {m.dst}</span>
                <br />
                <span className="mono">
                  {formatDateTime(m.ts, zone)} ({formatDelta(m.ts - model.firstTs)} s)
                </span>{' '}
                <button type="button" className="btn FlowView--mini" onClick={() => onDrop(id)}>
                  Drop
                </button>
              </div>
              <pre className="DetailPane--raw mono" data-testid={`compare-raw-${side}`}>
                {lines.map((l, i) => (
                  <span key={i} className={l.changed ? 'Compare--changed' : undefined} data-changed={l.changed ? 'true' : undefined}>
                    {l.text}
                    {'\n'}
                  </span>
                ))}
              </pre>
            </div>
          );
        })}
      </div>
    </section>
  );
}
