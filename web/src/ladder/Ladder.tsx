/**
 * The ladder: a sticky endpoint header, lifelines, and only the rows in view (row-index.ts).
 * React renders every node; D3 only supplies the zoom behaviour (zoom.ts).
 */
import { useEffect, useMemo, useRef } from 'react';
import type { FlowModel } from '../model/normalize.ts';
import { formatDateTime, formatRowTime, type RowTimeMode, type Zone } from '../model/time-format.ts';
import type { ColumnDef } from './columns.ts';
import type { LadderLayout } from './layout.ts';
import type { Side } from './sides.ts';
import { scrollToReveal, uniformRowIndex } from './row-index.ts';
import { LadderHeader } from './LadderHeader.tsx';
import { LadderRow } from './LadderRow.tsx';
import { attachZoom, type ZoomHandle } from './zoom.ts';
import { flagsByMessage } from './media-flags.ts';
import { problemsByMessage } from './problem-marks.ts';
import { useVirtualRows } from '../ui/useVirtualRows.ts';
import { useLiveScroll } from '../live/useLiveScroll.ts';
import './Ladder.css';

/** Width of the time column, px: "+12345.123456" in 12 px monospace. */
export const TIME_WIDTH = 124;
/** Height of the sticky header, px: label, alias line and tool buttons. */
export const HEADER_HEIGHT = 58;
/**
 * Rows are keyed by slot (row index modulo this), not by message: while scrolling, React updates
 * the coordinates and text of the row elements already there instead of creating new ones.
 * Must exceed the rows ever in view (a 4K screen: 2160 / 28 + 2 × overscan ≈ 94).
 */
const ROW_SLOTS = 256;

export interface LadderProps {
  model: FlowModel;
  layout: LadderLayout;
  /** Visible columns, in layout order. */
  columns: ColumnDef[];
  sides: Side[];
  pivotKey: string | null;
  timeMode: RowTimeMode;
  zone: Zone;
  timeLabel: string;
  selected: ReadonlySet<string>;
  /** Displayed-row index of the keyboard cursor, -1 for none. */
  cursor: number;
  /** Scroll request: a displayed-row index; `token` changes to repeat the same row. */
  reveal: { row: number; token: number } | null;
  k: number;
  onZoom(k: number): void;
  onPick(messageIndex: number, additive: boolean): void;
  onMoveColumn(key: string, to: number): void;
  onHideColumn(key: string): void;
  onPivot(key: string): void;
}

export function Ladder(p: LadderProps) {
  const { layout, model, k } = p;
  const scroller = useRef<HTMLDivElement>(null);
  const zoomRef = useRef<ZoomHandle | null>(null);
  const index = useMemo(() => uniformRowIndex(layout.rows.length, layout.rowHeight), [layout]);
  const { start, end } = useVirtualRows(scroller, index, HEADER_HEIGHT);
  // Media flags marked on the SDP or RTCP message that caused them (same lists every render: rows are memoized).
  const mediaFlags = useMemo(() => flagsByMessage(model.media), [model.media]);
  // Call problems marked on the message each names, the same way.
  const problems = useMemo(() => problemsByMessage(model.problems), [model.problems]);
  useLiveScroll(scroller, layout, model, HEADER_HEIGHT);

  const onZoom = p.onZoom;
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    zoomRef.current = attachZoom(el, (t) => onZoom(t.k));
    return () => zoomRef.current?.destroy();
  }, [onZoom]);

  // Keep d3-zoom's own transform in step when the toolbar buttons change the scale.
  useEffect(() => {
    const z = zoomRef.current;
    if (z && Math.abs(z.current() - k) > 1e-9) z.scaleTo(k);
  }, [k]);

  const reveal = p.reveal;
  useEffect(() => {
    const el = scroller.current;
    if (!el || reveal === null || reveal.row < 0) return;
    const view = el.clientHeight - HEADER_HEIGHT;
    const next = scrollToReveal(index, reveal.row, el.scrollTop, view);
    if (next !== el.scrollTop) el.scrollTop = next;
  }, [reveal, index]);

  const colW = layout.columnWidth * k;
  const width = layout.width * k;
  const xs = layout.columns.map((c) => c.x * k);
  const pivotPos = p.columns.findIndex((c) => c.key === p.pivotKey);
  const rows = [];
  for (let i = start; i < end; i++) {
    const row = layout.rows[i];
    const m = model.messages[row.message];
    const prev = i > 0 ? model.messages[layout.rows[i - 1].message].ts : null;
    rows.push(
      <LadderRow
        key={i % ROW_SLOTS}
        row={row}
        message={m}
        mediaFlags={mediaFlags.get(m.id)}
        problems={problems.get(m.id)}
        side={p.sides[row.message]}
        time={formatRowTime(m.ts, p.timeMode, p.zone, prev, model.firstTs)}
        timeTitle={formatDateTime(m.ts, p.zone)}
        k={k}
        width={width}
        height={layout.rowHeight}
        selected={p.selected.has(m.id)}
        cursor={i === p.cursor}
        onPick={p.onPick}
      />,
    );
  }

  return (
    <div
      className="Ladder"
      ref={scroller}
      tabIndex={0}
      data-testid="ladder"
      data-rows={layout.rows.length}
      aria-busy={!model.complete}
      aria-label={`Ladder, ${layout.rows.length} messages. j and k move, Enter opens, Space marks for compare, Esc closes.`}
    >
      <LadderHeader
        columns={p.columns}
        xs={xs}
        columnWidth={colW}
        timeWidth={TIME_WIDTH}
        timeLabel={p.timeLabel}
        pivotKey={p.pivotKey}
        onMove={p.onMoveColumn}
        onHide={p.onHideColumn}
        onPivot={p.onPivot}
      />
      <div className="Ladder--body" style={{ height: layout.height, width: TIME_WIDTH + width }}>
        <div
          className="Ladder--lifelines"
          style={{ left: TIME_WIDTH, width, backgroundSize: `${colW}px 100%`, backgroundPositionX: `${colW / 2 - 0.5}px` }}
        />
        {pivotPos >= 0 && <div className="Ladder--pivotline" style={{ left: TIME_WIDTH + xs[pivotPos] - 1 }} />}
        {rows}
        {layout.rows.length === 0 && (
          <p className="Ladder--empty">{model.complete ? 'No message matches the current filters (side, hidden legs or columns).' : 'Loading the rest of the group…'}</p>
        )}
      </div>
    </div>
  );
}
