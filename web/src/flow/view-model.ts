/**
 * Everything the flow view derives from the group and the URL state, in one pure function:
 * columns in order, the pivot, every message's side, and the ladder layout.
 * Memoized by its caller (FlowPage) on its inputs.
 */
import type { FlowModel } from '../model/normalize.ts';
import { applyOrder, type ColumnDef, groupColumns, keyIndex } from '../ladder/columns.ts';
import { computeSides, defaultPivot, type Side } from '../ladder/sides.ts';
import { type LadderLayout, layoutLadder } from '../ladder/layout.ts';
import type { FlowUrlState } from '../state/url-state.ts';

export interface FlowView {
  /** Every column in display order, hidden ones included (the endpoint list shows them). */
  columns: ColumnDef[];
  /** Keys of the columns drawn, in display order. */
  visibleKeys: string[];
  /** Endpoint id → column key. */
  keyOf: Map<string, string>;
  /** The pivot endpoint (URL, else default) and its column. */
  pivotEndpoint: string | null;
  pivotKey: string | null;
  /** Side per message (model.messages order). */
  sides: Side[];
  hiddenLegs: Set<number>;
  layout: LadderLayout;
}

/** The side of every message, with endpoints mapped to their columns (sides follow the grouping on screen). */
export function sidesFor(model: FlowModel, keyOf: ReadonlyMap<string, string>, pivotKey: string | null): Side[] {
  const msgs = model.messages.map((m) => ({
    leg: m.leg,
    src: keyOf.get(m.src) ?? m.src,
    dst: keyOf.get(m.dst) ?? m.dst,
    method: m.method,
  }));
  return computeSides(msgs, pivotKey);
}

export function buildFlowView(model: FlowModel, url: FlowUrlState): FlowView {
  performance.mark('TMPPERF fv0');
  const all = groupColumns(model.endpoints, model.messages, url.grouping);
  const keyOf = keyIndex(all);
  const order = applyOrder(
    all.map((c) => c.key),
    url.columnOrder,
  );
  const byKey = new Map(all.map((c) => [c.key, c]));
  const columns = order.map((k) => byKey.get(k)!);
  const hiddenCols = new Set(url.hiddenColumns);
  const visibleKeys = order.filter((k) => !hiddenCols.has(k));

  performance.mark('TMPPERF columns');
  const pivotEndpoint = url.pivot !== null && keyOf.has(url.pivot) ? url.pivot : defaultPivot(model.messages);
  const pivotKey = pivotEndpoint === null ? null : (keyOf.get(pivotEndpoint) ?? null);
  const sides = sidesFor(model, keyOf, pivotKey);

  performance.mark('TMPPERF sides');
  const hiddenCallIds = new Set(url.hiddenLegs);
  const hiddenLegs = new Set(model.legs.filter((l) => hiddenCallIds.has(l.callId)).map((l) => l.index));

  const layout = layoutLadder(model.messages, {
    columns: visibleKeys,
    keyOf,
    hiddenLegs,
    sides,
    sideMode: url.side,
  });
  performance.mark('TMPPERF layout');
  return { columns, visibleKeys, keyOf, pivotEndpoint, pivotKey, sides, hiddenLegs, layout };
}
