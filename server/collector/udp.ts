/**
 * HEP over UDP: one datagram is one packet (no framing). The socket lives on a thread of its own
 * (udp-receiver.ts), which hands datagrams over in batches; this side feeds them to ingest.
 */
import { startWorker } from '../worker-thread.ts';
import type { Log } from '../log.ts';
import { UDP_MAX_IN_FLIGHT_BYTES, UDP_RECV_BUFFER_BYTES } from '../config.ts';
import { forEachDatagram } from './datagram-batch.ts';
import { TurnQueue } from './turn-queue.ts';
import type { Ingest } from './ingest.ts';
import type { Metrics } from './metrics.ts';
import type { ReceiverMessage, ReceiverOptions } from './udp-receiver.ts';


export interface UdpListener {
  address: { host: string; port: number };
  close(): Promise<void>;
}

export async function listenUdp(ingest: Ingest, o: { host: string; port: number; metrics: Metrics; log?: Log }): Promise<UdpListener> {
  const inFlight = new SharedArrayBuffer(4);
  const counter = new Int32Array(inFlight);
  const options: ReceiverOptions = { host: o.host, port: o.port, recvBufferBytes: UDP_RECV_BUFFER_BYTES, inFlight, maxInFlightBytes: UDP_MAX_IN_FLIGHT_BYTES };
  const worker = startWorker(new URL('./udp-receiver.ts', import.meta.url), options, 'hepflow-udp');
  let closed: () => void = () => {};
  const batches = new TurnQueue<Extract<ReceiverMessage, { type: 'batch' }>>((m) => {
    forEachDatagram(m.batch, (datagram, peer, receivedAt) => ingest.hep(datagram, { transport: 'udp', peer, receivedAt }));
    Atomics.sub(counter, 0, m.batch.bytes.byteLength);
    if (m.dropped) o.metrics.dropped.inc({ reason: 'receive-queue-full' }, m.dropped);
  });

  const address = await new Promise<UdpListener['address']>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: ReceiverMessage) => {
      switch (m.type) {
        case 'batch':
          batches.push(m);
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
      worker.postMessage({ type: 'close' });
      await Promise.race([done, new Promise((r) => setTimeout(r, 2000))]);
      await worker.terminate();
    },
  };
}
