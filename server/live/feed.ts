/**
 * Where a web process learns of written batches. With SQLite the collector is in the same process
 * and publishes to the hub directly. With PostgreSQL, collectors and web servers may be separate
 * processes (`--no-collector`): a collector NOTIFYs on channel `hepflow_live` after each batch is
 * committed, and every web process LISTENs there (its own collector's notices come back the same
 * way). A dropped LISTEN connection may have missed notices: once it is back, every stream resyncs.
 */
import pg from 'pg';
import type { Log } from '../log.ts';
import { WRITE_RETRY_FIRST_MS, WRITE_RETRY_MAX_MS } from '../config.ts';
import type { LiveHub } from './hub.ts';
import type { Touched } from './keys.ts';
import { decodeNotices, encodeNotices } from './notice.ts';

export const CHANNEL = 'hepflow_live';
/** A connection attempt that does not answer fails after this long, ms (as the store's own). */
const CONNECT_TIMEOUT_MS = 5000;

export interface ChangeFeed {
  /** A batch was stored (called by the collector). */
  publish(t: Touched): void;
  /**
   * What of a batch anyone can read: nothing, its ids, or its ids and search terms. Reading them
   * costs the collector ~2 % of a core at 10,000 messages/s (bench/live), the terms two thirds
   * of it: wasted on a process nobody watches, or where no search list is filtered.
   */
  wanted(): Wanted;
  /** A batch was stored and not published, since nobody wanted it. */
  unread(): void;
  close(): Promise<void>;
}

export type Wanted = 'nothing' | 'ids' | 'terms';

export function localFeed(hub: LiveHub): ChangeFeed {
  return {
    publish: (t) => hub.publish(t),
    wanted: () => (hub.listenerCount === 0 ? 'nothing' : hub.termsWanted ? 'terms' : 'ids'),
    unread: () => hub.unread(),
    close: async () => {},
  };
}

/** LISTEN (and NOTIFY, for a collector) on one connection of its own, reconnected with backoff. */
export async function postgresFeed(connectionString: string, hub: LiveHub, log: Log): Promise<ChangeFeed> {
  let client: pg.Client | null = null;
  let closed = false;
  let waitMs = WRITE_RETRY_FIRST_MS;
  /** Notices written one at a time, in order; dropped while the connection is down (a gap follows). */
  let sending: Promise<unknown> = Promise.resolve();

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    c.on('notification', (n) => {
      if (n.channel !== CHANNEL || !n.payload) return;
      const notice = decodeNotices(n.payload);
      if (notice === 'gap') hub.gap();
      else if (notice) hub.publish(notice);
    });
    c.on('error', (err) => lost(c, err));
    c.on('end', () => lost(c, new Error('connection ended')));
    await c.connect();
    await c.query(`LISTEN ${CHANNEL}`);
    client = c;
  };

  const lost = (c: pg.Client, err: Error): void => {
    if (client !== c || closed) return;
    client = null;
    log('live feed: PostgreSQL connection lost, reconnecting', { error: err.message });
    c.end().catch(() => {});
    void reconnect();
  };

  const reconnect = async (): Promise<void> => {
    while (!closed) {
      await new Promise((r) => setTimeout(r, waitMs));
      try {
        await connect();
        waitMs = WRITE_RETRY_FIRST_MS;
        // Notices sent meanwhile, by us or another collector, are lost: tell every listener so.
        await client!.query('SELECT pg_notify($1, $2)', [CHANNEL, 'gap']);
        hub.gap();
        return;
      } catch (err) {
        waitMs = Math.min(WRITE_RETRY_MAX_MS, waitMs * 2);
        log('live feed: reconnect failed', { error: (err as Error).message, retryMs: waitMs });
      }
    }
  };

  await connect();
  return {
    publish(t) {
      const c = client;
      if (!c) return;
      for (const payload of encodeNotices(t)) {
        sending = sending.then(() => c.query('SELECT pg_notify($1, $2)', [CHANNEL, payload])).catch(() => {});
      }
    },
    // Web processes of their own may listen: every batch is told, whole.
    wanted: () => 'terms',
    unread: () => {},
    async close() {
      closed = true;
      await sending;
      await client?.end().catch(() => {});
      client = null;
    },
  };
}
