/**
 * Keeps the ladder's reader in place as messages arrive (anchor.ts): the row at the top of the
 * view stays put when rows come in above it, and a view at the bottom follows the newest message.
 * Runs before paint, so the jump is never seen.
 */
import { type RefObject, useLayoutEffect, useRef } from 'react';
import type { FlowModel } from '../model/normalize.ts';
import type { LadderLayout } from '../ladder/layout.ts';
import { scrollAfterUpdate, type RowsState } from './anchor.ts';

function rowsOf(layout: LadderLayout, model: FlowModel): RowsState {
  return { count: layout.rows.length, key: (i) => model.messages[layout.rows[i].message].id };
}

/** `headerPx`: sticky content inside the scroller above the rows. */
export function useLiveScroll(scroller: RefObject<HTMLElement | null>, layout: LadderLayout, model: FlowModel, headerPx: number): void {
  const prev = useRef<{ layout: LadderLayout; model: FlowModel } | null>(null);
  useLayoutEffect(() => {
    const el = scroller.current;
    const before = prev.current;
    prev.current = { layout, model };
    // Only a refreshed model of the same group: a change of view settings moves rows on purpose.
    if (!el || !before || before.model === model || before.model.id !== model.id || before.layout.rowHeight !== layout.rowHeight) return;
    const next = scrollAfterUpdate(rowsOf(before.layout, before.model), rowsOf(layout, model), el.scrollTop, el.clientHeight - headerPx, layout.rowHeight, true);
    if (next !== null) el.scrollTop = next;
  }, [scroller, layout, model, headerPx]);
}
