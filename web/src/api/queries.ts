/** TanStack Query hooks: the only way components reach the server (Jaeger src/hooks/use*Query.ts). */
import { keepPreviousData, useInfiniteQuery, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchCalls, fetchGroup, fetchGroupStart, fetchMessage, fetchStats, uploadCapture } from './client.ts';
import { statsQuery, type StatsFilters } from '../stats/stats-params.ts';
import { callsQuery, type SearchFilters } from '../search/search-params.ts';
import { type FlowModel, toFlowModel } from '../model/normalize.ts';

/** Rows per search page: enough to fill a screen many times, small enough to answer fast. */
export const SEARCH_PAGE = 500;
/** Live refresh period for auto-refresh, ms. */
export const AUTO_REFRESH_MS = 5000;

/**
 * Where a live search list keeps the id of the live event it refetches for (useLiveSearch): the
 * search sends it, so that the server may answer with a page read for another list since then.
 */
export const LIVE_EVENT_KEY = ['live-event', 'calls'] as const;

/**
 * Search results, paged by the server's cursor. Relative ranges are resolved at each fetch, on a
 * whole second: live lists with the same filters, told on the same beat, then ask the same query.
 */
export function useCallsSearch(filters: SearchFilters) {
  const { sort: _s, desc: _d, ...keyed } = filters;
  return useInfiniteQuery({
    queryKey: ['calls', keyed],
    queryFn: ({ client, pageParam, signal }) => fetchCalls(callsQuery(filters, Math.floor(Date.now() / 1000) * 1_000_000), pageParam,
      SEARCH_PAGE, signal, client.getQueryData<string>(LIVE_EVENT_KEY)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
    refetchInterval: filters.auto ? AUTO_REFRESH_MS : false,
    placeholderData: keepPreviousData,
  });
}

/**
 * A group as the view model (model/normalize.ts), by any Call-ID or correlation id of it. A
 * large group arrives twice: its first page (`complete` false) is the data while the whole
 * group loads, so that the first screen is drawn at once; then the whole group replaces it.
 */
export function useGroupQuery(id: string) {
  return useQuery({
    queryKey: ['group', id],
    // Normalized in the query function, once per fetch: the cache holds the view model.
    queryFn: async ({ client, queryKey, signal }) => {
      // A refetch of a whole group keeps showing it until the new one is in.
      if (!client.getQueryData<FlowModel>(queryKey)?.complete) {
        const start = toFlowModel(await fetchGroupStart(id, signal));
        if (start.complete) return start;
        client.setQueryData(queryKey, start);
      }
      return toFlowModel(await fetchGroup(id, signal));
    },
    // A first page left behind by a cancelled load is never fresh: the next visit loads the group.
    staleTime: (query) => (query.state.data?.complete ? 30_000 : 0),
    // The whole group replaces the first page outright: comparing 20,000 messages for shared parts buys nothing.
    structuralSharing: false,
  });
}

export function useMessageQuery(id: string | null) {
  return useQuery({
    queryKey: ['message', id],
    queryFn: ({ signal }) => fetchMessage(id!, signal),
    enabled: id !== null,
    staleTime: Infinity, // a stored message never changes
  });
}

/** Details of several messages (the compare view). */
export function useMessagesQuery(ids: readonly string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: ['message', id],
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchMessage(id, signal),
      staleTime: Infinity,
    })),
  });
}

export function useImportMutation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: uploadCapture,
    onSuccess: () => client.invalidateQueries({ queryKey: ['calls'] }),
  });
}

/**
 * Whether the store holds no call at all, at any time (one row asked for, from the epoch on): the
 * first page then says how to send traffic. Asked only while a search came back empty; keyed under
 * 'calls' so that live updates refresh it with the search.
 */
export function useStoreEmpty(enabled: boolean) {
  return useQuery({
    queryKey: ['calls', 'store-empty'],
    queryFn: async ({ signal }) => (await fetchCalls({ from: '0' }, null, 1, signal)).items.length === 0,
    enabled,
  });
}

/** Refresh period of the stats of a range that ends now, ms: each answer reads every call of the range. */
export const STATS_REFRESH_MS = 30_000;

/** Call statistics of the range and address (the stats page); a relative range is resolved at each fetch. */
export function useStatsQuery(filters: StatsFilters) {
  return useQuery({
    queryKey: ['stats', filters],
    queryFn: ({ signal }) => fetchStats(statsQuery(filters, Date.now() * 1000), signal),
    refetchInterval: filters.range === 'custom' ? false : STATS_REFRESH_MS,
    placeholderData: keepPreviousData,
  });
}
