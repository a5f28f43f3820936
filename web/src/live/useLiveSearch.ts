/**
 * Live search list: while `enabled`, the searches on screen (queries under 'calls') run again when
 * the server says a call that could match `filters` changed. The stream takes the search's own
 * filters (GET /api/v1/live?calls=1&user=…) and is opened again when they change. The rows are
 * keyed by group id, so they update in place (useLiveRows keeps the scroll position).
 */
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { openLiveStream, type LiveStatus } from './stream.ts';
import { makeRefresher } from './refresher.ts';
import { callsQuery, DEFAULT_FILTERS, type SearchFilters } from '../search/search-params.ts';
import { LIVE_EVENT_KEY } from '../api/queries.ts';

export function useLiveSearch(filters: SearchFilters, enabled: boolean): LiveStatus | 'off' {
  const client = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  // What the search asks the server, as a value: sorting, the time zone and auto-refresh leave the stream open.
  const { sort: _s, desc: _d, tz: _t, auto: _a, ...scope } = filters;
  const key = JSON.stringify(scope);
  useEffect(() => {
    if (!enabled) return;
    // A relative range's start is taken now, as the search's own fetch takes it.
    const params = { calls: '1', ...callsQuery({ ...DEFAULT_FILTERS, ...(JSON.parse(key) as Partial<SearchFilters>) }, Date.now() * 1000) };
    // Only the search on screen: earlier searches in the cache are fetched when visited again.
    const refresher = makeRefresher(() => client.refetchQueries({ queryKey: ['calls'], type: 'active' }));
    const close = openLiveStream(params, {
      onChange: (_resync, eventId) => {
        client.setQueryData(LIVE_EVENT_KEY, eventId);
        refresher.request();
      },
      onStatus: setStatus,
    });
    return () => {
      close();
      refresher.stop();
      client.removeQueries({ queryKey: LIVE_EVENT_KEY, exact: true });
    };
  }, [client, key, enabled]);
  return enabled ? status : 'off';
}
