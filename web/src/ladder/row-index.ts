/**
 * Row offsets for the virtualized ladder (Jaeger ListView/Positions.ts, simplified: every height
 * is known up front). Offsets are cumulative, so finding the rows in view is a binary search and
 * a 20,000-row flow costs one Float64Array.
 * Units: WorldPx from the top of the first row.
 */
import type { WorldPx } from '../model/units.ts';

export interface RowIndex {
  /** offsets[i] = top of row i; offsets[count] = total height. */
  readonly offsets: Float64Array;
  readonly count: number;
}

/** Builds the index from one height per row (all > 0). */
export function buildRowIndex(heights: ArrayLike<number>): RowIndex {
  const offsets = new Float64Array(heights.length + 1);
  for (let i = 0; i < heights.length; i++) offsets[i + 1] = offsets[i] + heights[i];
  return { offsets, count: heights.length };
}

/** Builds the index for `count` rows of one height. */
export function uniformRowIndex(count: number, height: WorldPx): RowIndex {
  const offsets = new Float64Array(count + 1);
  for (let i = 0; i <= count; i++) offsets[i] = i * height;
  return { offsets, count };
}

export function totalHeight(index: RowIndex): WorldPx {
  return index.offsets[index.count];
}

export function rowTop(index: RowIndex, row: number): WorldPx {
  return index.offsets[Math.max(0, Math.min(index.count, row))];
}

export function rowHeight(index: RowIndex, row: number): WorldPx {
  return index.offsets[row + 1] - index.offsets[row];
}

/** The row under y (clamped to [0, count-1]); -1 when there are no rows. */
export function rowAt(index: RowIndex, y: WorldPx): number {
  if (index.count === 0) return -1;
  let lo = 0;
  let hi = index.count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (index.offsets[mid] <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Rows to render for a viewport [top, top + height): start inclusive, end exclusive, widened by
 * `overscan` rows on each side so a fast scroll does not show blank space for one frame.
 */
export function visibleRange(index: RowIndex, top: WorldPx, height: WorldPx, overscan = 8): { start: number; end: number } {
  if (index.count === 0) return { start: 0, end: 0 };
  const first = rowAt(index, Math.max(0, top));
  const last = rowAt(index, Math.max(0, top + height - 0.5));
  return { start: Math.max(0, first - overscan), end: Math.min(index.count, last + 1 + overscan) };
}

/**
 * The scroll top that brings row `row` fully into a viewport now at `top` of `height`, moving as
 * little as possible; `top` itself when the row is already in view.
 */
export function scrollToReveal(index: RowIndex, row: number, top: WorldPx, height: WorldPx): WorldPx {
  const y0 = rowTop(index, row);
  const y1 = rowTop(index, row + 1);
  if (y0 < top) return y0;
  if (y1 > top + height) return Math.max(0, y1 - height);
  return top;
}
