/**
 * Live search list: while `enabled`, the searches under `queryKey` on screen run again when the server says a
 * call changed. The rows are keyed by group id, so they update in place (useLiveRows keeps the
 * scroll position).
 */
import { useEffect, useState } from 'react';
import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { openLiveStream, type LiveStatus } from './stream.ts';
import { makeRefresher } from './refresher.ts';

export function useLiveSearch(queryKey: QueryKey, enabled: boolean): LiveStatus | 'off' {
  const client = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const key = JSON.stringify(queryKey);
  useEffect(() => {
    if (!enabled) return;
    // Only the search on screen: earlier searches in the cache are fetched when visited again.
    const refresher = makeRefresher(() => client.refetchQueries({ queryKey: JSON.parse(key) as QueryKey, type: 'active' }));
    const close = openLiveStream({ calls: '1' }, { onChange: () => refresher.request(), onStatus: setStatus });
    return () => {
      close();
      refresher.stop();
    };
  }, [client, key, enabled]);
  return enabled ? status : 'off';
}
