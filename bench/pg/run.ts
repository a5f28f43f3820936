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
import { call, CALL_GAP, PER_CALL, PG, T0 } from './workload.ts';

const ROWS = Number(process.argv[2] ?? 2_000_000);
const BATCH = defaults.batchSize; // what the collector writes per transaction
const CALLS = Math.ceil(ROWS / PER_CALL);
const SAMPLES = 300;

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
