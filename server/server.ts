/**
 * Wires one hepflow process: store, collector (UDP + TCP), HTTP app, retention sweep.
 * Used by `hepflow serve`, the integration tests and the benchmarks.
 */
import type { AddressInfo } from 'node:net';
import { TCP_DRAIN_MS, type Config } from './config.ts';
import { noLog, type Log } from './log.ts';
import { formatEndpoint } from './hep/inet.ts';
import type { Store } from './store/types.ts';
import { openStore } from './store/open.ts';
import { Metrics } from './collector/metrics.ts';
import { Ingest } from './collector/ingest.ts';
import { listenUdp } from './collector/udp.ts';
import { listenTcp } from './collector/tcp.ts';
import { buildApp } from './api/app.ts';
import { retentionCutoffs } from './store/retention.ts';
import { LiveHub } from './live/hub.ts';
import { localFeed, postgresFeed, type ChangeFeed } from './live/feed.ts';

/** Tries at a port number free for both UDP and TCP when the HEP port is 0 (any). */
const PORT_ATTEMPTS = 10;

export interface RunningServer {
  config: Config;
  store: Store;
  metrics: Metrics;
  ingest: Ingest | null;
  /** "http://host:port" actually bound. */
  httpUrl: string;
  /** host and port actually bound, null when that listener is off. */
  hepUdp: { host: string; port: number } | null;
  hepTcp: { host: string; port: number } | null;
  /**
   * Stops receiving and stores what was received, within `timeoutMs` (default
   * config.shutdownTimeoutMs) however the senders and the store behave; what could not be stored
   * by then is counted as dropped ('shutdown').
   */
  close(timeoutMs?: number): Promise<ShutdownReport>;
}

export interface ShutdownReport {
  /** Time the shutdown took, ms. */
  ms: number;
  /** Messages stored while shutting down. */
  stored: number;
  /** Messages received that could not be stored in time (lost). */
  unstored: number;
}

/** Share of the shutdown time kept for closing the store after the flush, at most STORE_CLOSE_MS. */
const STORE_CLOSE_SHARE = 0.1;
const STORE_CLOSE_MS = 1000;

/** How often the retention sweep runs, ms. */
const RETENTION_SWEEP_MS = 60 * 60_000;

export async function startServer(config: Config, log: Log = noLog): Promise<RunningServer> {
  const store = await openStore(config, log);
  const metrics = new Metrics();
  // Live views: written batches reach the hub directly, or through PostgreSQL from any collector.
  const live = new LiveHub();
  let feed: ChangeFeed;
  try {
    feed = store.kind === 'postgres' ? await postgresFeed(config.store, live, log) : localFeed(live);
  } catch (err) {
    await store.close();
    throw err;
  }
  const ingest = config.collector ? new Ingest({ store, config, metrics, log, feed, watched: () => live.listenerCount > 0 }) : null;
  /** Each stops one listener; `timeoutMs` is the whole shutdown's bound. */
  const closers: ((timeoutMs: number) => Promise<void>)[] = [];
  let hepUdp: RunningServer['hepUdp'] = null;
  let hepTcp: RunningServer['hepTcp'] = null;
  try {
    // With port 0, TCP takes the port UDP got, so that one port number serves both. That number
    // may be in use for TCP (another socket's ephemeral port): then both go again on a new one.
    for (let attempt = 1; ingest && (config.udp || config.tcp); attempt++) {
      const udp = config.udp ? await listenUdp(ingest, { host: config.hepHost, port: config.hepPort, metrics, log }) : null;
      const port = config.hepPort === 0 && udp ? udp.address.port : config.hepPort;
      let tcp: Awaited<ReturnType<typeof listenTcp>> | null = null;
      try {
        tcp = config.tcp ? await listenTcp(ingest, { host: config.hepHost, port, maxConnections: config.maxTcpConnections,
          maxConnectionsPerAddress: config.maxTcpConnectionsPerAddress, idleMs: config.tcpIdleMs, metrics }) : null;
      } catch (err) {
        await udp?.close();
        if (udp && config.hepPort === 0 && (err as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < PORT_ATTEMPTS) continue;
        throw err;
      }
      if (udp) {
        hepUdp = udp.address;
        closers.push(() => udp.close());
      }
      if (tcp) {
        hepTcp = tcp.address;
        closers.push((timeoutMs) => tcp.close(Math.min(TCP_DRAIN_MS, timeoutMs / 4)));
      }
      break;
    }
    const app = await buildApp({ store, config, metrics, ingest, live });
    await app.listen({ host: config.httpHost, port: config.httpPort });
    const a = app.server.address() as AddressInfo;
    const httpUrl = `http://${formatEndpoint(a.address, a.port)}`;
    closers.unshift(() => app.close());

    const sweep = async () => {
      const cut = retentionCutoffs(config, Date.now() * 1000);
      if (!cut) return;
      const removed = await store.purge(cut);
      if (removed) log('retention: deleted old messages', { removed });
    };
    const timer = setInterval(() => void sweep().catch((e) => log('retention failed', { error: e.message })), RETENTION_SWEEP_MS);
    timer.unref();
    void sweep().catch((e) => log('retention failed', { error: e.message }));

    return {
      config, store, metrics, ingest, httpUrl, hepUdp, hepTcp,
      async close(timeoutMs = config.shutdownTimeoutMs) {
        const started = Date.now();
        const deadline = started + timeoutMs;
        const storedBefore = await storedCount(metrics);
        clearInterval(timer);
        // Listeners first, all at once: nothing new arrives while what was received is flushed.
        await within(Promise.all(closers.map((c) => c(timeoutMs).catch((e) => log('closing a listener failed', { error: e.message })))), deadline - Date.now());
        const storeReserve = Math.min(STORE_CLOSE_MS, timeoutMs * STORE_CLOSE_SHARE);
        const flushed = ingest ? await within(ingest.close(), deadline - storeReserve - Date.now()) : true;
        // Out of time: what still waits is dropped and counted; batches already with the store may still land.
        const abandoned = flushed ? 0 : ingest!.abandon('shutdown');
        const withStore = ingest?.unsettled ?? 0;
        const storedAtDeadline = await storedCount(metrics);
        // Past the deadline the store refuses what it still holds; the extra second only guards a hang.
        await within(store.close(deadline), Math.max(0, deadline - Date.now()) + STORE_CLOSE_MS);
        live.close();
        await within(feed.close(), Math.max(0, deadline - Date.now()));
        const storedAfter = await storedCount(metrics);
        // A batch the store could not finish before it closed is counted by the batcher ('store-failed').
        const unstored = abandoned + withStore - (storedAfter - storedAtDeadline);
        return { ms: Date.now() - started, stored: storedAfter - storedBefore, unstored };
      },
    };
  } catch (err) {
    for (const c of closers) await c(0).catch(() => {});
    live.close();
    await feed.close();
    await store.close();
    throw err;
  }
}

/** Waits for `p` at most `ms`; true when it settled in time. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((r) => { timer = setTimeout(() => r(false), Math.max(0, ms)); });
  try {
    return await Promise.race([p.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function storedCount(metrics: Metrics): Promise<number> {
  return (await metrics.stored.get()).values[0]?.value ?? 0;
}
