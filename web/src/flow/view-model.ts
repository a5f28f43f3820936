/**
 * Everything the flow view derives from the group and the URL state: columns in order, the
 * pivot, every message's side, and the ladder layout. Pure, in stages, so that
 * useFlowViewModel memoizes each stage on its own inputs: changing the side mode redoes the layout
 * only, reordering columns does not redo the sides, the time mode redoes nothing.
 * `buildFlowView` runs all stages at once.
 */
import type { FlowModel } from '../model/normalize.ts';
import { applyOrder, type ColumnDef, type Grouping, groupColumns, keyIndex } from '../ladder/columns.ts';
import { computeSides, defaultPivot, type Side, type SideMode } from '../ladder/sides.ts';
import { type LadderLayout, layoutLadder } from '../ladder/layout.ts';
import { legsOffLadder, type FlowUrlState } from '../state/url-state.ts';
import { itemSides } from '../ladder/kinds.ts';

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

/** Stage 1 (group, grouping): columns in default order and the endpoint → column map. */
export interface ColumnStage {
  all: ColumnDef[];
  keyOf: Map<string, string>;
}

export function columnStage(model: FlowModel, grouping: Grouping): ColumnStage {
  const all = groupColumns(model.endpoints, model.messages, grouping);
  return { all, keyOf: keyIndex(all) };
}

/** Stage 2 (+ column order, hidden columns): columns in display order and those drawn. */
export function orderStage(all: readonly ColumnDef[], columnOrder: readonly string[], hiddenColumns: readonly string[]): Pick<FlowView, 'columns' | 'visibleKeys'> {
  const order = applyOrder(
    all.map((c) => c.key),
    columnOrder,
  );
  const byKey = new Map(all.map((c) => [c.key, c]));
  const hidden = new Set(hiddenColumns);
  return { columns: order.map((k) => byKey.get(k)!), visibleKeys: order.filter((k) => !hidden.has(k)) };
}

/** Stage 3 (group, columns, pivot): the pivot and the side of every message. */
export function sideStage(model: FlowModel, keyOf: ReadonlyMap<string, string>, pivot: string | null): Pick<FlowView, 'pivotEndpoint' | 'pivotKey' | 'sides'> {
  const pivotEndpoint = pivot !== null && keyOf.has(pivot) ? pivot : defaultPivot(model.messages);
  const pivotKey = pivotEndpoint === null ? null : (keyOf.get(pivotEndpoint) ?? null);
  return { pivotEndpoint, pivotKey, sides: sidesFor(model, keyOf, pivotKey) };
}

/** The side of every message, with endpoints mapped to their columns (sides follow the grouping on screen). */
export function sidesFor(model: FlowModel, keyOf: ReadonlyMap<string, string>, pivotKey: string | null): Side[] {
  // Logs and reports take the side of their leg (ladder/kinds.ts).
  return itemSides(model.messages, computeSides(model.messages, pivotKey, keyOf));
}

/** Leg indexes of the hidden legs' Call-IDs. */
export function hiddenLegIndexes(model: FlowModel, hiddenCallIds: readonly string[]): Set<number> {
  const ids = new Set(hiddenCallIds);
  return new Set(model.legs.filter((l) => ids.has(l.callId)).map((l) => l.index));
}

/** Stage 4 (everything above, hidden legs, side mode): the ladder layout. */
export function layoutStage(model: FlowModel, keyOf: ReadonlyMap<string, string>, visibleKeys: readonly string[], sides: readonly Side[], hiddenLegs: ReadonlySet<number>, sideMode: SideMode, hiddenKinds: ReadonlySet<string> = NO_KINDS): LadderLayout {
  return layoutLadder(model.messages, { columns: visibleKeys, keyOf, hiddenLegs, sides, sideMode, hiddenKinds });
}

const NO_KINDS: ReadonlySet<string> = new Set();

export function buildFlowView(model: FlowModel, url: FlowUrlState): FlowView {
  const { all, keyOf } = columnStage(model, url.grouping);
  const { columns, visibleKeys } = orderStage(all, url.columnOrder, url.hiddenColumns);
  const { pivotEndpoint, pivotKey, sides } = sideStage(model, keyOf, url.pivot);
  const hiddenLegs = hiddenLegIndexes(model, legsOffLadder(url));
  const layout = layoutStage(model, keyOf, visibleKeys, sides, hiddenLegs, url.side, new Set(url.hiddenKinds));
  return { columns, visibleKeys, keyOf, pivotEndpoint, pivotKey, sides, hiddenLegs, layout };
}
