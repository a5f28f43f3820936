/** The flow view's URL state as a React hook: read from the query, write back with replace. */
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { type FlowUrlState, parseFlowState, serializeFlowState } from './url-state.ts';

export function useFlowUrl(): [FlowUrlState, (patch: Partial<FlowUrlState> | ((s: FlowUrlState) => Partial<FlowUrlState>)) => void] {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => parseFlowState(params), [params]);
  const update = useCallback(
    (patch: Partial<FlowUrlState> | ((s: FlowUrlState) => Partial<FlowUrlState>)) => {
      setParams(
        (prev) => {
          const cur = parseFlowState(prev);
          const next = { ...cur, ...(typeof patch === 'function' ? patch(cur) : patch) };
          return serializeFlowState(next);
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return [state, update];
}
