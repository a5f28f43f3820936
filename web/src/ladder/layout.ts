/**
 * The ladder's geometry: (messages, view options) → columns, rows and arrows in world units.
 * No DOM, colours or formatted strings (Jaeger generateRowStates.ts; Homer 11 buildFlow).
 *
 * Assumes `messages` are in the server's time order and `sides[i]` is the side of
 * `messages[i]` (sides.ts). Columns come in display order and are the visible ones only: a
 * message whose source or destination column is not among them is left out, as is a message of
 * a hidden leg or of a side the side mode hides.
 */
import type { WorldPx } from '../model/units.ts';
import { type Side, type SideMode, sideVisible } from './sides.ts';

/** Room for a label like "183 Session Progress" plus the SDP/seen-at marks. */
export const COLUMN_WIDTH: WorldPx = 180;
/** One text line plus the arrow: fits 12 px text with 4 px margins. */
export const ROW_HEIGHT: WorldPx = 28;

export interface LayoutMessage {
  leg: number;
  src: string;
  dst: string;
  /** Item kind (kinds.ts); absent is SIP. */
  kind?: string;
}

export interface LayoutOptions {
  /** Visible column keys, in display order. */
  columns: readonly string[];
  /** Endpoint id → column key. */
  keyOf: ReadonlyMap<string, string>;
  hiddenLegs: ReadonlySet<number>;
  sides: readonly Side[];
  sideMode: SideMode;
  /** Item kinds not shown (logs, REST, transport, RTCP, QoS, other; kinds.ts). */
  hiddenKinds?: ReadonlySet<string>;
  columnWidth?: WorldPx;
  rowHeight?: WorldPx;
}

export interface LayoutColumn {
  key: string;
  /** Centre of the lifeline. */
  x: WorldPx;
}

export interface LayoutRow {
  /** Index into the `messages` passed in (= FlowMessage.index for a whole group). */
  message: number;
  y: WorldPx;
  from: number;
  to: number;
  x1: WorldPx;
  x2: WorldPx;
  /** Source and destination fall in the same column (a loop arrow). */
  self: boolean;
}

export interface LadderLayout {
  columns: LayoutColumn[];
  rows: LayoutRow[];
  width: WorldPx;
  height: WorldPx;
  rowHeight: WorldPx;
  columnWidth: WorldPx;
}

export function layoutLadder(messages: readonly LayoutMessage[], opts: LayoutOptions): LadderLayout {
  const columnWidth = opts.columnWidth ?? COLUMN_WIDTH;
  const rowHeight = opts.rowHeight ?? ROW_HEIGHT;
  const colPos = new Map<string, number>();
  const columns = opts.columns.map((key, i): LayoutColumn => {
    colPos.set(key, i);
    return { key, x: columnWidth * (i + 0.5) };
  });
  // Endpoint id → visible column position, once per endpoint rather than twice per message.
  const posOf = new Map<string, number>();
  for (const [id, key] of opts.keyOf) {
    const p = colPos.get(key);
    if (p !== undefined) posOf.set(id, p);
  }
  const pos = (id: string) => posOf.get(id) ?? (opts.keyOf.has(id) ? undefined : colPos.get(id));
  const anyHiddenLeg = opts.hiddenLegs.size > 0;
  const rows: LayoutRow[] = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (anyHiddenLeg && opts.hiddenLegs.has(m.leg)) continue;
    if (!sideVisible(opts.sides[i] ?? 'other', opts.sideMode)) continue;
    if (opts.hiddenKinds?.size && opts.hiddenKinds.has(m.kind ?? 'sip')) continue;
    const from = pos(m.src);
    const to = pos(m.dst);
    if (from === undefined || to === undefined) continue;
    rows.push({
      message: i,
      y: rows.length * rowHeight,
      from,
      to,
      x1: columns[from].x,
      x2: columns[to].x,
      self: from === to,
    });
  }
  return {
    columns,
    rows,
    width: columnWidth * columns.length,
    height: rows.length * rowHeight,
    rowHeight,
    columnWidth,
  };
}
