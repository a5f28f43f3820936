/**
 * Keeps an open flow current: the group's query is fetched again whenever the server says the
 * group changed (a message, a leg that joined, a merge). View settings apply to what arrives
 * because the flow view derives everything from the refreshed model.
 */
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { openLiveStream, type LiveStatus } from './stream.ts';
import { makeRefresher } from './refresher.ts';

export function useLiveGroup(id: string): LiveStatus {
  const client = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  useEffect(() => {
    if (!id) return;
    const refresher = makeRefresher(() => client.refetchQueries({ queryKey: ['group', id], exact: true }));
    const close = openLiveStream({ group: id }, { onChange: () => refresher.request(), onStatus: setStatus });
    return () => {
      close();
      refresher.stop();
    };
  }, [client, id]);
  return status;
}
