/**
 * Query benchmark: 2 million messages (basic calls, and every 50th call a transfer linking it to
 * the previous one) stored through the real ingest path into SQLite; then, over HTTP, the time to
 * fetch one group and one search page: median and p99.
 *
 *   npx tsx bench/query/run.ts [--messages 2000000] [--samples 500] [--db FILE]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaults } from '../../server/config.ts';
import { openSqliteStore } from '../../server/store/sqlite.ts';
import { Ingest } from '../../server/collector/ingest.ts';
import { Metrics } from '../../server/collector/metrics.ts';
import { benchPacket, MESSAGES_PER_CALL, callMessage } from '../traffic.ts';
import { spawnServer, percentile } from '../lib.ts';

const { values } = parseArgs({ options: {
  messages: { type: 'string', default: '2000000' }, samples: { type: 'string', default: '500' }, db: { type: 'string' },
} });
const total = Number(values.messages);
const samples = Number(values.samples);
const dir = mkdtempSync(join(tmpdir(), 'hepflow-bench-query-'));
const dbPath = values.db ?? join(dir, 'query.db');
const calls = Math.floor(total / MESSAGES_PER_CALL);
const base = Date.now() * 1000 - total * 100;

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
async function time(path: string): Promise<number> {
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

// The stored calls' time span (the database may come from an earlier run with --db).
const newest = (await (await fetch(`${server.http}/api/v1/calls?limit=1`)).json()).items[0];
const span = { from: newest.start - total * 100, to: newest.start };
const callId = (n: number) => /Call-ID: (.*)\r\n/.exec(callMessage(n, 0).text)![1];
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
if (!values.db) rmSync(dir, { recursive: true, force: true });
