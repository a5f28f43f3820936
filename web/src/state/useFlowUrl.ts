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
        () => {
          // The query as last written, not as last rendered (react-router hands the updater the
          // rendered one): two changes made before a render would otherwise lose the first.
          const cur = parseFlowState(new URLSearchParams(window.location.search));
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
