/**
 * The app's end of GET /api/v1/live (server/live/session.ts): an EventSource, which reconnects
 * and sends Last-Event-ID by itself. A refused reconnect (the server answered an error, e.g. 503,
 * or was down when the browser gave up) closes an EventSource for good: then a new one is opened
 * after RECONNECT_MS with the last id, as a query parameter since EventSource cannot set headers.
 */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

export interface LiveHandlers {
  /** Fetch what is shown again; `resync` when the changes since the last event are unknown; `eventId` the event's id. */
  onChange(resync: boolean, eventId: string): void;
  onStatus(s: LiveStatus): void;
}

/** Wait before opening a new stream after one was closed for good, ms. */
const RECONNECT_MS = 2000;

/** Opens the stream for `params` (group=ID, or calls=1 and the search's filters); answers the function that closes it. */
export function openLiveStream(params: Record<string, string>, h: LiveHandlers): () => void {
  let closed = false;
  let lastId = '';
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const open = () => {
    const q = new URLSearchParams(params);
    if (lastId) q.set('lastEventId', lastId);
    const es = new EventSource(`/api/v1/live?${q}`);
    source = es;
    const seen = (e: MessageEvent) => {
      if (e.lastEventId) lastId = e.lastEventId;
    };
    es.addEventListener('ready', (e) => {
      seen(e);
      h.onStatus('live');
    });
    es.addEventListener('change', (e) => {
      seen(e);
      h.onStatus('live');
      h.onChange(parseResync(e.data), e.lastEventId);
    });
    es.onerror = () => {
      if (closed) return;
      h.onStatus('reconnecting');
      if (es.readyState === EventSource.CLOSED) {
        es.close();
        timer = setTimeout(open, RECONNECT_MS);
      }
    };
  };

  h.onStatus('connecting');
  open();
  return () => {
    closed = true;
    if (timer) clearTimeout(timer);
    source?.close();
  };
}

function parseResync(data: unknown): boolean {
  try {
    return typeof data === 'string' && (JSON.parse(data) as { resync?: unknown }).resync === true;
  } catch {
    return false;
  }
}
