/**
 * GET /api/v1/stats on SQLite, from two indexes of the groups' search rows (sqlite-schema.ts,
 * migration 4) and no row. A GROUP BY over a million calls costs SQLite a sort of every call (a
 * second or so); counting ranges of an index it walks costs a twentieth of that. So:
 *
 * - groups_cells (disposition, final_status, start, ...): the outcomes present are found by a few
 *   seeks, then each outcome's calls of each bucket are one range of the index, counted with their
 *   durations; the failing peers are grouped within the network failures' ranges only.
 * - groups_pdd (pdd_ms, start): the PDD distribution read in PDD order (no sort), checking each
 *   entry's start; when the range holds few of the calls stored, from the range's rows instead.
 *
 * With an address, the groups of that address are read once by id (from the search terms) and grouped.
 *
 * Calls still in progress 64×T1 after they began count as failed, as the search list says them
 * (summary.ts timedOutBefore, read now).
 */
import type Database from 'better-sqlite3';
import { bucketMicros, isNetworkFailure, NETWORK_FAILURE_SQL, TOP_N, type StatsCell, type StatsQuery, type StatsRows } from '../kpi/stats.ts';
import { DISPOSITIONS, type Disposition } from '../kpi/codes.ts';
import { GROUPS_OF_TERM } from './sqlite-read.ts';
import { timedOutBefore } from './summary.ts';

/**
 * Reading a range's rows costs about this many times a walk of one entry of groups_pdd: below
 * this share of the calls stored, the PDDs of a range are read from its rows rather than from
 * the whole index.
 */
const ROW_READ_COST = 12;

export function sqliteStats(db: Database.Database, q: StatsQuery): StatsRows {
  const from = q.from ?? edge(db, 'ASC');
  const to = q.to ?? edge(db, 'DESC');
  if (from === null || to === null || from > to) {
    return { from: from ?? null, to: to ?? null, bucketMicros: bucketMicros(0, 0), cells: [], pdd: [], peers: [] };
  }
  const b = bucketMicros(from, to);
  const cutoff = timedOutBefore(Date.now() * 1000);
  return q.ip ? ofAddress(db, q.ip, from, to, b, cutoff) : ofRange(db, from, to, b, cutoff);
}

function ofRange(db: Database.Database, from: number, to: number, b: number, cutoff: number): StatsRows {
  const cellOf = db.prepare(`SELECT count(*), total(duration_ms), count(duration_ms) FROM groups INDEXED BY groups_cells
    WHERE disposition = ? AND final_status IS ? AND start BETWEEN ? AND ?`).raw(true);
  const peersOf = db.prepare(`SELECT fail_peer, count(*) FROM groups INDEXED BY groups_cells
    WHERE disposition = ? AND final_status IS ? AND start BETWEEN ? AND ? AND fail_peer IS NOT NULL GROUP BY fail_peer`).raw(true);
  const cells: StatsCell[] = [];
  const peers = new Map<string, number>();
  let calls = 0;
  const count = (bucket: number, disposition: Disposition, finalStatus: number | null, lo: number, hi: number, as = disposition) => {
    if (lo > hi) return;
    const [n, durationSumMs, durations] = cellOf.get(disposition, finalStatus, lo, hi) as number[];
    if (n === 0) return;
    cells.push({ bucket, disposition: as, finalStatus, calls: n, durationSumMs, durations });
    calls += n;
  };
  for (const [disposition, finalStatus] of outcomes(db)) {
    for (let t = Math.floor(from / b) * b; t <= to; t += b) {
      const lo = Math.max(t, from);
      const hi = Math.min(t + b - 1, to);
      if (disposition !== 'in-progress') count(t, disposition, finalStatus, lo, hi);
      else {
        count(t, disposition, finalStatus, lo, Math.min(hi, cutoff - 1), 'failed'); // Timer B ran out
        count(t, disposition, finalStatus, Math.max(lo, cutoff), hi);
      }
    }
    if (!isNetworkFailure(disposition, finalStatus)) continue;
    for (const [ip, n] of peersOf.all(disposition, finalStatus, from, to) as [string, number][]) peers.set(ip, (peers.get(ip) ?? 0) + n);
  }
  const stored = (db.prepare('SELECT max(id) FROM groups').pluck().get() as number | null) ?? 0;
  const pddSql = calls * ROW_READ_COST < stored
    ? 'FROM groups INDEXED BY groups_start WHERE start BETWEEN ? AND ? AND pdd_ms IS NOT NULL GROUP BY pdd_ms ORDER BY pdd_ms'
    : 'FROM groups INDEXED BY groups_pdd WHERE pdd_ms IS NOT NULL AND start BETWEEN ? AND ? GROUP BY pdd_ms';
  const pdd = (db.prepare(`SELECT pdd_ms, count(*) ${pddSql}`).raw(true).all(from, to) as [number, number][])
    .map(([pddMs, n]) => ({ pddMs, calls: n }));
  return {
    from, to, bucketMicros: b, cells, pdd,
    peers: [...peers].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, TOP_N).map(([ip, n]) => ({ ip, calls: n })),
  };
}

