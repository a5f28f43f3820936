/**
 * The PostgreSQL retention sweep, by kind (store/retention.ts). Homer's tables split by kind:
 * calls (hep_proto_1_call, with the RTCP and logs filed with calls) are cut at the calls' cutoff,
 * the rest (REGISTER, OPTIONS and other SIP, other HEP types) at the other cutoff. Either way a row
 * of a call group that is still within retention stays, wherever heplify's profile put it: whole
 * partitions are dropped only when they hold none, and the partitions a cutoff crosses lose their
 * old rows in bounded chunks. Then hepflow's own rows of what is gone.
 */
import type pg from 'pg';
import { isoMicros, tableName, type HomerProfile, HOMER_PROFILES } from './tables.ts';
import { ident, inTransaction, LOCK_GROUPS, type Partitions } from './ddl.ts';
import { CALL_LEG_METHODS, type RetentionCutoffs } from '../retention.ts';

/** Profiles cut at the calls' cutoff: the call table, and RTCP (5) and logs (100), which hepflow files under a call. */
const CALL_PROFILES: ReadonlySet<HomerProfile> = new Set(['1_call', '5_default', '100_default']);

/** Rows deleted per statement in a partition a cutoff crosses: each statement is short, so that writers never wait long. */
const ROW_CHUNK = 5000;

const METHODS = `ARRAY[${CALL_LEG_METHODS.map((m) => `'${m}'`).join(', ')}]`;
/** True for a hepflow group `g` with a call leg. */
const IS_CALL_GROUP = `EXISTS (SELECT 1 FROM hepflow_ids j JOIN hepflow_calls c ON c.call_id = j.key
  WHERE j.group_id = g.id AND c.method = ANY(${METHODS}))`;
/** True when sid `$sid` belongs to a call group that ended at or after $1 (the calls' cutoff, µs): never cut. */
const kept = (sid: string) => `EXISTS (SELECT 1 FROM hepflow_ids i JOIN hepflow_groups g ON g.id = i.group_id
  WHERE i.key = ${sid} AND g."end" >= $1 AND ${IS_CALL_GROUP})`;

/** Deletes what retention no longer keeps; answers the Homer rows deleted. */
export async function purgeHomer(pool: pg.Pool, parts: Partitions, cut: RetentionCutoffs): Promise<number> {
  // Earliest start of a call group still kept, µs: no partition ending by then holds one of its rows.
  const { rows: [k] } = await pool.query<{ start: string | null }>(
    `SELECT min(start)::text AS start FROM hepflow_groups g WHERE g."end" >= $1 AND ${IS_CALL_GROUP}`, [cut.calls]);
  const keptFrom = k.start === null ? Infinity : Number(k.start);
  let removed = 0;
  for (const p of HOMER_PROFILES) {
    const before = CALL_PROFILES.has(p) ? cut.calls : cut.other;
    if (before <= 0) continue;
    for (const { child, upper } of await parts.endingBy(tableName(p), before)) {
      const holdsKept = upper > keptFrom &&
        (await pool.query(`SELECT 1 FROM ${ident(child)} t WHERE ${kept('t.sid')} LIMIT 1`, [cut.calls])).rowCount;
      if (!holdsKept) removed += await parts.drop(child);
    }
    const del = `DELETE FROM ${tableName(p)} WHERE (id, create_date) IN (SELECT id, create_date FROM ${tableName(p)} t
      WHERE create_date < $2 AND NOT ${kept('t.sid')} LIMIT ${ROW_CHUNK})`;
    for (;;) {
      const n = (await pool.query(del, [cut.calls, isoMicros(before)])).rowCount ?? 0;
      removed += n;
      if (n < ROW_CHUNK) break;
    }
  }
  await inTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [LOCK_GROUPS]);
    await c.query(`WITH stale AS (DELETE FROM hepflow_groups g WHERE g."end" < GREATEST($1::bigint, $2::bigint)
          AND g."end" < CASE WHEN ${IS_CALL_GROUP} THEN $1::bigint ELSE $2::bigint END RETURNING id),
        gone AS (DELETE FROM hepflow_ids WHERE group_id IN (SELECT id FROM stale) RETURNING key),
        links AS (DELETE FROM hepflow_links WHERE call_id IN (SELECT key FROM gone))
      DELETE FROM hepflow_calls WHERE call_id IN (SELECT key FROM gone)`, [cut.calls, cut.other]);
  });
  // What hepflow noted beside a Homer row goes with the row.
  const latest = Math.max(cut.calls, cut.other);
  for (const p of HOMER_PROFILES) {
    await pool.query(`DELETE FROM hepflow_extras e WHERE e.profile = $1 AND e.create_date < $2
      AND NOT EXISTS (SELECT 1 FROM ${tableName(p)} t WHERE t.id = e.id AND t.create_date = e.create_date)`, [p, isoMicros(latest)]);
  }
  return removed;
}
