/**
 * PostgreSQL store vs SQLite store, same workload: ingest rate (store.insert of the collector's
 * batches, one after another, every message stored: zero loss by construction, checked by count),
 * then group fetch and search page latency with ROWS messages stored.
 *
 *   npx tsx bench/pg/run.ts [rows=2000000]      (PostgreSQL at HEPFLOW_BENCH_PG or postgres://root@127.0.0.1:5432)
 */
import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { defaults } from '../../server/config.ts';
import { openPostgresStore } from '../../server/store/postgres.ts';
import { openSqliteStore } from '../../server/store/sqlite.ts';
import type { MessageInput, Store } from '../../server/store/types.ts';
import { percentile } from '../lib.ts';

const ROWS = Number(process.argv[2] ?? 2_000_000);
const BATCH = defaults.batchSize; // what the collector writes per transaction
const PER_CALL = 6; // INVITE 100 200 ACK BYE 200
const CALLS = Math.ceil(ROWS / PER_CALL);
const SAMPLES = 300;
const PG = process.env.HEPFLOW_BENCH_PG ?? 'postgres://root@127.0.0.1:5432';
/** Calls start this far apart, µs: 2 M messages span about 9 hours, so several partitions. */
const CALL_GAP = 100_000;
const T0 = Date.now() * 1000 - CALLS * CALL_GAP;

const SDP = 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 8\r\na=sendrecv\r\n';

function raw(first: string, callId: string, cseq: string, sdp: boolean): string {
  return [first, `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-${callId}-${cseq.replace(' ', '')}`,
    'From: "Alice" <sip:alice@example.com>;tag=a1', 'To: <sip:bob@example.com>', `Call-ID: ${callId}`, `CSeq: ${cseq}`,
    'Max-Forwards: 70', 'User-Agent: bench', ...(sdp ? ['Content-Type: application/sdp', `Content-Length: ${SDP.length}`, '', SDP]
      : ['Content-Length: 0', '', ''])].join('\r\n');
}

/** The six messages of call i; every 10th call is a B-leg linked to the previous call by X-CID. */
function call(i: number): MessageInput[] {
  const callId = `bench-${i}@10.0.0.1`;
  const t = T0 + i * CALL_GAP;
  const user = `u${i % 5000}`;
  const links = i % 10 === 9 ? [{ target: `bench-${i - 1}@10.0.0.1`, rule: 'header' as const, header: 'X-CID', value: `bench-${i - 1}@10.0.0.1` }] : [];
  const m = (dt: number, p: Partial<MessageInput>, first: string, cseq: string, sdp = false): MessageInput => ({
    ts: t + dt, srcIp: '10.0.0.1', srcPort: 5060, dstIp: '10.0.0.2', dstPort: 5060, transport: 'udp', captureId: 'bench',
    hepCorrelationId: null, protoType: 1, callId, method: null, status: null, reason: null, cseqNum: 1, cseqMethod: 'INVITE',
    fromUser: 'alice', fromTag: 'a1', toUser: user, toTag: null, ruriUser: user, userAgent: 'bench',
    viaBranch: `z9hG4bK-${callId}-${cseq.replace(' ', '')}`, hasSdp: sdp, raw: raw(first, callId, cseq, sdp), problems: null,
    links: [], ...p,
  });
  return [
    m(0, { method: 'INVITE', links }, `INVITE sip:${user}@example.com SIP/2.0`, '1 INVITE', true),
    m(1000, { status: 100, reason: 'Trying' }, 'SIP/2.0 100 Trying', '1 INVITE'),
    m(50_000, { status: 200, reason: 'OK', toTag: 'b1' }, 'SIP/2.0 200 OK', '1 INVITE', true),
    m(60_000, { method: 'ACK', cseqMethod: 'ACK', toTag: 'b1' }, `ACK sip:${user}@example.com SIP/2.0`, '1 ACK'),
    m(5_000_000, { method: 'BYE', cseqNum: 2, cseqMethod: 'BYE', toTag: 'b1' }, `BYE sip:${user}@example.com SIP/2.0`, '2 BYE'),
    m(5_001_000, { status: 200, reason: 'OK', cseqNum: 2, cseqMethod: 'BYE', toTag: 'b1' }, 'SIP/2.0 200 OK', '2 BYE'),
  ];
}

