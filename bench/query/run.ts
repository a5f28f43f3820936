/**
 * Query benchmark: 2 million messages (basic calls, and every 50th call a transfer linking it to
 * the previous one) stored through the real ingest path into SQLite; then, over HTTP, the time to
 * fetch one group and one search page: median and p99. Then the stats page's answer
 * (GET /api/v1/stats) over 1 million calls of mixed outcomes (server/testing/stats-calls.ts), stored through the
 * store's insert: median and p99 (goal: under 300 ms).
 *
 *   npx tsx bench/query/run.ts [--messages 2000000] [--samples 500] [--db FILE]
 *     [--stats-calls 1000000] [--stats-samples 30] [--stats-db FILE] [--only search|stats]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaults } from '../../server/config.ts';
import { openSqliteStore } from '../../server/store/sqlite.ts';
import { Ingest } from '../../server/collector/ingest.ts';
import { Metrics } from '../../server/collector/metrics.ts';
import { benchPacket, MESSAGES_PER_CALL, benchCallId } from '../traffic.ts';
import { spawnServer, percentile, type ServerProcess } from '../lib.ts';
import { carrierOf, statsCall } from '../../server/testing/stats-calls.ts';
import type { MessageInput } from '../../server/store/types.ts';

const { values } = parseArgs({ options: {
  messages: { type: 'string', default: '2000000' }, samples: { type: 'string', default: '500' }, db: { type: 'string' },
  'stats-calls': { type: 'string', default: '1000000' }, 'stats-samples': { type: 'string', default: '30' }, 'stats-db': { type: 'string' },
  only: { type: 'string' },
} });
const total = Number(values.messages);
const samples = Number(values.samples);
const dir = mkdtempSync(join(tmpdir(), 'hepflow-bench-query-'));
const dbPath = values.db ?? join(dir, 'query.db');
const calls = Math.floor(total / MESSAGES_PER_CALL);
const base = Date.now() * 1000 - total * 100;

if (values.only !== 'stats') await searchBench();
if (values.only !== 'search') await statsBench();
rmSync(dir, { recursive: true, force: true });

/** Group fetch and search pages over `--messages` messages stored through ingest. */
async function searchBench(): Promise<void> {
  if (!existsSync(dbPath) || !values.db) {
    const store = openSqliteStore(dbPath);
    const config = { ...defaults, store: dbPath, batchSize: 5000, maxPending: 1_000_000 };
    const ingest = new Ingest({ store, config, metrics: new Metrics() });
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      ingest.hep(benchPacket(i, base), { transport: 'udp', peer: '127.0.0.1:1', receivedAt: 0 });
      if (i % 50_000 === 0) await ingest.flush();
    }
    await ingest.close();
    await store.close();
    const s = (performance.now() - t0) / 1000;
    console.log(`stored ${total} messages (${calls} calls) in ${s.toFixed(1)} s through ingest: ${(total / s).toFixed(0)} msg/s`);
}

const server = await spawnServer(['--store', dbPath, '--no-collector']);
const time = (path: string) => timeGet(server, path);

// The stored calls' time span (the database may come from an earlier run with --db).
const newest = (await (await fetch(`${server.http}/api/v1/calls?limit=1`)).json()).items[0];
const span = { from: newest.start - total * 100, to: newest.start };
const callId = benchCallId;
const pick = () => Math.floor(Math.random() * calls);
for (let i = 0; i < 20; i++) await time(`/api/v1/groups/${encodeURIComponent(callId(pick()))}`); // warm-up
const group: number[] = [];
for (let i = 0; i < samples; i++) group.push(await time(`/api/v1/groups/${encodeURIComponent(callId(pick()))}`));
report('group fetch', group);

const searches: [string, () => string][] = [
  ['latest', () => '/api/v1/calls?limit=100'],
  ['time range', () => `/api/v1/calls?limit=100&from=${span.from + Math.floor(Math.random() * (span.to - span.from))}`],
  ['empty time range', () => `/api/v1/calls?limit=100&from=${span.to + 3_600_000_000}`],
  ['user', () => `/api/v1/calls?limit=100&user=1${String(pick() % 1_000_000).padStart(6, '0')}`],
  ['any id (q)', () => `/api/v1/calls?limit=100&q=${encodeURIComponent(callId(pick()))}`],
  ['method', () => '/api/v1/calls?limit=100&method=BYE'],
  ['status', () => '/api/v1/calls?limit=100&status=200'],
];
const all: number[] = [];
for (const [name, make] of searches) {
  const ms: number[] = [];
  for (let i = 0; i < Math.ceil(samples / searches.length); i++) ms.push(await time(make()));
  report(`  search page, ${name}`, [...ms]);
  all.push(...ms);
}
report('search page (100 rows), all kinds', all);
await server.stop();
}

/** Milliseconds to GET `path` from `server` and read the whole answer. */
async function timeGet(server: ServerProcess, path: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(server.http + path);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return performance.now() - t;
}

function report(what: string, ms: number[]): void {
  ms.sort((a, b) => a - b);
  console.log(`${what}: median ${percentile(ms, 50).toFixed(2)} ms, p99 ${percentile(ms, 99).toFixed(2)} ms (${ms.length} requests)`);
}

/** GET /api/v1/stats over `--stats-calls` calls (statsCall), 10 calls a second. */
async function statsBench(): Promise<void> {
  const n = Number(values['stats-calls']);
  const file = values['stats-db'] ?? join(dir, 'stats.db');
  const stepMicros = 100_000;
  const base = Date.now() * 1000 - n * stepMicros - 600_000_000;
  if (!existsSync(file) || !values['stats-db']) {
    const store = openSqliteStore(file);
    const t0 = performance.now();
    let batch: MessageInput[] = [];
    for (let i = 0; i < n; i++) {
      batch.push(...statsCall(i, base + i * stepMicros));
      if (batch.length >= 5000) { await store.insert(batch); batch = []; }
    }
    await store.insert(batch);
    await store.close();
    console.log(`stored ${n} calls of mixed outcomes in ${((performance.now() - t0) / 1000).toFixed(1)} s through the store's insert`);
  }
  const server = await spawnServer(['--store', file, '--no-collector']);
  try {
    const whole = await (await fetch(`${server.http}/api/v1/stats`)).json();
    console.log(`stats of ${whole.calls} calls: ASR ${(whole.asr * 100).toFixed(1)} %, NER ${(whole.ner * 100).toFixed(1)} %, `
      + `ACD ${whole.acdMs} ms, PDD p50 ${whole.pddP50Ms} ms, p95 ${whole.pddP95Ms} ms, ${whole.series.length} buckets`);
    const last = whole.to as number;
    const kinds: [string, string][] = [
      [`all ${n} calls (no range)`, '/api/v1/stats'],
      ['all calls, range given', `/api/v1/stats?from=${whole.from}&to=${last}`],
      ['last hour', `/api/v1/stats?from=${last - 3_600_000_000}&to=${last}`],
      ['one carrier (1/20 of the calls)', `/api/v1/stats?ip=${carrierOf(7)}`],
      ['the proxy (every call)', '/api/v1/stats?ip=10.0.0.5'],
    ];
    for (const [, path] of kinds) await timeGet(server, path); // warm-up
    for (const [name, path] of kinds) {
      const ms: number[] = [];
      for (let i = 0; i < Number(values['stats-samples']); i++) ms.push(await timeGet(server, path));
      report(`stats, ${name}`, ms);
    }
  } finally {
    await server.stop();
  }
}
