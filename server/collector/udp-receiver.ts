/**
 * The UDP receiving thread: reads HEP datagrams off the socket and hands them to the ingest
 * thread in batches. It does nothing else, so the kernel's receive buffer is drained at once even
 * while the ingest thread parses, collects garbage or answers a large API request: a UDP packet
 * that waits too long in the kernel is lost without a trace.
 */
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { CLOSING, DatagramBatchWriter, IN_FLIGHT, type DatagramBatch } from './datagram-batch.ts';
import { KernelDrops } from './udp-drops.ts';

export interface ReceiverOptions {
  host: string;
  port: number;
  recvBufferBytes: number;
  /** Shared Int32 slots (datagram-batch.ts IN_FLIGHT, CLOSING). */
  shared: SharedArrayBuffer;
  /** Past this many bytes in flight, this thread stops reading the socket until the ingest thread catches up. */
  maxInFlightBytes: number;
}

export type ReceiverMessage =
  | { type: 'listening'; address: string; port: number }
  | { type: 'error'; message: string }
  | { type: 'batch'; batch: DatagramBatch }
  /** Datagrams the kernel dropped, its receive buffer full, since the last such message. */
  | { type: 'dropped'; count: number }
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
/** How often the kernel's drops on the socket are read, ms, and at most how long a wait for room lasts before they are. */
const DROPS_EVERY_MS = 1000;
const WAIT_MS = 100;

if (parentPort) {
  const port = parentPort;
  const o = workerData as ReceiverOptions;
  const shared = new Int32Array(o.shared);
  const writer = new DatagramBatchWriter(BATCH_BYTES);
  let timer: NodeJS.Timeout | null = null;
  let drops: KernelDrops | null = null;
  const post = (m: ReceiverMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (writer.size === 0) return;
    const batch = writer.take();
    Atomics.add(shared, IN_FLIGHT, batch.bytes.byteLength);
    post({ type: 'batch', batch }, [batch.bytes.buffer as ArrayBuffer]);
  };
  const reportDrops = () => {
    const count = drops?.take() ?? 0;
    if (count) post({ type: 'dropped', count });
  };
  /**
   * The ingest thread is that far behind (the store is): this thread holds, leaving the socket
   * unread, until it catches up or closes. What arrives meanwhile waits in the kernel's buffer,
   * and past it the kernel drops it, which costs no CPU here or there (reading and then dropping
   * a datagram cost both threads ~4 µs, taken from the store's writer) and is counted from /proc.
   */
  const waitForRoom = () => {
    flush();
    for (let n = Atomics.load(shared, IN_FLIGHT); n > o.maxInFlightBytes && !Atomics.load(shared, CLOSING); n = Atomics.load(shared, IN_FLIGHT)) {
      Atomics.wait(shared, IN_FLIGHT, n, WAIT_MS);
      reportDrops();
    }
  };

  const socket = dgram.createSocket({ type: isIPv6(o.host) ? 'udp6' : 'udp4', recvBufferSize: o.recvBufferBytes });
  socket.on('message', (buf, rinfo) => {
    if (Atomics.load(shared, IN_FLIGHT) + writer.size > o.maxInFlightBytes) waitForRoom();
    const peer = `${rinfo.address}:${rinfo.port}`;
    const receivedAt = Date.now() * 1000;
    if (!writer.add(buf, peer, receivedAt)) {
      flush();
      writer.add(buf, peer, receivedAt);
    }
    timer ??= setTimeout(flush, FLUSH_MS);
  });
  socket.once('error', (err) => post({ type: 'error', message: err.message }));
  socket.bind(o.port, o.host, () => {
    socket.removeAllListeners('error');
    // After bind, an error (e.g. ICMP-caused) must not stop reception.
    socket.on('error', () => {});
    const a = socket.address();
    drops = new KernelDrops(a.port, a.family === 'IPv6');
    setInterval(reportDrops, DROPS_EVERY_MS).unref();
    post({ type: 'listening', address: a.address, port: a.port });
  });
  port.on('message', (m: { type: 'close' }) => {
    if (m.type !== 'close') return;
    reportDrops();
    socket.close(() => {
      flush();
      post({ type: 'closed' });
      port.close();
    });
  });
}
