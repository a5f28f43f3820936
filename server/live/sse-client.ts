/**
 * A minimal EventSource for Node (tests and bench/live): reads an SSE stream over fetch and
 * parses it as WHATWG HTML §9.2.6 says (event, id, data fields; blank line dispatches).
 */
export interface SseEvent {
  event: string;
  id: string;
  data: string;
  /** performance.now() when its last byte was read. */
  at: number;
}

export interface SseClient {
  /** Every event dispatched so far, in order. */
  readonly events: SseEvent[];
  /** The last event id seen (as EventSource keeps it, id-only frames included). */
  readonly lastEventId: string;
  /** Resolves with the first event from index `from` on that `match` accepts. */
  next(match: (e: SseEvent) => boolean, from?: number): Promise<SseEvent>;
  /** Called on each event as it is dispatched. */
  onEvent?: (e: SseEvent) => void;
  close(): void;
  /** Resolves when the stream ends (closed by either side). */
  readonly ended: Promise<void>;
}

export async function openSse(url: string, lastEventId?: string): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal, headers: lastEventId ? { 'last-event-id': lastEventId } : {} });
  if (!res.ok || !res.body) throw new Error(`GET ${url}: ${res.status}`);
  const waiters: { match: (e: SseEvent) => boolean; from: number; resolve: (e: SseEvent) => void }[] = [];
  const client: Omit<SseClient, 'lastEventId' | 'ended'> & { lastEventId: string; ended: Promise<void> } = {
    events: [],
    lastEventId: lastEventId ?? '',
    next(match, from = 0) {
      const found = client.events.slice(from).find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ match, from, resolve }));
    },
    close: () => abort.abort(),
    ended: Promise.resolve(),
  };
  const dispatch = (e: SseEvent) => {
    client.events.push(e);
    client.onEvent?.(e);
    const i = client.events.length - 1;
    for (let w = waiters.length - 1; w >= 0; w--) {
      if (i >= waiters[w].from && waiters[w].match(e)) {
        waiters[w].resolve(e);
        waiters.splice(w, 1);
      }
    }
  };
  let event = '';
  let data: string[] = [];
  let buf = '';
  const line = (l: string) => {
    if (l === '') {
      if (data.length) dispatch({ event: event || 'message', id: client.lastEventId, data: data.join('\n'), at: performance.now() });
      event = '';
      data = [];
      return;
    }
    if (l.startsWith(':')) return;
    const colon = l.indexOf(':');
    const field = colon < 0 ? l : l.slice(0, colon);
    const value = colon < 0 ? '' : l.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') client.lastEventId = value;
  };
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  client.ended = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buf += value;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          line(buf.slice(0, nl).replace(/\r$/, ''));
          buf = buf.slice(nl + 1);
        }
      }
    } catch {
      // aborted or reset: the stream ended
    }
  })();
  return client;
}
