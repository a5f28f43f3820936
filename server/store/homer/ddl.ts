/**
 * Creating what hepflow needs in a Homer 7 database: the Homer parent tables when missing, time
 * partitions on demand (ahead of time and for older imported messages), hepflow's own tables
 * beside Homer's, and the retention drop. Homer's tables are never altered.
 */
import type pg from 'pg';
import type { EpochMicros } from '../types.ts';
import {
  HOMER_PROFILES, type HomerProfile, parentDdl, partitionDdl, partitionName, partitionStart, partitionUpperBound,
} from './tables.ts';

/** Advisory lock keys (pg_advisory_xact_lock): one for DDL, one for the grouping tables. */
export const LOCK_DDL = 0x6865_7066_01; // "hepf" 01
export const LOCK_GROUPS = 0x6865_7066_02;

/**
 * hepflow's tables. Grouping model as in sqlite-schema.ts: every Call-ID and correlation id is a
 * row of hepflow_ids pointing at a group; a link unites groups by moving the smaller one's ids.
 * hepflow_extras holds, for the few rows that need it, what a Homer row cannot say.
 */
const HEPFLOW_DDL = [
  `CREATE TABLE IF NOT EXISTS hepflow_ids (
    key text PRIMARY KEY, group_id bigint NOT NULL, is_call boolean NOT NULL DEFAULT false)`,
  `CREATE INDEX IF NOT EXISTS hepflow_ids_group ON hepflow_ids (group_id)`,
  `CREATE TABLE IF NOT EXISTS hepflow_groups (
    id bigserial PRIMARY KEY,
    size integer NOT NULL,            -- rows of hepflow_ids: union by size moves the smaller group
    first_call text,                  -- Call-ID of the earliest leg: the group's public id
    start bigint, "end" bigint,       -- µs since the epoch
    legs integer NOT NULL DEFAULT 0, messages integer NOT NULL DEFAULT 0,
    caller text, callee text, method text, status integer)`,
  `CREATE INDEX IF NOT EXISTS hepflow_groups_start ON hepflow_groups (start, first_call)`,
  `CREATE TABLE IF NOT EXISTS hepflow_calls (
    call_id text PRIMARY KEY, start bigint NOT NULL, "end" bigint NOT NULL, messages integer NOT NULL,
    first_req_ts bigint, method text, cseq_num bigint, caller text, callee text, status integer, status_ts bigint)`,
  `CREATE TABLE IF NOT EXISTS hepflow_links (
    call_id text NOT NULL, target text NOT NULL, rule text NOT NULL, header text, value text NOT NULL,
    message_id text NOT NULL,         -- "<profile>:<id>:<µs>" of the first message that carried it
    ts bigint NOT NULL,
    PRIMARY KEY (call_id, target, rule))`,
  `CREATE INDEX IF NOT EXISTS hepflow_links_ts ON hepflow_links (ts)`,
  `CREATE TABLE IF NOT EXISTS hepflow_extras (
    profile text NOT NULL, id bigint NOT NULL, create_date timestamptz NOT NULL, sid text NOT NULL,
    transport text NOT NULL, hep_corr text, proto_type integer NOT NULL, has_sdp boolean NOT NULL, problems text,
    PRIMARY KEY (profile, id))`,
  `CREATE INDEX IF NOT EXISTS hepflow_extras_sid ON hepflow_extras (sid, create_date)`,
  `CREATE INDEX IF NOT EXISTS hepflow_extras_date ON hepflow_extras (create_date)`,
  // One row per write transaction (PostgresStore.write): whether a COMMIT whose answer was lost took effect.
  `CREATE TABLE IF NOT EXISTS hepflow_batches (token uuid PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())`,
  `CREATE INDEX IF NOT EXISTS hepflow_batches_at ON hepflow_batches (at)`,
];

/**
 * Columns added to hepflow's tables since they were first created: [table, column, type]. Added when
 * missing only, as ALTER TABLE locks the table even when there is nothing to add.
 * The KPIs of the search rows (store/summary.ts CallSummary, GroupKpi): rows written before them
 * keep `kpi` null, their KPIs unknown (null in search, never matched by a KPI filter).
 */
const HEPFLOW_COLUMNS: [string, string, string][] = [
  ['hepflow_calls', 'kpi', 'text'], // kpi/state.ts packKpi
  ...['hepflow_calls', 'hepflow_groups'].flatMap((t): [string, string, string][] => [
    [t, 'disposition', 'text'], [t, 'pdd_ms', 'integer'], [t, 'setup_ms', 'integer'], [t, 'duration_ms', 'integer'],
    [t, 'final_status', 'integer'], [t, 'problems', 'integer NOT NULL DEFAULT 0'], // kpi/codes.ts problemBits
    [t, 'fail_peer', 'text'], // store/summary.ts fail_peer: the far end that failed the call (stats page)
  ]),
];

/** After HEPFLOW_COLUMNS: disposition= pages newest first along the first, problem= along the groups that have any. */
const HEPFLOW_KPI_INDEXES = [
  `CREATE INDEX IF NOT EXISTS hepflow_groups_disposition ON hepflow_groups (disposition, start, first_call)`,
  `CREATE INDEX IF NOT EXISTS hepflow_groups_problems ON hepflow_groups (start, first_call) WHERE problems <> 0`,
  // GET /api/v1/stats (store/homer/stats.ts) reads every column it aggregates from this index, along the start time.
  `CREATE INDEX IF NOT EXISTS hepflow_groups_stats ON hepflow_groups (start)
    INCLUDE (disposition, final_status, pdd_ms, duration_ms, fail_peer)`,
];

