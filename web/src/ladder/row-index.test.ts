import { describe, expect, it } from 'vitest';
import { buildRowIndex, rowAt, scrollToReveal, totalHeight, uniformRowIndex, visibleRange } from './row-index.ts';

describe('row index', () => {
  //  rows: 0 [0,10)  1 [10,30)  2 [30,35)  3 [35,55)
  const idx = buildRowIndex([10, 20, 5, 20]);

  it('sums the heights into a total', () => {
    expect(totalHeight(idx)).toBe(55);
  });

  it('finds the row under a y coordinate, row tops included', () => {
    expect(rowAt(idx, 0)).toBe(0);
    expect(rowAt(idx, 9.9)).toBe(0);
    expect(rowAt(idx, 10)).toBe(1);
    expect(rowAt(idx, 34)).toBe(2);
    expect(rowAt(idx, 1000)).toBe(3);
  });

  it('returns only the rows in view plus the overscan', () => {
    expect(visibleRange(idx, 12, 20, 0)).toEqual({ start: 1, end: 3 });
    expect(visibleRange(idx, 12, 20, 1)).toEqual({ start: 0, end: 4 });
  });

  it('keeps the rendered range bounded for 20,000 rows', () => {
    const big = uniformRowIndex(20_000, 24);
    const r = visibleRange(big, 24 * 19_990, 600, 8);
    expect(r.end).toBe(20_000);
    expect(r.end - r.start).toBeLessThanOrEqual(600 / 24 + 1 + 16);
  });

  it('scrolls as little as possible to reveal a row', () => {
    const big = uniformRowIndex(100, 10);
    expect(scrollToReveal(big, 5, 0, 100)).toBe(0);
    expect(scrollToReveal(big, 50, 0, 100)).toBe(410);
    expect(scrollToReveal(big, 2, 300, 100)).toBe(20);
  });

  it('has an empty range when there are no rows', () => {
    expect(visibleRange(buildRowIndex([]), 0, 100)).toEqual({ start: 0, end: 0 });
    expect(rowAt(buildRowIndex([]), 5)).toBe(-1);
  });
});
