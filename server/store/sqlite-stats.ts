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
 * With an address, the same from group_ips (a row per address of each call group, kept by the
 * writer: sqlite-group-ips.ts) along its indexes of the same columns, the address first.
 *
 * Calls still in progress 64×T1 after they began count as failed, as the search list says them
 * (summary.ts timedOutBefore, read now).
 */
import type Database from 'better-sqlite3';
import { bucketMicros, isNetworkFailure, TOP_N, type StatsCell, type StatsQuery, type StatsRows } from '../kpi/stats.ts';
import { DISPOSITIONS, type Disposition } from '../kpi/codes.ts';
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
  return ofRange(db, q.ip ? ofAddress(q.ip) : EVERY_CALL, from, to, b, cutoff);
}

/** Where the calls counted are: a table, its index of outcomes, and the condition on the index's leading columns with its values. */
interface Calls {
  table: string;
  cells: string;
  where: string;
  args: unknown[];
}

const EVERY_CALL: Calls = { table: 'groups', cells: 'groups_cells', where: '', args: [] };

const ofAddress = (ip: string): Calls => ({ table: 'group_ips', cells: 'group_ips_cells', where: 'ip = ? AND ', args: [ip] });

/** The hours group_ips_pdd is ordered by first, µs: the migration's expression `start / 3600000000`. */
const PDD_HOURS = 3_600_000_000;

function ofRange(db: Database.Database, src: Calls, from: number, to: number, b: number, cutoff: number): StatsRows {
  const cellOf = db.prepare(`SELECT count(*), total(duration_ms), count(duration_ms) FROM ${src.table} INDEXED BY ${src.cells}
    WHERE ${src.where}disposition = ? AND final_status IS ? AND start BETWEEN ? AND ?`).raw(true);
  const peersOf = db.prepare(`SELECT fail_peer, count(*) FROM ${src.table} INDEXED BY ${src.cells}
    WHERE ${src.where}disposition = ? AND final_status IS ? AND start BETWEEN ? AND ? AND fail_peer IS NOT NULL GROUP BY fail_peer`).raw(true);
  const cells: StatsCell[] = [];
  const peers = new Map<string, number>();
  let calls = 0;
  const count = (bucket: number, disposition: Disposition, finalStatus: number | null, lo: number, hi: number, as = disposition) => {
    if (lo > hi) return;
    const [n, durationSumMs, durations] = cellOf.get(...src.args, disposition, finalStatus, lo, hi) as number[];
    if (n === 0) return;
    cells.push({ bucket, disposition: as, finalStatus, calls: n, durationSumMs, durations });
    calls += n;
  };
  for (const [disposition, finalStatus] of outcomes(db, src)) {
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
    for (const [ip, n] of peersOf.all(...src.args, disposition, finalStatus, from, to) as [string, number][]) peers.set(ip, (peers.get(ip) ?? 0) + n);
  }
  return {
    from, to, bucketMicros: b, cells, pdd: pddOf(db, src, from, to, calls),
    peers: [...peers].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, TOP_N).map(([ip, n]) => ({ ip, calls: n })),
  };
}

/**
 * The PDD distribution of the `calls` calls of [from, to], in PDD order. Of every call: along
 * groups_pdd, or, when the range holds few of the calls stored, from the range's rows and sorted.
 * Of an address: each hour of the range in PDD order along group_ips_pdd, the hours summed.
 */
function pddOf(db: Database.Database, src: Calls, from: number, to: number, calls: number): StatsRows['pdd'] {
  let rows: [number, number][];
  if (src === EVERY_CALL) {
    const stored = (db.prepare('SELECT max(id) FROM groups').pluck().get() as number | null) ?? 0;
    rows = db.prepare(calls * ROW_READ_COST < stored
      ? 'SELECT pdd_ms, count(*) FROM groups INDEXED BY groups_start WHERE start BETWEEN ? AND ? AND pdd_ms IS NOT NULL GROUP BY pdd_ms ORDER BY pdd_ms'
      : 'SELECT pdd_ms, count(*) FROM groups INDEXED BY groups_pdd WHERE pdd_ms IS NOT NULL AND start BETWEEN ? AND ? GROUP BY pdd_ms')
      .raw(true).all(from, to) as [number, number][];
  } else {
    // The hours' distributions summed in SQL: a sort of one row per hour and PDD (75,000 for the
    // proxy of bench/query's million calls), cheaper than handing each to JS to sum there.
    rows = db.prepare(`SELECT pdd_ms, sum(n) FROM (
        SELECT pdd_ms, count(*) AS n FROM group_ips INDEXED BY group_ips_pdd
        WHERE ${src.where}start / ${PDD_HOURS} BETWEEN ? AND ? AND pdd_ms IS NOT NULL AND start BETWEEN ? AND ?
        GROUP BY start / ${PDD_HOURS}, pdd_ms)
      GROUP BY pdd_ms ORDER BY pdd_ms`).raw(true).all(...src.args, Math.floor(from / PDD_HOURS), Math.floor(to / PDD_HOURS), from, to) as [number, number][];
  }
  return rows.map(([pddMs, n]) => ({ pddMs, calls: n }));
}

/**
 * The (disposition, final status) pairs stored, found along the index of outcomes by seeks (a
 * skip-scan), whatever the number of calls: a dozen or so.
 */
function outcomes(db: Database.Database, src: Calls): [Disposition, number | null][] {
  const noStatus = db.prepare(`SELECT 1 FROM ${src.table} INDEXED BY ${src.cells}
    WHERE ${src.where}disposition = ? AND final_status IS NULL LIMIT 1`).pluck();
  const nextStatus = db.prepare(`SELECT final_status FROM ${src.table} INDEXED BY ${src.cells}
    WHERE ${src.where}disposition = ? AND final_status > ? ORDER BY final_status LIMIT 1`).pluck();
  const out: [Disposition, number | null][] = [];
  for (const d of DISPOSITIONS) {
    if (noStatus.get(...src.args, d) !== undefined) out.push([d, null]);
    for (let s = nextStatus.get(...src.args, d, -1) as number | undefined; s !== undefined; s = nextStatus.get(...src.args, d, s) as number | undefined) {
      out.push([d, s]);
    }
  }
  return out;
}

/** Start of the earliest (ASC) or latest (DESC) call stored, µs; null when none: one step along groups_start. */
function edge(db: Database.Database, dir: 'ASC' | 'DESC'): number | null {
  const row = db.prepare(`SELECT start FROM groups INDEXED BY groups_start WHERE start IS NOT NULL AND disposition IS NOT NULL
    ORDER BY start ${dir} LIMIT 1`).pluck().get() as number | undefined;
  return row ?? null;
}
