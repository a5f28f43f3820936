/**
 * Where a list should scroll to when rows arrive while someone reads it. Pure; rows of one
 * height `rowH` (px), `scrollTop` and `viewport` in px of the rows' own coordinates.
 * - At the bottom (the last row in view), follow: show the new bottom.
 * - Elsewhere, keep the row at the top of the view where it is, wherever it moved to.
 */
export interface RowsState {
  /** Number of rows. */
  count: number;
  /** The key of row i (a message id, a group id). */
  key(i: number): string;
}

/** Slack for "at the bottom", px: half a row, so a view a few pixels short of the end still follows. */
const BOTTOM_SLACK_ROWS = 0.5;

/**
 * The scroll top after `prev` became `next`; null to leave it. `follow` says whether reaching the
 * bottom means following new rows (the ladder) or not (the search list, where new rows come on top).
 */
export function scrollAfterUpdate(prev: RowsState, next: RowsState, scrollTop: number, viewport: number, rowH: number, follow: boolean): number | null {
  if (prev.count === 0 || next.count === 0) return null;
  const prevHeight = prev.count * rowH;
  if (follow && scrollTop + viewport >= prevHeight - rowH * BOTTOM_SLACK_ROWS) {
    const bottom = Math.max(0, next.count * rowH - viewport);
    return bottom === scrollTop ? null : bottom;
  }
  const row = Math.min(prev.count - 1, Math.floor(scrollTop / rowH));
  const moved = indexOfKey(next, prev.key(row), row);
  if (moved < 0 || moved === row) return null;
  return scrollTop + (moved - row) * rowH;
}

/**
 * Keys of `next` that `prev` did not have, above row `until` of `next` (exclusive): the new rows
 * a reader scrolled away from the top has not seen.
 */
export function newAbove(prev: ReadonlySet<string>, next: RowsState, until: number): number {
  let n = 0;
  for (let i = 0; i < Math.min(until, next.count); i++) if (!prev.has(next.key(i))) n++;
  return n;
}

/** The row of `key` in `rows`, searched outward from `near` (rows mostly move by a few). */
export function indexOfKey(rows: RowsState, key: string, near: number): number {
  near = Math.max(0, Math.min(rows.count - 1, near));
  for (let d = 0; d < rows.count; d++) {
    const below = near + d;
    const above = near - d - 1;
    if (below < rows.count && rows.key(below) === key) return below;
    if (above >= 0 && above < rows.count && rows.key(above) === key) return above;
    if (below >= rows.count && above < 0) break;
  }
  return -1;
}
