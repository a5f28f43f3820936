/**
 * Memory stays bounded in bytes under hostile input: a real server (threaded SQLite store on a
 * temporary file, HEP over TCP on 127.0.0.1) fed compressed payloads that expand to megabytes, and
 * a store held by a second SQLite connection while large messages arrive.
 */
import { describe, it, expect, afterEach } from 'vitest';
import Database from 'better-sqlite3';
import { encodeHep3 } from '../hep/encode.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../hep/chunks.ts';
import { sendPackets } from '../replay/sender.ts';
import { startTestServer, waitFor, metric, type TestServer } from '../testing/harness.ts';

const T = 1_700_000_000; // seconds
const MiB = 1024 * 1024;

/** A SIP INVITE exactly `bytes` long: headers, then a body of one repeated letter (compresses ~1000:1). */
function sipOfLength(callId: string, bytes: number): string {
  const head = (bodyLength: number) => [
    'INVITE sip:bob@10.0.0.2 SIP/2.0',
    `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-${callId}`,
    'From: <sip:alice@10.0.0.1>;tag=a1',
    'To: <sip:bob@10.0.0.2>',
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    'Content-Type: text/plain',
    `Content-Length: ${String(bodyLength).padStart(10, '0')}`, // fixed width: the head's length does not depend on the body's
    '',
    '',
  ].join('\r\n');
  const body = bytes - head(0).length;
  return head(body) + 'A'.repeat(body);
}

/** A HEP3 packet over TCP-captured SIP; `compress` puts the payload in chunk 0x0010. */
function packet(payload: string, compress: 'gzip' | false = false): Buffer {
  return encodeHep3({
    ipProtocol: IP_PROTOCOL.udp, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060, dstPort: 5060,
    tsSec: T, tsUsec: 0, protoType: PROTO_TYPE.sip, captureId: 2001, payload, compress,
  });
}

/** A BYE of ordinary size. */
const ordinary = (i: number) => packet(sipOfLength(`plain-${i}`, 600).replace(/^INVITE/, 'BYE').replace(/1 INVITE/, '2 BYE'));

describe('memory bounded in bytes', () => {
  let s: TestServer;
  afterEach(async () => { await s?.stop(); });

  it('refuses payloads that expand past maxDecompressedBytes and stores every ordinary message around them', async () => {
    s = await startTestServer({ udp: false });
    const limit = s.config.maxDecompressedBytes;
    // 300 bombs of 1 to 4 MB once inflated (under the 4 MiB the decoder allowed before, past the
    // 256 KiB bound now), each sent as about 1-4 KB, between 600 ordinary messages; and one
    // message of exactly the bound, one byte past it.
    const BOMBS = 300;
    const ORDINARY = 600;
    // Four bombs, 1.0, 2.0, 3.0 and 4.0 MB inflated, each sent 75 times (compressing is the slow part).
    const bombs = [0, 1, 2, 3].map((k) => packet(sipOfLength(`bomb-${k}`, MiB + k * 1_000_000), 'gzip'));
    const packets: Buffer[] = [];
    for (let i = 0; i < ORDINARY; i++) {
      packets.push(ordinary(i));
      if (i % 2 === 0) packets.push(bombs[(i / 2) % 4]);
    }
    const atBound = sipOfLength('at-bound', limit);
    packets.push(packet(atBound, 'gzip'), packet(sipOfLength('past-bound', limit + 1), 'gzip'));
    const sentBytes = packets.reduce((n, p) => n + p.length, 0);

    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    await sendPackets({ transport: 'tcp', host: '127.0.0.1', port: s.hepTcp!.port }, packets, { rate: 0 });
    await waitFor(async () => (await s.store.counts()).messages >= ORDINARY + 1, 'the ordinary messages stored');
    await s.ingest!.flush();
    const elapsed = Date.now() - started;
    const rssGrowth = process.memoryUsage().rss - rssBefore;

    const text = (await s.get<string>('/metrics')).body;
    expect(metric(text, 'hepflow_packets_rejected_total{reason="decompressed-too-large"}')).toBe(BOMBS + 1);
    expect((await s.store.counts()).messages).toBe(ORDINARY + 1);
    expect(metric(text, 'hepflow_messages_stored_total')).toBe(ORDINARY + 1);
    expect(metric(text, 'hepflow_pending_messages')).toBe(0);
    expect(metric(text, 'hepflow_pending_bytes')).toBe(0);
    expect(metric(text, 'hepflow_store_errors_total')).toBe(0);
    const kept = await s.store.getGroup('at-bound');
    expect(kept?.messages.map((m) => m.raw.length)).toEqual([limit]);
    expect(kept!.messages[0].raw === atBound).toBe(true);
    expect(await s.store.getGroup('past-bound')).toBeNull();
    expect(await s.store.getGroup('bomb-0')).toBeNull();
    expect(rssGrowth).toBeLessThan(200 * MiB);
    console.log(`decompression bombs: sent ${packets.length} packets (${(sentBytes / 1024).toFixed(0)} KiB): ${BOMBS} bombs of 1-4 MB inflated, ` +
      `${ORDINARY} ordinary, 1 at the ${limit}-byte bound, 1 past it; stored ${ORDINARY + 1}, rejected ${BOMBS + 1} as decompressed-too-large, ` +
      `lost 0, pending 0; RSS growth ${(rssGrowth / MiB).toFixed(1)} MiB; ${elapsed} ms`);
  });

  it('drops and counts past maxPendingBytes while the store is held, then stores every message it kept', async () => {
    const maxPendingBytes = 4 * MiB;
    s = await startTestServer({ udp: false, maxPendingBytes });
    // A second connection holds SQLite's write lock: the writer thread waits on it (busy_timeout),
    // so what arrives stays pending, counted in bytes.
    const locker = new Database(s.config.store);
    locker.exec('BEGIN EXCLUSIVE');
    const SENT = 100;
    const size = 200_000; // each 200 KB once inflated: 100 of them are 20 MB, five times the bound
    const packets = Array.from({ length: SENT }, (_, i) => packet(sipOfLength(`big-${i}`, size), 'gzip'));
    try {
      await sendPackets({ transport: 'tcp', host: '127.0.0.1', port: s.hepTcp!.port }, packets, { rate: 0 });
      await waitFor(async () => metric((await s.get<string>('/metrics')).body, 'hepflow_packets_received_total{transport="tcp"}') === SENT, 'every packet received');
      const held = (await s.get<string>('/metrics')).body;
      expect(metric(held, 'hepflow_pending_bytes')).toBeGreaterThan(maxPendingBytes - size);
      expect(metric(held, 'hepflow_pending_bytes')).toBeLessThanOrEqual(maxPendingBytes);
    } finally {
      locker.exec('COMMIT');
      locker.close();
    }
    await s.ingest!.flush();
    const text = (await s.get<string>('/metrics')).body;
    const dropped = metric(text, 'hepflow_messages_dropped_total{reason="buffer-bytes-full"}');
    const stored = (await s.store.counts()).messages;
    expect(dropped).toBeGreaterThan(0);
    expect(stored).toBe(Math.floor(maxPendingBytes / size));
    expect(stored + dropped).toBe(SENT);
    expect(metric(text, 'hepflow_messages_stored_total')).toBe(stored);
    expect(metric(text, 'hepflow_pending_bytes')).toBe(0);
    console.log(`pending-bytes bound (${maxPendingBytes} bytes), store held by a lock: sent ${SENT} messages of ${size} bytes; ` +
      `stored ${stored}, dropped ${dropped} as buffer-bytes-full, pending 0 at the end`);
  });
});
