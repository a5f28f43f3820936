/**
 * GET /api/v1/stats on PostgreSQL: the aggregates of store/sqlite-stats.ts over hepflow_groups,
 * read along hepflow_groups_stats (ddl.ts), run side by side on the pool. Calls heplify-server
 * wrote that hepflow never grouped have no search row and are not counted.
 */
import type pg from 'pg';
import { bucketMicros, NETWORK_FAILURE_SQL, TOP_N, type StatsQuery, type StatsRows } from '../../kpi/stats.ts';
import type { Disposition } from '../../kpi/codes.ts';
import { CALL_SPAN_MICROS } from '../../correlate/closure.ts';
import { isoMicros } from './tables.ts';
import { rowFilters, sidsWhere } from './sql.ts';
import { timedOutBefore } from '../summary.ts';

export async function pgStats(pool: pg.Pool, q: StatsQuery): Promise<StatsRows> {
  const [from, to] = await Promise.all([q.from ?? edge(pool, 'ASC'), q.to ?? edge(pool, 'DESC')]);
  if (from === null || to === null || from > to) return { from, to, bucketMicros: bucketMicros(0, 0), cells: [], pdd: [], peers: [] };
  const b = bucketMicros(from, to);
  const args: unknown[] = [];
  const arg = (v: unknown) => { args.push(v); return `$${args.length}`; };
  const where = [`start BETWEEN ${arg(from)} AND ${arg(to)}`, 'disposition IS NOT NULL'];
  if (q.ip) {
    // As the search's ip= (postgres.ts searchGrouped): a message of the group within a call's length of the range.
    const [f] = rowFilters({ ip: q.ip }, arg);
    const time = `create_date BETWEEN ${arg(isoMicros(from - CALL_SPAN_MICROS))} AND ${arg(isoMicros(to + CALL_SPAN_MICROS))}`;
    where.push(`id IN (SELECT group_id FROM hepflow_ids WHERE key IN (${sidsWhere(f, time)}))`);
  }
  const w = where.join(' AND ');
  // Still in progress 64×T1 after it began: failed, as the search list says (summary.ts timedOutBefore);
  // a parameter of the cells' query only (PostgreSQL refuses one a statement does not use).
  const cellArgs = [...args, timedOutBefore(Date.now() * 1000)];
  const disposition = `CASE WHEN disposition = 'in-progress' AND start < $${cellArgs.length} THEN 'failed' ELSE disposition END`;
  // The bucket size is a number kpi/stats.ts chose: written into the SQL, as bigint arithmetic.
  const [cells, pdd, peers] = await Promise.all([
    pool.query<{ bucket: string; disposition: Disposition; final_status: number | null; calls: string; dsum: string; dn: string }>(
      `SELECT (start / ${b}) * ${b} AS bucket, ${disposition} AS disposition, final_status, count(*) AS calls, coalesce(sum(duration_ms), 0) AS dsum,
        count(duration_ms) AS dn FROM hepflow_groups WHERE ${w} GROUP BY 1, 2, 3`, cellArgs),
    pool.query<{ pdd_ms: number; calls: string }>(
      `SELECT pdd_ms, count(*) AS calls FROM hepflow_groups WHERE ${w} AND pdd_ms IS NOT NULL GROUP BY pdd_ms ORDER BY pdd_ms`, args),
    pool.query<{ fail_peer: string; calls: string }>(
      `SELECT fail_peer, count(*) AS calls FROM hepflow_groups WHERE ${w} AND fail_peer IS NOT NULL AND ${NETWORK_FAILURE_SQL}
        GROUP BY fail_peer ORDER BY count(*) DESC, fail_peer COLLATE "C" LIMIT ${TOP_N}`, args),
  ]);
  return {
    from, to, bucketMicros: b,
    cells: cells.rows.map((r) => ({ bucket: Number(r.bucket), disposition: r.disposition, finalStatus: r.final_status, calls: Number(r.calls),
      durationSumMs: Number(r.dsum), durations: Number(r.dn) })),
    pdd: pdd.rows.map((r) => ({ pddMs: r.pdd_ms, calls: Number(r.calls) })),
    peers: peers.rows.map((r) => ({ ip: r.fail_peer, calls: Number(r.calls) })),
  };
}

/** Start of the earliest (ASC) or latest (DESC) call stored, µs; null when none. */
async function edge(pool: pg.Pool, dir: 'ASC' | 'DESC'): Promise<number | null> {
  const { rows } = await pool.query<{ start: string }>(
    `SELECT start FROM hepflow_groups WHERE start IS NOT NULL AND disposition IS NOT NULL ORDER BY start ${dir} LIMIT 1`);
  return rows.length ? Number(rows[0].start) : null;
}
