/**
 * GET /api/v1/live: a Server-Sent Events stream saying when what the app shows changed.
 * - `?group=ID`: the group of any Call-ID or correlation id (legs that join later and merges too);
 * - `?calls=1[&from=..&to=..&user=..]`: the search list (new groups, changed summaries) under
 *   the filters GET /calls takes, told only of changes that could touch its rows (live/watch.ts),
 *   at most once a second.
 * The app then fetches through /calls or /groups/{id} (server/live/session.ts has the events).
 * SSE rather than WebSocket: the push is one way, EventSource reconnects and sends Last-Event-ID
 * by itself, and it is plain HTTP (the same auth, proxies and load balancers).
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import { BadRequest, parseCallFilters, str } from '../query.ts';
import { LIVE_COALESCE_MS, LIVE_MAX_CLIENTS, LIVE_SEARCH_INTERVAL_MS, LIVE_SEARCH_WATCH_GROUPS } from '../../config.ts';
import { escapeNul } from '../../collector/storable.ts';
import { LiveSession } from '../../live/session.ts';
import { SseSink } from '../../live/sse.ts';
import { conditionsOf, groupWatch, searchWatch, type Watch } from '../../live/watch.ts';

type Query = Record<string, string | undefined>;

export default async function liveRoutes(app: FastifyInstance, { store, metrics, live, config }: AppDeps): Promise<void> {
  if (!live) return;
  const hub = live;
  const sessions = new Set<LiveSession>();
  // Streams never end by themselves: end them so that the server can close.
  app.addHook('preClose', async () => {
    for (const s of sessions) s.stop();
  });

  app.get<{ Querystring: Query }>('/live', async (req, reply) => {
    const group = str(req.query.group);
    const calls = req.query.calls === '1';
    if (!group === !calls) throw new BadRequest('give either group=ID or calls=1');
    // The search's own filters, parsed as GET /calls parses them (a 400 for the same faults).
    const filters = calls ? parseCallFilters(req.query, config.aliases) : null;
    const filtered = filters !== null && conditionsOf(filters).length > 0;
    if (sessions.size >= LIVE_MAX_CLIENTS) {
      metrics.liveDropped.inc({ reason: 'full' });
      return reply.code(503).header('retry-after', '5').send({ error: 'busy', message: `${LIVE_MAX_CLIENTS} live streams are open` });
    }
    const id = group === undefined ? '' : escapeNul(group);
    const resolve = async (): Promise<Watch> => {
      if (filters) {
        // Unfiltered, any change up to `to` counts: no need to know the rows.
        const found = filtered ? (await store.searchGroups({ ...filters, limit: LIVE_SEARCH_WATCH_GROUPS })).items : [];
        return searchWatch(filters, found);
      }
      const g = await store.getGroupSlice(id, 1);
      return groupWatch(id, g ? [...g.callIds, ...g.correlationIds] : []);
    };
    // EventSource sends Last-Event-ID on a reconnect; ?lastEventId serves clients that cannot set headers.
    const header = req.headers['last-event-id'];
    const lastEventId = (Array.isArray(header) ? header[0] : header) ?? req.query.lastEventId;

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no', // nginx: pass events through at once
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
    });
    res.socket?.setNoDelay(true);
    const sink = new SseSink(res, (reason) => metrics.liveDropped.inc({ reason }));
    const session = new LiveSession({
      hub, sink, resolve, reresolve: Boolean(group) || filtered, minIntervalMs: calls ? LIVE_SEARCH_INTERVAL_MS : LIVE_COALESCE_MS, aligned: calls, terms: filtered, lastEventId,
    });
    sessions.add(session);
    metrics.liveClients.inc();
    res.on('close', () => {
      session.stop();
      if (sessions.delete(session)) metrics.liveClients.dec();
    });
    await session.start();
  });
}