/**
 * The (disposition, final status) pairs stored, found along groups_cells by seeks (a skip-scan),
 * whatever the number of calls: a dozen or so.
 */
function outcomes(db: Database.Database): [Disposition, number | null][] {
  const noStatus = db.prepare('SELECT 1 FROM groups INDEXED BY groups_cells WHERE disposition = ? AND final_status IS NULL LIMIT 1').pluck();
  const nextStatus = db.prepare(`SELECT final_status FROM groups INDEXED BY groups_cells WHERE disposition = ? AND final_status > ?
    ORDER BY final_status LIMIT 1`).pluck();
  const out: [Disposition, number | null][] = [];
  for (const d of DISPOSITIONS) {
    if (noStatus.get(d) !== undefined) out.push([d, null]);
    for (let s = nextStatus.get(d, -1) as number | undefined; s !== undefined; s = nextStatus.get(d, s) as number | undefined) out.push([d, s]);
  }
  return out;
}

/** A group row's disposition read now: 'failed' for one still in progress before the cutoff (the first `?`). */
const DISPOSITION_NOW = `CASE WHEN disposition = 'in-progress' AND start < ? THEN 'failed' ELSE disposition END`;

/**
 * The groups of one address (search terms, then by id), read once into a materialized table and
 * grouped three ways in one statement: each group is looked up once, not once per aggregate.
 */
function ofAddress(db: Database.Database, ip: string, from: number, to: number, b: number, cutoff: number): StatsRows {
  // NOT INDEXED leaves the lookups by id, where the planner would walk every failure through groups_cells.
  const rows = db.prepare(`WITH g AS MATERIALIZED (SELECT start, ${DISPOSITION_NOW} AS disposition, final_status, pdd_ms, duration_ms, fail_peer
      FROM groups NOT INDEXED WHERE start BETWEEN ? AND ? AND disposition IS NOT NULL AND id IN (${GROUPS_OF_TERM}))
    SELECT 'c', (start / ${b}) * ${b}, disposition, final_status, count(*), total(duration_ms), count(duration_ms) FROM g GROUP BY 2, 3, 4
    UNION ALL SELECT 'p', pdd_ms, NULL, NULL, count(*), 0, 0 FROM g WHERE pdd_ms IS NOT NULL GROUP BY 2
    UNION ALL SELECT 'f', fail_peer, NULL, NULL, count(*), 0, 0 FROM g WHERE fail_peer IS NOT NULL AND ${NETWORK_FAILURE_SQL} GROUP BY 2`)
    .raw(true).all(cutoff, from, to, 'ip', ip) as [string, number | string, Disposition, number | null, number, number, number][];
  const cells: StatsCell[] = [];
  const pdd: StatsRows['pdd'] = [];
  const peers: StatsRows['peers'] = [];
  for (const [kind, key, disposition, finalStatus, calls, durationSumMs, durations] of rows) {
    if (kind === 'c') cells.push({ bucket: key as number, disposition, finalStatus, calls, durationSumMs, durations });
    else if (kind === 'p') pdd.push({ pddMs: key as number, calls });
    else peers.push({ ip: key as string, calls });
  }
  pdd.sort((x, y) => x.pddMs - y.pddMs);
  peers.sort((x, y) => y.calls - x.calls || (x.ip < y.ip ? -1 : 1));
  return { from, to, bucketMicros: b, cells, pdd, peers: peers.slice(0, TOP_N) };
}

/** Start of the earliest (ASC) or latest (DESC) call stored, µs; null when none: one step along groups_start. */
function edge(db: Database.Database, dir: 'ASC' | 'DESC'): number | null {
  const row = db.prepare(`SELECT start FROM groups INDEXED BY groups_start WHERE start IS NOT NULL AND disposition IS NOT NULL
    ORDER BY start ${dir} LIMIT 1`).pluck().get() as number | undefined;
  return row ?? null;
}
