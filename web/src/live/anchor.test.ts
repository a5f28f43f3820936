import { describe, expect, it } from 'vitest';
import { indexOfKey, newAbove, scrollAfterUpdate, type RowsState } from './anchor.ts';

const rows = (...keys: string[]): RowsState => ({ count: keys.length, key: (i) => keys[i] });
const H = 10;

describe('scrollAfterUpdate', () => {
  /*
   * view: 3 rows tall (30 px); rows a..f, the view shows c d e (scrollTop 20)
   *   then "x" arrives above and "g" below: c must stay at the top of the view.
   */
  it('keeps the row at the top of the view in place when rows arrive above it', () => {
    const prev = rows('a', 'b', 'c', 'd', 'e', 'f');
    const next = rows('x', 'a', 'b', 'c', 'd', 'e', 'f', 'g');
    expect(scrollAfterUpdate(prev, next, 20, 30, H, true)).toBe(30);
  });

  it('leaves the scroll alone when rows arrive only below the view', () => {
    expect(scrollAfterUpdate(rows('a', 'b', 'c', 'd', 'e', 'f'), rows('a', 'b', 'c', 'd', 'e', 'f', 'g'), 10, 30, H, true)).toBeNull();
  });

  it('follows new rows when the view was at the bottom', () => {
    // 6 rows, view of 3 at scrollTop 30: d e f, the last in view.
    expect(scrollAfterUpdate(rows('a', 'b', 'c', 'd', 'e', 'f'), rows('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), 30, 30, H, true)).toBe(50);
  });

  it('follows from a view that showed every row, and stays at 0 while all still fit', () => {
    expect(scrollAfterUpdate(rows('a'), rows('a', 'b'), 0, 30, H, true)).toBeNull();
    expect(scrollAfterUpdate(rows('a', 'b', 'c'), rows('a', 'b', 'c', 'd', 'e'), 0, 30, H, true)).toBe(20);
  });

  it('does not follow when following is off (a list whose new rows come on top)', () => {
    expect(scrollAfterUpdate(rows('a', 'b', 'c', 'd', 'e', 'f'), rows('a', 'b', 'c', 'd', 'e', 'f', 'g'), 30, 30, H, false)).toBeNull();
  });

  it('leaves the scroll alone when the row at the top is gone (another search)', () => {
    expect(scrollAfterUpdate(rows('a', 'b', 'c', 'd'), rows('p', 'q', 'r', 's'), 10, 20, H, false)).toBeNull();
  });
});

describe('newAbove', () => {
  it('counts the keys above a row that were not there before', () => {
    expect(newAbove(new Set(['a', 'b', 'c']), rows('x', 'a', 'y', 'b', 'c'), 3)).toBe(2);
    expect(newAbove(new Set(['a']), rows('a', 'x'), 1)).toBe(0);
  });
});

describe('indexOfKey', () => {
  it('finds a key on either side of where it was, and -1 when it is gone', () => {
    const r = rows('a', 'b', 'c', 'd', 'e');
    expect(indexOfKey(r, 'a', 3)).toBe(0);
    expect(indexOfKey(r, 'e', 0)).toBe(4);
    expect(indexOfKey(r, 'z', 2)).toBe(-1);
    expect(indexOfKey(r, 'c', 10)).toBe(2);
  });
});
