/**
 * The threaded SQLite store behind: a real file whose write lock a second connection holds. Every
 * full batch must reach the writer thread at once, packed, so that the ingest thread holds no
 * backlog of message objects for its collections to carry; and everything must be stored once the
 * lock goes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeHep3 } from '../hep/encode.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../hep/chunks.ts';
import { defaults, type Config } from '../config.ts';
import { Ingest } from '../collector/ingest.ts';
import { Metrics } from '../collector/metrics.ts';
import { openStore } from './open.ts';
import type { Store } from './types.ts';

const BATCH = 10;
/** A hundred batches: more than the 64 the store once took at a time. */
const MESSAGES = 1000;

function bye(i: number): Buffer {
  const callId = `behind-${i}`;
  const sip = [`BYE sip:bob@10.0.0.2 SIP/2.0`, `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-${callId}`, 'From: <sip:alice@10.0.0.1>;tag=a1',
    'To: <sip:bob@10.0.0.2>;tag=b1', `Call-ID: ${callId}`, 'CSeq: 2 BYE', 'Content-Length: 0', '', ''].join('\r\n');
  return encodeHep3({ ipProtocol: IP_PROTOCOL.udp, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060, dstPort: 5060,
    tsSec: 1_700_000_000, tsUsec: i, protoType: PROTO_TYPE.sip, captureId: 2001, payload: sip });
}

describe('threaded SQLite store behind', () => {
  let dir: string;
  let store: Store | undefined;
  let locker: Database.Database | undefined;
  afterEach(async () => {
    if (locker?.inTransaction) locker.exec('COMMIT');
    locker?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes every full batch at once, packed, and stores them all once the lock goes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hepflow-behind-'));
    const config: Config = { ...defaults, store: join(dir, 'b.db'), batchSize: BATCH, batchDelayMs: 5, logLevel: 'silent' };
    store = await openStore(config);
    locker = new Database(config.store);
    locker.exec('BEGIN EXCLUSIVE');
    const ingest = new Ingest({ store, config, metrics: new Metrics() });
    for (let i = 0; i < MESSAGES; i++) ingest.hep(bye(i), { transport: 'udp', peer: '127.0.0.1:5060', receivedAt: Date.now() * 1000 });
    // Batches are handed over once prepared (a few promise turns), long before the writer's first
    // attempt gives up on the lock and the store backs off.
    await new Promise((r) => setTimeout(r, 20));
    expect(ingest.unsettled).toBe(MESSAGES);
    expect(ingest.pending).toBeLessThan(BATCH);
    locker.exec('COMMIT');
    await ingest.flush();
    expect((await store.counts()).messages).toBe(MESSAGES);
  });
});
