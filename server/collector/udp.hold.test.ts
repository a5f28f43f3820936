/**
 * UDP while the store is behind: a real SQLite store held by a second connection, the real
 * receiving thread on 127.0.0.1, and more datagrams than every buffer holds. What hepflow cannot
 * keep must be lost in the kernel, unread and unparsed, and counted; everything else stored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeHep3 } from '../hep/encode.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../hep/chunks.ts';
import { sendPackets } from '../replay/sender.ts';
import { defaults, type Config } from '../config.ts';
import { openStore } from '../store/open.ts';
import type { Store } from '../store/types.ts';
import { metric, waitFor } from '../testing/harness.ts';
import { Ingest } from './ingest.ts';
import { Metrics } from './metrics.ts';
import { listenUdp, type UdpListener } from './udp.ts';

const SENT = 20_000;
const MAX_PENDING = 300;
const IN_FLIGHT_BYTES = 256 * 1024;

function bye(i: number): Buffer {
  const callId = `held-${i}`;
  const sip = [`BYE sip:bob@10.0.0.2 SIP/2.0`, `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-${callId}`, 'From: <sip:alice@10.0.0.1>;tag=a1',
    'To: <sip:bob@10.0.0.2>;tag=b1', `Call-ID: ${callId}`, 'CSeq: 2 BYE', `X-Pad: ${'p'.repeat(400)}`, 'Content-Length: 0', '', ''].join('\r\n');
  return encodeHep3({ ipProtocol: IP_PROTOCOL.udp, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060, dstPort: 5060,
    tsSec: 1_700_000_000, tsUsec: i, protoType: PROTO_TYPE.sip, captureId: 2001, payload: sip });
}

/** Held: the backlog full, the datagrams between the threads at their bound, the kernel dropping. */
async function waitForHeld(ingest: Ingest, metrics: Metrics): Promise<void> {
  await waitFor(async () => {
    const text = await metrics.text();
    return ingest.full === 'buffer-full' && metric(text, 'hepflow_udp_queued_bytes') > IN_FLIGHT_BYTES - 2000
      && metric(text, 'hepflow_messages_dropped_total{reason="kernel-buffer-full"}') > 0;
  }, 'the backlog full, the queue at its bound and kernel drops counted', 10_000);
}

describe('UDP while the store is behind', () => {
  let dir: string;
  let store: Store | undefined;
  let udp: UdpListener | undefined;
  let locker: Database.Database | undefined;
  afterEach(async () => {
    if (locker?.inTransaction) locker.exec('COMMIT');
    locker?.close();
    await udp?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start() {
    dir = mkdtempSync(join(tmpdir(), 'hepflow-udp-hold-'));
    const config: Config = { ...defaults, store: join(dir, 'h.db'), maxPending: MAX_PENDING, batchSize: 100, batchDelayMs: 5, logLevel: 'silent' };
    store = await openStore(config);
    const metrics = new Metrics();
    const ingest = new Ingest({ store, config, metrics });
    udp = await listenUdp(ingest, { host: '127.0.0.1', port: 0, metrics, maxInFlightBytes: IN_FLIGHT_BYTES });
    // A second connection holds SQLite's write lock: the writer waits on it, the backlog fills.
    locker = new Database(config.store);
    locker.exec('BEGIN EXCLUSIVE');
    return { ingest, metrics, port: udp.address.port };
  }

  it('leaves what it cannot keep unread in the kernel, counts it, and parses nothing only to drop it', async () => {
    const { ingest, metrics, port } = await start();
    await sendPackets({ transport: 'udp', host: '127.0.0.1', port }, Array.from({ length: SENT }, (_, i) => bye(i)), { rate: 0 });
    await waitForHeld(ingest, metrics);
    locker!.exec('COMMIT');
    const counted = async () => {
      const text = await metrics.text();
      return metric(text, 'hepflow_messages_stored_total') + metric(text, 'hepflow_messages_dropped_total{reason="kernel-buffer-full"}');
    };
    await waitFor(async () => (await counted()) === SENT, 'every datagram stored or counted', 30_000);
    await ingest.flush();
    const text = await metrics.text();
    const stored = metric(text, 'hepflow_messages_stored_total');
    const kernel = metric(text, 'hepflow_messages_dropped_total{reason="kernel-buffer-full"}');
    console.log(`store held: sent ${SENT} datagrams; stored ${stored}, dropped by the kernel ${kernel}, `
      + `dropped after parsing ${metric(text, 'hepflow_messages_dropped_total{reason="buffer-full"}')}`);
    expect(metric(text, 'hepflow_messages_dropped_total{reason="buffer-full"}')).toBe(0);
    expect(metric(text, 'hepflow_messages_dropped_total{reason="buffer-bytes-full"}')).toBe(0);
    expect(stored).toBeGreaterThan(MAX_PENDING);
    expect((await store!.counts()).messages).toBe(stored);
    expect(stored + kernel).toBe(SENT);
    expect(metric(text, 'hepflow_udp_queued_bytes')).toBe(0);
  }, 60_000);

  it('closes while it holds the socket unread, and stores or counts every datagram it had read', async () => {
    const { ingest, metrics, port } = await start();
    await sendPackets({ transport: 'udp', host: '127.0.0.1', port }, Array.from({ length: SENT }, (_, i) => bye(i)), { rate: 0 });
    await waitForHeld(ingest, metrics);
    await udp!.close();
    udp = undefined;
    locker!.exec('COMMIT');
    await ingest.flush();
    const text = await metrics.text();
    const stored = metric(text, 'hepflow_messages_stored_total');
    const dropped = metric(text, 'hepflow_messages_dropped_total{reason="buffer-full"}');
    const kernel = metric(text, 'hepflow_messages_dropped_total{reason="kernel-buffer-full"}');
    console.log(`closed while held: stored ${stored}, dropped at close ${dropped}, dropped by the kernel ${kernel}`);
    // What it had read is stored or dropped and counted; of the rest, the kernel dropped some and
    // the socket took what it still held when it closed: never received, as on any close.
    expect(stored).toBeGreaterThan(0);
    expect(dropped).toBeGreaterThan(0);
    expect(kernel).toBeGreaterThan(0);
    expect(metric(text, 'hepflow_packets_received_total{transport="udp"}')).toBe(stored + dropped);
    expect(stored + dropped + kernel).toBeLessThanOrEqual(SENT);
  }, 60_000);
});

