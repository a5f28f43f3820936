/**
 * HEP over UDP: one datagram is one packet (no framing). The socket lives on a thread of its own
 * (udp-receiver.ts), which hands datagrams over in batches; this side feeds them to ingest.
 */
import { startWorker } from '../worker-thread.ts';
import type { Log } from '../log.ts';
import { UDP_MAX_IN_FLIGHT_BYTES, UDP_RECV_BUFFER_BYTES } from '../config.ts';
import { CLOSING, forEachDatagram, IN_FLIGHT, type DatagramBatch } from './datagram-batch.ts';
import { TurnQueue } from './turn-queue.ts';
import type { Ingest } from './ingest.ts';
import type { Metrics } from './metrics.ts';
import type { ReceiverMessage, ReceiverOptions } from './udp-receiver.ts';

export interface UdpListener {
  address: { host: string; port: number };
  close(): Promise<void>;
}

/** A batch of datagrams handed over, and how far into it the ingest has gone (bytes). */
interface Received {
  batch: DatagramBatch;
  at: number;
}

export async function listenUdp(ingest: Ingest, o: { host: string; port: number; metrics: Metrics; log?: Log;
  maxInFlightBytes?: number; }): Promise<UdpListener> {
  const shared = new Int32Array(new SharedArrayBuffer(8));
  const options: ReceiverOptions = { host: o.host, port: o.port, recvBufferBytes: UDP_RECV_BUFFER_BYTES, shared: shared.buffer as SharedArrayBuffer,
    maxInFlightBytes: o.maxInFlightBytes ?? UDP_MAX_IN_FLIGHT_BYTES };
  const worker = startWorker(new URL('./udp-receiver.ts', import.meta.url), options, 'hepflow-udp');
  let closed: () => void = () => {};
  // While the store is behind, datagrams wait here, unparsed, and then in the kernel (udp-receiver.ts),
  // instead of being parsed to be dropped. Closing, they are fed all the same: kept or counted.
  const batches = new TurnQueue<Received>((r, draining) => {
    r.at = forEachDatagram(r.batch, (datagram, peer, receivedAt) => {
      if (!draining && ingest.full) return false;
      ingest.hep(datagram, { transport: 'udp', peer, receivedAt });
    }, r.at);
    if (r.at < r.batch.bytes.byteLength) return ingest.room();
    Atomics.sub(shared, IN_FLIGHT, r.batch.bytes.byteLength);
    Atomics.notify(shared, IN_FLIGHT);
  });
  const kernelDropped = o.metrics.dropped.labels('kernel-buffer-full');
  o.metrics.udpQueuedBytesSource = () => Atomics.load(shared, IN_FLIGHT);

  const address = await new Promise<UdpListener['address']>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: ReceiverMessage) => {
      switch (m.type) {
        case 'batch':
          batches.push({ batch: m.batch, at: 0 });
          break;
        case 'dropped':
          kernelDropped.inc(m.count);
          break;
        case 'listening':
          worker.off('error', reject);
          worker.on('error', (err) => o.log?.('UDP receiver failed', { error: err.message }));
          resolve({ host: m.address, port: m.port });
          break;
        case 'error':
          reject(new Error(`UDP ${o.host}:${o.port}: ${m.message}`));
          void worker.terminate();
          break;
        case 'closed':
          batches.drain(); // what was received is fed before the listener says it is closed
          closed();
          break;
      }
    });
  });

  return {
    address,
    async close() {
      const done = new Promise<void>((r) => { closed = r; });
      Atomics.store(shared, CLOSING, 1);
      Atomics.notify(shared, IN_FLIGHT);
      worker.postMessage({ type: 'close' });
      await Promise.race([done, new Promise((r) => setTimeout(r, 2000))]);
      await worker.terminate();
    },
  };
}
