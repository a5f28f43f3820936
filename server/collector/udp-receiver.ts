/**
 * The UDP receiving thread: reads HEP datagrams off the socket and hands them to the ingest
 * thread in batches. It does nothing else, so the kernel's receive buffer is drained at once even
 * while the ingest thread parses, collects garbage or answers a large API request: a UDP packet
 * that waits too long in the kernel is lost without a trace.
 */
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { DatagramBatchWriter, type DatagramBatch } from './datagram-batch.ts';

export interface ReceiverOptions {
  host: string;
  port: number;
  recvBufferBytes: number;
  /** Shared Int32 counter of bytes handed over but not yet ingested; the ingest thread lowers it. */
  inFlight: SharedArrayBuffer;
  /** Past this many bytes in flight, datagrams are dropped here and counted. */
  maxInFlightBytes: number;
}

export type ReceiverMessage =
  | { type: 'listening'; address: string; port: number }
  | { type: 'error'; message: string }
  | { type: 'batch'; batch: DatagramBatch; dropped: number }
  | { type: 'closed' };

/** Largest batch, bytes: about 1,000 typical SIP messages. */
const BATCH_BYTES = 1 << 20;
/**
 * A batch leaves at least this often, ms, so that a trickle of packets is not held back. Not 1:
 * each hand-over costs a postMessage here and a message event on the ingest thread, 1,000 a second
 * whatever the rate; at 5 both threads spent ~0.5-1 µs a message less (bench/ingest's calls-nosdp
 * at 20,000/s, runs alternated), for at most 5 ms more before a packet is parsed.
 */
const FLUSH_MS = 5;

if (parentPort) {
  const port = parentPort;
  const o = workerData as ReceiverOptions;
  const inFlight = new Int32Array(o.inFlight);
  const writer = new DatagramBatchWriter(BATCH_BYTES);
  let dropped = 0;
  let timer: NodeJS.Timeout | null = null;
  const post = (m: ReceiverMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (writer.size === 0 && dropped === 0) return;
    const batch = writer.take();
    Atomics.add(inFlight, 0, batch.bytes.byteLength);
    post({ type: 'batch', batch, dropped }, [batch.bytes.buffer as ArrayBuffer]);
    dropped = 0;
  };

  const socket = dgram.createSocket({ type: isIPv6(o.host) ? 'udp6' : 'udp4', recvBufferSize: o.recvBufferBytes });
  socket.on('message', (buf, rinfo) => {
    if (Atomics.load(inFlight, 0) + writer.size > o.maxInFlightBytes) {
      dropped++;
    } else {
      const peer = `${rinfo.address}:${rinfo.port}`;
      const receivedAt = Date.now() * 1000;
      if (!writer.add(buf, peer, receivedAt)) {
        flush();
        writer.add(buf, peer, receivedAt);
      }
    }
    timer ??= setTimeout(flush, FLUSH_MS);
  });
  socket.once('error', (err) => post({ type: 'error', message: err.message }));
  socket.bind(o.port, o.host, () => {
    socket.removeAllListeners('error');
    // After bind, an error (e.g. ICMP-caused) must not stop reception.
    socket.on('error', () => {});
    const a = socket.address();
    post({ type: 'listening', address: a.address, port: a.port });
  });
  port.on('message', (m: { type: 'close' }) => {
    if (m.type !== 'close') return;
    socket.close(() => {
      flush();
      post({ type: 'closed' });
      port.close();
    });
  });
}