/** Creates missing Homer parent tables and hepflow's tables, under a lock so that processes starting together do not race. */
export async function createSchema(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [LOCK_DDL]);
    for (const p of HOMER_PROFILES) await c.query(parentDdl(p));
    for (const s of HEPFLOW_DDL) await c.query(s);
    const { rows } = await c.query<{ t: string; c: string }>(`SELECT table_name AS t, column_name AS c FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ANY($1)`, [['hepflow_calls', 'hepflow_groups']]);
    const have = new Set(rows.map((r) => `${r.t}.${r.c}`));
    for (const [t, col, type] of HEPFLOW_COLUMNS) {
      if (!have.has(`${t}.${col}`)) await c.query(`ALTER TABLE ${t} ADD COLUMN ${col} ${type}`);
    }
    for (const s of HEPFLOW_KPI_INDEXES) await c.query(s);
  });
}

/** Thrown when COMMIT failed, typically with the connection lost while it was in flight: the transaction may or may not have committed. */
export class CommitUnknown extends Error {
  constructor(cause: Error) {
    super(`COMMIT failed, outcome unknown: ${cause.message}`, { cause });
  }
}

/**
 * Runs `fn` in one transaction on a client of its own. A transaction cut off by a lost
 * connection was rolled back by the server, except when the loss came during COMMIT: a failed
 * COMMIT rejects with CommitUnknown. With `rollBack`, what `fn` wrote is undone once it answered.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>, o: { rollBack?: boolean } = {}): Promise<T> {
  const c = await pool.connect();
  // A checked-out client has no listener of the pool's: a backend terminated now (failover,
  // pooler restart, pg_terminate_backend) would emit 'error' unhandled and end the process.
  // The query in flight rejects as well, so the listener only records that the client is gone.
  let broken: Error | undefined;
  const onError = (err: Error) => { broken ??= err; };
  c.on('error', onError);
  try {
    await c.query('BEGIN');
    const out = await fn(c);
    if (o.rollBack) {
      // The answer is in hand: a connection lost now rolls back all the same.
      await c.query('ROLLBACK').catch((e: Error) => { broken ??= e; });
      return out;
    }
    try {
      await c.query('COMMIT');
    } catch (err) {
      // A lost connection, or a backend terminated while committing (57P01 may arrive after the
      // commit is durable): the outcome is unknown. Asking costs one query, so every failed COMMIT is treated so.
      throw new CommitUnknown(err as Error);
    }
    return out;
  } catch (err) {
    if (!broken) await c.query('ROLLBACK').catch((e: Error) => { broken ??= e; });
    throw err;
  } finally {
    c.removeListener('error', onError);
    c.release(broken); // a client whose connection died is discarded, not returned to the pool
  }
}

/** SQLSTATEs meaning "that partition, or one covering the range, is already there". */
const ALREADY_THERE = new Set(['42P07', '42P17', '23505']);

/** Partitions known to exist, created on demand. One per process; several processes share the database. */
export class Partitions {
  private readonly known = new Set<string>();

  constructor(private readonly pool: pg.Pool, readonly stepMicros: number) {}

  /** Makes sure a partition exists for each (profile, ts). Each partition is created in its own transaction. */
  async ensure(needs: Iterable<{ profile: HomerProfile; ts: EpochMicros }>): Promise<void> {
    const todo = new Map<string, { profile: HomerProfile; start: EpochMicros }>();
    for (const n of needs) {
      const start = partitionStart(n.ts, this.stepMicros);
      const name = partitionName(n.profile, start);
      if (!this.known.has(name)) todo.set(name, { profile: n.profile, start });
    }
    for (const [name, { profile, start }] of todo) {
      try {
        // One partition a transaction: CREATE ... PARTITION OF locks the parent, and holding two
        // parents at once could deadlock with another process's batch insert.
        await inTransaction(this.pool, async (c) => {
          await c.query('SELECT pg_advisory_xact_lock($1)', [LOCK_DDL]);
          for (const s of partitionDdl(profile, start, this.stepMicros)) await c.query(s);
        });
      } catch (err) {
        // A partition of another step (heplify-server's own) may already cover this time.
        if (!ALREADY_THERE.has((err as { code?: string }).code ?? '')) throw err;
      }
      this.known.add(name);
    }
  }

  /** Creates the partitions of every table from `from` to `to` (the rotator's "ahead" partitions). */
  async ensureRange(from: EpochMicros, to: EpochMicros): Promise<void> {
    const needs: { profile: HomerProfile; ts: EpochMicros }[] = [];
    for (let t = partitionStart(from, this.stepMicros); t <= to; t += this.stepMicros) {
      for (const profile of HOMER_PROFILES) needs.push({ profile, ts: t });
    }
    await this.ensure(needs);
  }

  /**
   * The partitions of `table` that end at or before `before`. Works on heplify-server's
   * partitions too, whatever their step, by reading each bound.
   */
  async endingBy(table: string, before: EpochMicros): Promise<{ child: string; upper: EpochMicros }[]> {
    const { rows } = await this.pool.query<{ child: string; bound: string }>(
      `SELECT c.relname AS child, pg_get_expr(c.relpartbound, c.oid) AS bound
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = $1`, [table]);
    const out: { child: string; upper: EpochMicros }[] = [];
    for (const r of rows) {
      const upper = partitionUpperBound(r.bound);
      if (upper !== null && upper <= before) out.push({ child: r.child, upper });
    }
    return out;
  }

  /** Drops one partition and returns how many rows it held. */
  async drop(child: string): Promise<number> {
    const n = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${ident(child)}`);
    // Alone, as heplify's rotator does: DROP locks the parent briefly.
    await this.pool.query(`DROP TABLE IF EXISTS ${ident(child)}`);
    this.known.delete(child);
    return Number(n.rows[0].n);
  }
}

/** Quotes an identifier read from the catalog. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
