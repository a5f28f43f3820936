/** HEP over UDP: one datagram is one packet (no framing). Sockets only; decoding is ingest's. */
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Ingest } from './ingest.ts';

/** Kernel receive buffer asked for, bytes: bursts of 40k+ packets/s must not overflow it. */
const RECV_BUFFER_BYTES = 32 * 1024 * 1024;

export async function listenUdp(ingest: Ingest, host: string, port: number): Promise<dgram.Socket> {
  const socket = dgram.createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', recvBufferSize: RECV_BUFFER_BYTES });
  socket.on('message', (buf, rinfo) => {
    ingest.hep(buf, { transport: 'udp', peer: `${rinfo.address}:${rinfo.port}`, receivedAt: Date.now() * 1000 });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => { socket.off('error', reject); resolve(); });
  });
  // After bind, an error (e.g. ICMP-caused) must not crash the collector.
  socket.on('error', () => {});
  return socket;
}
