/**
 * Test support: a database of its own on the PostgreSQL at 127.0.0.1:5432 for each test file,
 * dropped at the end. Without PostgreSQL the suites skip with a clear line, unless CI=true, where
 * they fail (a CI machine is meant to have it).
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { defaults, type Config } from '../config.ts';
import { openPostgresStore } from '../store/postgres.ts';
import type { Store } from '../store/types.ts';
import type { StoreHarness } from './store-suite.ts';

export const PG_HOST = process.env.HEPFLOW_TEST_PG ?? 'postgres://root@127.0.0.1:5432';
const ADMIN_DB = 'test';

async function reachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: `${PG_HOST}/${ADMIN_DB}`, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** True when the suites must skip; prints why. With CI=true a missing server is an error instead. */
export const noPostgres: boolean = await (async () => {
  if (await reachable()) return false;
  if (process.env.CI === 'true') throw new Error(`no PostgreSQL at ${PG_HOST.replace(/^.*@/, '')} (CI=true: these tests must run)`);
  console.log(`skipped: no PostgreSQL at ${PG_HOST.replace(/^.*@/, '')}`);
  return true;
})();

export interface TestDatabase {
  url: string;
  /** Runs SQL on the test database (seeding heplify-server's rows, checking what was written). */
  query<T extends pg.QueryResultRow = any>(sql: string, args?: unknown[]): Promise<pg.QueryResult<T>>;
  /** Runs SQL from the maintenance database, e.g. to cut this one off (ALTER DATABASE, pg_terminate_backend). */
  admin(sql: string, args?: unknown[]): Promise<pg.QueryResult>;
  readonly name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `hepflow_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${PG_HOST}/${ADMIN_DB}` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = `${PG_HOST}/${name}`;
  const pool = new pg.Pool({ connectionString: url, max: 2, options: '-c TimeZone=UTC' });
  pool.on('error', () => {});
  return {
    url,
    name,
    query: (sql, args) => pool.query(sql, args as unknown[]),
    async admin(sql, args) {
      const a = new pg.Client({ connectionString: `${PG_HOST}/${ADMIN_DB}` });
      await a.connect();
      try { return await a.query(sql, args as unknown[]); } finally { await a.end(); }
    },
    async drop() {
      await pool.end();
      const a = new pg.Client({ connectionString: `${PG_HOST}/${ADMIN_DB}` });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** A config for a store on `url`. */
export function pgConfig(url: string, o: Partial<Config> = {}): Config {
  return { ...defaults, store: url, pgPool: 4, logLevel: 'silent', retentionDays: 0, ...o };
}

/** A store suite's harness on PostgreSQL: each store on a database of its own, dropped with it. */
export function postgresHarness(): StoreHarness {
  const dbs = new Map<Store, TestDatabase>();
  return {
    async open() {
      const db = await createTestDatabase();
      const store = await openPostgresStore(pgConfig(db.url));
      dbs.set(store, db);
      return store;
    },
    async destroy(store) {
      await store.close();
      await dbs.get(store)!.drop();
    },
  };
}
