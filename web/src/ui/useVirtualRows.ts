/**
 * Keeps track of a scroll container and returns the rows of a RowIndex that are in view.
 * Scroll events are folded into one update per animation frame, so a fast scroll through
 * 20,000 rows re-renders at most once a frame, and only ~50 rows each time.
 */
import { type RefObject, useCallback, useEffect, useLayoutEffect, useState } from 'react';
import { type RowIndex, visibleRange } from '../ladder/row-index.ts';

export interface VirtualRows {
  start: number;
  end: number;
  scrollTop: number;
  viewport: number;
}

/** `headerPx`: sticky content above the rows inside the same scroller, which hides rows under it. */
export function useVirtualRows(ref: RefObject<HTMLElement | null>, index: RowIndex, headerPx: number, overscan = 8): VirtualRows {
  const [view, setView] = useState({ scrollTop: 0, viewport: 600 });

  const measure = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    setView((v) =>
      v.scrollTop === el.scrollTop && v.viewport === el.clientHeight ? v : { scrollTop: el.scrollTop, viewport: el.clientHeight },
    );
  }, [ref]);

  useLayoutEffect(measure, [measure, index]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let frame = 0;
    const onScroll = () => {
      if (frame === 0) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          measure();
        });
      }
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      ro.disconnect();
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [ref, measure]);

  const { start, end } = visibleRange(index, view.scrollTop, Math.max(0, view.viewport - headerPx), overscan);
  return { start, end, scrollTop: view.scrollTop, viewport: view.viewport };
}
