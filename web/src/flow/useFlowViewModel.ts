/**
 * The flow view model (view-model.ts) memoized stage by stage: a click, a time mode or a side
 * mode change does not redo the columns and sides of a 20,000-message group.
 */
import { useMemo } from 'react';
import type { FlowModel } from '../model/normalize.ts';
import { legsOffLadder, type FlowUrlState } from '../state/url-state.ts';
import { useListByContent } from '../ui/useListByContent.ts';
import { columnStage, type FlowView, hiddenLegIndexes, layoutStage, orderStage, sideStage } from './view-model.ts';

export function useFlowViewModel(model: FlowModel, url: FlowUrlState): FlowView {
  const columnOrder = useListByContent(url.columnOrder);
  const hiddenColumns = useListByContent(url.hiddenColumns);
  const hiddenCallIds = useListByContent(legsOffLadder(url));
  const cols = useMemo(() => columnStage(model, url.grouping), [model, url.grouping]);
  const ordered = useMemo(() => orderStage(cols.all, columnOrder, hiddenColumns), [cols, columnOrder, hiddenColumns]);
  const sided = useMemo(() => sideStage(model, cols.keyOf, url.pivot), [model, cols, url.pivot]);
  const hiddenLegs = useMemo(() => hiddenLegIndexes(model, hiddenCallIds), [model, hiddenCallIds]);
  const hiddenKindList = useListByContent(url.hiddenKinds);
  const hiddenKinds = useMemo(() => new Set<string>(hiddenKindList), [hiddenKindList]);
  const layout = useMemo(
    () => layoutStage(model, cols.keyOf, ordered.visibleKeys, sided.sides, hiddenLegs, url.side, hiddenKinds),
    [model, cols, ordered, sided, hiddenLegs, url.side, hiddenKinds],
  );
  return useMemo(() => ({ ...ordered, keyOf: cols.keyOf, ...sided, hiddenLegs, layout }), [ordered, cols, sided, hiddenLegs, layout]);
}