interface Figures { ingest: number; fetch: number[]; search: number[]; filtered: number[]; page2: number[] }

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const v = await fn();
  return [performance.now() - t, v];
}

/**
 * Ingest through `writers` (one per collector process: each has its own pool and writes one batch
 * at a time, as the batcher does), then queries through the first.
 */
async function run(name: string, writers: Store[]): Promise<Figures> {
  const store = writers[0];
  let stored = 0;
  const started = performance.now();
  let next = 0;
  const produce = (): MessageInput[] | null => {
    if (next >= CALLS) return null;
    const batch: MessageInput[] = [];
    while (batch.length < BATCH && next < CALLS) batch.push(...call(next++));
    return batch;
  };
  await Promise.all(writers.map(async (w) => {
    for (let b = produce(); b; b = produce()) {
      await w.insert(b);
      stored += b.length;
      if (stored % 200_000 < BATCH) {
        process.stdout.write(`\r${name}: ${stored} stored, ${Math.round(stored / ((performance.now() - started) / 1000))} msg/s   `);
      }
    }
  }));
  const busy = performance.now() - started;
  process.stdout.write('\n');
  const counts = await store.counts();
  if (counts.messages !== stored) throw new Error(`${name}: ${counts.messages} stored of ${stored}`);
  const ingest = stored / (busy / 1000);
  const pick = (k: number) => Math.floor(((k * 7919) % SAMPLES) / SAMPLES * CALLS);
  const fetch: number[] = [];
  for (let k = 0; k < SAMPLES; k++) {
    const [ms, g] = await time(() => store.getGroup(`bench-${pick(k)}@10.0.0.1`));
    if (!g || g.messages.length < PER_CALL) throw new Error(`${name}: group of bench-${pick(k)} incomplete`);
    fetch.push(ms);
  }
  const search: number[] = [];
  const filtered: number[] = [];
  const page2: number[] = [];
  for (let k = 0; k < 50; k++) {
    const to = T0 + pick(k) * CALL_GAP;
    const [a, p] = await time(() => store.searchGroups({ limit: 100, from: to - 3_600_000_000, to }));
    search.push(a);
    if (p.next) page2.push((await time(() => store.searchGroups({ limit: 100, from: to - 3_600_000_000, to, cursor: p.next! })))[0]);
    filtered.push((await time(() => store.searchGroups({ limit: 100, user: `u${k * 37 % 5000}`, from: to - 3_600_000_000, to })))[0]);
  }
  return { ingest, fetch, search, filtered, page2 };
}

const fmt = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${percentile(s, 50).toFixed(1)} / ${percentile(s, 99).toFixed(1)}`;
};

async function main(): Promise<void> {
  console.log(`${ROWS} messages (${CALLS} calls of ${PER_CALL}), batches of ${BATCH}, ${SAMPLES} group fetches, 50 searches of each kind`);
  const name = `hepflow_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${PG}/test` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const dir = mkdtempSync(join(tmpdir(), 'hepflow-bench-'));
  const results: [string, Figures][] = [];
  try {
    // Two collectors writing at once, as in a scaled-out deployment (and to use both cores of the database).
    const pgStores = [await openPostgresStore({ ...defaults, store: `${PG}/${name}`, pgPool: 4 }),
      await openPostgresStore({ ...defaults, store: `${PG}/${name}`, pgPool: 4 })];
    results.push(['postgres, 2 writers', await run('postgres', pgStores)]);
    for (const s of pgStores) await s.close();
    const lite = openSqliteStore(join(dir, 'bench.db'));
    results.push(['sqlite, 1 writer', await run('sqlite', [lite])]);
    await lite.close();
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('\nstore               | ingest msg/s | group fetch ms p50 / p99 | search page ms p50 / p99 | user search | page 2');
  for (const [n, f] of results) {
    console.log(`${n.padEnd(19)} | ${String(Math.round(f.ingest)).padStart(12)} | ${fmt(f.fetch).padStart(24)} | ${fmt(f.search).padStart(24)} | ${fmt(f.filtered).padStart(11)} | ${fmt(f.page2)}`);
  }
}

await main();
