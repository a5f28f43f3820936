/**
 * Sticky column header: one cell per endpoint column, draggable to reorder, Alt+←/→ to move by
 * keyboard, with buttons to make it the pivot or hide it.
 */
import { type DragEvent, type KeyboardEvent, useState } from 'react';
import type { ColumnDef } from './columns.ts';
import './LadderHeader.css';

interface Props {
  columns: ColumnDef[];
  /** Centre of each column, screen px from the left of the arrow area. */
  xs: number[];
  columnWidth: number;
  timeWidth: number;
  timeLabel: string;
  pivotKey: string | null;
  onMove(key: string, to: number): void;
  onHide(key: string): void;
  onPivot(key: string): void;
}

export function LadderHeader({ columns, xs, columnWidth, timeWidth, timeLabel, pivotKey, onMove, onHide, onPivot }: Props) {
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<number | null>(null);

  const onKey = (e: KeyboardEvent, key: string, i: number) => {
    if (!e.altKey) return;
    if (e.key === 'ArrowLeft') onMove(key, i - 1);
    else if (e.key === 'ArrowRight') onMove(key, i + 1);
    else return;
    e.preventDefault();
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-endpoint="${CSS.escape(key)}"]`)?.focus());
  };

  const onDrop = (e: DragEvent, i: number) => {
    e.preventDefault();
    const key = e.dataTransfer.getData('text/x-hepflow-column') || dragging;
    if (key) onMove(key, i);
    setDragging(null);
    setOver(null);
  };

  return (
    <div className="LadderHeader" style={{ width: timeWidth + columnWidth * columns.length }}>
      <div className="LadderHeader--corner" style={{ width: timeWidth }}>
        {timeLabel}
      </div>
      {columns.map((c, i) => {
        const isPivot = c.key === pivotKey;
        const sub = c.aliases.length > 0 && !c.aliases.includes(c.key) ? c.aliases.join(', ') : c.endpoints.length > 1 ? `${c.endpoints.length} endpoints` : '';
        return (
          <div
            key={c.key}
            className={`LadderHeader--col${isPivot ? ' is-pivot' : ''}${over === i ? ' is-over' : ''}`}
            style={{ left: timeWidth + xs[i] - columnWidth / 2, width: columnWidth }}
            data-testid="endpoint"
            data-endpoint={c.key}
            data-pivot={isPivot ? 'true' : undefined}
            tabIndex={0}
            draggable
            title={`${c.endpoints.join('\n')}\nDrag, or Alt+←/→, to move`}
            aria-label={`Column ${c.key}${isPivot ? ', pivot' : ''}. Alt+Left or Alt+Right moves it.`}
            onKeyDown={(e) => onKey(e, c.key, i)}
            onDragStart={(e) => {
              e.dataTransfer.setData('text/x-hepflow-column', c.key);
              e.dataTransfer.effectAllowed = 'move';
              setDragging(c.key);
            }}
            onDragOver={(e) => {
              e.preventDefault();
              setOver(i);
            }}
            onDragLeave={() => setOver((o) => (o === i ? null : o))}
            onDrop={(e) => onDrop(e, i)}
            onDragEnd={() => {
              setDragging(null);
              setOver(null);
            }}
          >
            <span className="LadderHeader--label mono">{c.key}</span>
            {sub && <span className="LadderHeader--sub">{sub}</span>}
            <span className="LadderHeader--tools">
              <button type="button" className="LadderHeader--btn" aria-pressed={isPivot} title="Make this column the pivot of the side control" onClick={() => onPivot(c.key)} data-testid="make-pivot">
                {isPivot ? '◉ pivot' : '◎'}
              </button>
              <button type="button" className="LadderHeader--btn" title="Hide this column" aria-label={`Hide column ${c.key}`} onClick={() => onHide(c.key)}>
                ✕
              </button>
            </span>
          </div>
        );
      })}
    </div>
  );
}
