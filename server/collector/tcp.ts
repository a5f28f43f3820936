/**
 * HEP over TCP (OpenSIPS's default transport for HEPv3): packets back to back on the stream,
 * framed by server/hep/framing.ts. Bounded: a connection limit and an idle timeout.
 */
import net from 'node:net';
import { HepStreamFramer } from '../hep/framing.ts';
import type { Ingest } from './ingest.ts';
import type { Metrics } from './metrics.ts';

export interface TcpOptions {
  host: string;
  port: number;
  maxConnections: number;
  idleMs: number;
  metrics: Metrics;
}

export async function listenTcp(ingest: Ingest, o: TcpOptions): Promise<net.Server> {
  const server = net.createServer((socket) => {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    const framer = new HepStreamFramer();
    o.metrics.tcpConnections.inc();
    socket.setTimeout(o.idleMs, () => socket.destroy());
    socket.on('data', (chunk) => {
      const out = framer.push(chunk);
      for (const r of out.rejections) o.metrics.rejected.inc({ reason: r.reason });
      const receivedAt = Date.now() * 1000;
      for (const frame of out.frames) ingest.hep(frame, { transport: 'tcp', peer, receivedAt });
    });
    socket.on('error', () => {}); // a reset peer is routine; 'close' follows
    socket.on('close', () => o.metrics.tcpConnections.dec());
  });
  server.maxConnections = o.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => { server.off('error', reject); resolve(); });
  });
  return server;
}
