/**
 * HEP over TCP (OpenSIPS's default transport for HEPv3): packets back to back on the stream,
 * framed by server/hep/framing.ts. Bounded so that senders cannot starve each other: a connection
 * counts as alive only while it delivers complete frames, and the slots go to those that do
 * (tcp-slots.ts decides; this file holds the sockets).
 */
import net from 'node:net';
import { EVICT_AFTER_MS } from '../config.ts';
import { HepStreamFramer } from '../hep/framing.ts';
import type { Ingest } from './ingest.ts';
import type { Metrics } from './metrics.ts';
import { admit, idleSince, type Slot } from './tcp-slots.ts';

export interface TcpOptions {
  host: string;
  port: number;
  /** Connections at once; past it the one longest without a frame is evicted (tcp-slots.ts). */
  maxConnections: number;
  maxConnectionsPerAddress: number;
  /** A connection without a complete frame for this long is closed, ms. */
  idleMs: number;
  metrics: Metrics;
}

export interface TcpListener {
  address: { host: string; port: number };
  /** Open connections. */
  readonly connections: number;
  /**
   * Stops accepting, tells every sender the stream ends (FIN) and keeps reading what they had
   * sent until they close or `drainMs` passes; then drops the rest. Resolves once all are closed.
   */
  close(drainMs: number): Promise<void>;
}

interface Connection extends Slot {
  socket: net.Socket;
  framer: HepStreamFramer;
}

export async function listenTcp(ingest: Ingest, o: TcpOptions): Promise<TcpListener> {
  const { metrics } = o;
  const open = new Set<Connection>();
  const closeFor = (c: Connection, reason: 'idle' | 'evicted' | 'shutdown') => {
    metrics.tcpClosed.inc({ reason });
    c.socket.destroy();
  };

  const server = net.createServer((socket) => {
    const address = socket.remoteAddress;
    if (!address) { socket.destroy(); return; } // already gone
    const decision = admit([...open], address, Date.now(), { maxConnections: o.maxConnections,
      maxPerAddress: o.maxConnectionsPerAddress, evictAfterMs: Math.min(EVICT_AFTER_MS, o.idleMs) });
    if (decision.action === 'refuse') {
      metrics.tcpRefused.inc({ reason: decision.reason });
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    if (decision.action === 'evict') closeFor(decision.victim as Connection, 'evicted');

    const peer = `${address}:${socket.remotePort}`;
    const c: Connection = { socket, framer: new HepStreamFramer(), address, lastFrameAt: Date.now() };
    open.add(c);
    metrics.tcpConnections.inc();
    socket.on('data', (chunk) => {
      const out = c.framer.push(chunk);
      for (const r of out.rejections) metrics.rejected.inc({ reason: r.reason });
      if (out.skipped) metrics.tcpBytesDiscarded.inc({ reason: 'resync' }, out.skipped);
      if (!out.frames.length) return;
      const receivedAt = Date.now();
      c.lastFrameAt = receivedAt;
      for (const frame of out.frames) ingest.hep(frame, { transport: 'tcp', peer, receivedAt: receivedAt * 1000 });
    });
    socket.on('error', () => {}); // a reset peer is routine; 'close' follows
    socket.on('close', () => {
      open.delete(c);
      metrics.tcpConnections.dec();
      if (c.framer.pending) metrics.tcpBytesDiscarded.inc({ reason: 'left-at-close' }, c.framer.pending);
    });
  });

  // Idle is "no complete frame", which no socket timeout can see (any byte resets it): a sweep does.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const c of open) if (idleSince(c, now) >= o.idleMs) closeFor(c, 'idle');
  }, Math.max(10, Math.min(SWEEP_MAX_MS, o.idleMs / 4)));
  sweep.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => { server.off('error', reject); resolve(); });
  });
  const a = server.address() as net.AddressInfo;

  return {
    address: { host: a.address, port: a.port },
    get connections() { return open.size; },
    async close(drainMs) {
      clearInterval(sweep);
      const listenerClosed = new Promise<void>((r) => server.close(() => r()));
      const allClosed = [...open].map((c) => new Promise<void>((r) => {
        if (c.socket.destroyed) return r();
        c.socket.once('close', () => r());
        c.socket.end();
      }));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(allClosed), new Promise((r) => { timer = setTimeout(r, drainMs); })]);
      clearTimeout(timer);
      for (const c of open) closeFor(c, 'shutdown');
      await listenerClosed;
    },
  };
}

/** Longest step of the idle sweep, ms: a connection is closed at most this late. */
const SWEEP_MAX_MS = 1000;
