/**
 * Wires one hepflow process: store, collector (UDP + TCP), HTTP app, retention sweep.
 * Used by `hepflow serve`, the integration tests and the benchmarks.
 */
import type { AddressInfo } from 'node:net';
import type { Config } from './config.ts';
import type { Store } from './store/types.ts';
import { openStore } from './store/open.ts';
import { Metrics } from './collector/metrics.ts';
import { Ingest } from './collector/ingest.ts';
import { listenUdp } from './collector/udp.ts';
import { listenTcp } from './collector/tcp.ts';
import { buildApp } from './api/app.ts';

export type Log = (msg: string, fields?: object) => void;

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
  close(): Promise<void>;
}

/** How often the retention sweep runs, ms. */
const RETENTION_SWEEP_MS = 60 * 60_000;

export async function startServer(config: Config, log: Log = () => {}): Promise<RunningServer> {
  const store = await openStore(config, log);
  const metrics = new Metrics();
  const ingest = config.collector ? new Ingest({ store, config, metrics, log }) : null;
  const closers: (() => Promise<void>)[] = [];
  let hepUdp: RunningServer['hepUdp'] = null;
  let hepTcp: RunningServer['hepTcp'] = null;
  try {
    if (ingest && config.udp) {
      const udp = await listenUdp(ingest, { host: config.hepHost, port: config.hepPort, metrics, log });
      hepUdp = udp.address;
      closers.push(() => udp.close());
    }
    if (ingest && config.tcp) {
      // With port 0, TCP takes the port UDP got, so that one port number serves both.
      const port = config.hepPort === 0 && hepUdp ? hepUdp.port : config.hepPort;
      const srv = await listenTcp(ingest, { host: config.hepHost, port, maxConnections: config.maxTcpConnections,
        idleMs: config.tcpIdleMs, metrics });
      const a = srv.address() as AddressInfo;
      hepTcp = { host: a.address, port: a.port };
      closers.push(() => new Promise((r) => { srv.close(() => r()); srv.unref(); }));
    }
    const app = await buildApp({ store, config, metrics, ingest });
    await app.listen({ host: config.httpHost, port: config.httpPort });
    const a = app.server.address() as AddressInfo;
    const httpUrl = `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
    closers.unshift(() => app.close());

    const sweep = async () => {
      if (config.retentionDays <= 0) return;
      const removed = await store.purgeBefore((Date.now() - config.retentionDays * 86_400_000) * 1000);
      if (removed) log('retention: deleted old messages', { removed });
    };
    const timer = setInterval(() => void sweep().catch((e) => log('retention failed', { error: e.message })), RETENTION_SWEEP_MS);
    timer.unref();
    void sweep().catch((e) => log('retention failed', { error: e.message }));

    return {
      config, store, metrics, ingest, httpUrl, hepUdp, hepTcp,
      async close() {
        clearInterval(timer);
        for (const c of closers) await c();
        await ingest?.close();
        await store.close();
      },
    };
  } catch (err) {
    for (const c of closers) await c().catch(() => {});
    await store.close();
    throw err;
  }
}
