/**
 * Keeps the search list's reader in place as rows arrive (anchor.ts), and counts the new rows
 * above the view while the reader is scrolled away from the top. Rows are keyed by group id.
 */
import { type RefObject, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { newAbove, scrollAfterUpdate, type RowsState } from './anchor.ts';

export interface LiveRows {
  /** New rows above the view since the reader left the top. */
  unseen: number;
  /** Scrolls to the top (and so shows them). */
  toTop(): void;
}

export function useLiveRows(scroller: RefObject<HTMLElement | null>, keys: readonly string[], rowH: number, headerPx: number): LiveRows {
  const prev = useRef<readonly string[]>(keys);
  const [unseen, setUnseen] = useState(0);
  useLayoutEffect(() => {
    const el = scroller.current;
    const before = prev.current;
    prev.current = keys;
    if (!el || before === keys) return;
    const rows = (k: readonly string[]): RowsState => ({ count: k.length, key: (i) => k[i] });
    const top = el.scrollTop;
    const row = Math.floor(top / rowH);
    const next = scrollAfterUpdate(rows(before), rows(keys), top, el.clientHeight - headerPx, rowH, false);
    // At the top the new rows are in view; a row read that is gone means another search.
    if (top === 0 || (next === null && keys[row] !== before[row])) {
      setUnseen(0);
      return;
    }
    if (next !== null) el.scrollTop = next;
    const added = newAbove(new Set(before), rows(keys), Math.floor((next ?? top) / rowH));
    if (added > 0) setUnseen((n) => n + added);
  }, [scroller, keys, rowH, headerPx]);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onScroll = () => {
      if (el.scrollTop === 0) setUnseen(0);
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [scroller]);

  return {
    unseen,
    toTop: () => {
      if (scroller.current) scroller.current.scrollTop = 0;
      setUnseen(0);
    },
  };
}
