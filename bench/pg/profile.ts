/**
 * Where the time of a PostgreSQL ingest batch goes: wall time of every statement a batch sends
 * (grouped by its first words), the Node-side rest, and the server's own view from
 * pg_stat_statements when the extension is loadable. Same workload as run.ts.
 *
 *   npx tsx bench/pg/profile.ts [rows=300000] [writers=2]
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { defaults } from '../../server/config.ts';
import { openPostgresStore } from '../../server/store/postgres.ts';
import type { MessageInput } from '../../server/store/types.ts';
import { call, PG, PER_CALL } from './workload.ts';

const ROWS = Number(process.argv[2] ?? 300_000);
const WRITERS = Number(process.argv[3] ?? 2);
const CALLS = Math.ceil(ROWS / PER_CALL);

/** Statement label → [count, total ms]. Wraps every client's query (promise form, as the store uses). */
const spent = new Map<string, [number, number]>();
function label(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().replace(/hep_proto_\w+/g, 'hep_proto_*').slice(0, 60);
}
const original = pg.Client.prototype.query as (...a: unknown[]) => unknown;
(pg.Client.prototype as any).query = function (this: pg.Client, ...args: unknown[]) {
  const out = original.apply(this, args);
  const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
  if (!text) return out;
  const t = performance.now();
  const k = label(text);
  const done = () => {
    const e = spent.get(k) ?? [0, 0];
    spent.set(k, [e[0] + 1, e[1] + performance.now() - t]);
  };
  if (out instanceof Promise) return out.finally(done);
  // A COPY stream (pg-copy-streams): from submission until the server confirmed the data.
  const stream = out as { once?: (ev: string, f: () => void) => void };
  stream.once?.('finish', done);
  return out;
};

async function main(): Promise<void> {
  const name = `hepflow_prof_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${PG}/test` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  // SYNC_OFF=1: what synchronous_commit=off (the store's option, see the README) changes, for the whole database.
  if (process.env.SYNC_OFF) await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  try {
    const stores = await Promise.all(Array.from({ length: WRITERS },
      () => openPostgresStore({ ...defaults, store: `${PG}/${name}`, pgPool: 4 })));
    const probe = new pg.Client({ connectionString: `${PG}/${name}` });
    await probe.connect();
    const settings = await probe.query(`SELECT name, setting, unit FROM pg_settings
      WHERE name IN ('shared_buffers', 'max_wal_size', 'synchronous_commit', 'wal_buffers', 'checkpoint_timeout', 'work_mem')`);
    console.log('server:', settings.rows.map((r) => `${r.name}=${r.setting}${r.unit ?? ''}`).join(' '));
    spent.clear();
    let next = 0;
    let insertMs = 0;
    const started = performance.now();
    await Promise.all(stores.map(async (s) => {
      while (next < CALLS) {
        const batch: MessageInput[] = [];
        while (batch.length < defaults.batchSize && next < CALLS) batch.push(...call(next++));
        const t = performance.now();
        await s.insert(batch);
        insertMs += performance.now() - t;
      }
    }));
    const wall = performance.now() - started;
    const batches = Math.ceil(CALLS * PER_CALL / defaults.batchSize);
    console.log(`${CALLS * PER_CALL} messages, ${WRITERS} writers, ${batches} batches: ${Math.round(CALLS * PER_CALL / (wall / 1000))} msg/s, `
      + `${(insertMs / batches).toFixed(1)} ms per batch (summed over writers)`);
    const rows = [...spent].sort((a, b) => b[1][1] - a[1][1]);
    let stmtMs = 0;
    for (const [, [, ms]] of rows) stmtMs += ms;
    for (const [k, [n, ms]] of rows.slice(0, 25)) {
      console.log(`${(ms / batches).toFixed(2).padStart(8)} ms/batch ${String(n).padStart(6)}x  ${k}`);
    }
    console.log(`statements ${(stmtMs / batches).toFixed(1)} ms/batch; rest (Node: row building, grouping, pg encoding) `
      + `${((insertMs - stmtMs) / batches).toFixed(1)} ms/batch`);
    await probe.end();
    for (const s of stores) await s.close();
  } finally {
    if (process.env.KEEP) console.log(`kept database ${name}`);
    else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
