/**
 * GET /api/v1/stats on SQLite, from the counts the triggers of migration 7 keep (sqlite-schema.ts
 * statsTriggers): stats_minutes, the calls of each minute by outcome with their durations, and
 * stats_pdd_hours, the PDDs of each hour; both of every call (ip '') and of each address. A
 * million calls are some thousands of these rows, where walking the calls themselves took a
 * quarter of a second for every call and twice that for an address in every call.
 *
 * What they cannot answer is read from the calls' rows along the start time: the parts of the
 * range that are not whole minutes (whole hours for PDDs), and the minute of the cutoff below.
 * Calls still in progress 64×T1 after they began count as failed, as the search list says them
 * (summary.ts timedOutBefore, read now).
 */
import type Database from 'better-sqlite3';
import { bucketMicros, isNetworkFailure, TOP_N, type StatsCell, type StatsQuery, type StatsRows } from '../kpi/stats.ts';
import type { Disposition } from '../kpi/codes.ts';
import { timedOutBefore } from './summary.ts';

/** The units of stats_minutes and stats_pdd_hours, µs: the migration's `start / 60000000` and `start / 3600000000`. */
const MINUTE = 60_000_000;
const HOUR = 3_600_000_000;

export function sqliteStats(db: Database.Database, q: StatsQuery): StatsRows {
  const from = q.from ?? edge(db, 'ASC');
  const to = q.to ?? edge(db, 'DESC');
  if (from === null || to === null || from > to) {
    return { from: from ?? null, to: to ?? null, bucketMicros: bucketMicros(0, 0), cells: [], pdd: [], peers: [] };
  }
  const b = bucketMicros(from, to);
  const calls: Calls = q.ip ? { ip: q.ip, rows: 'group_ips INDEXED BY group_ips_start WHERE ip = ? AND', args: [q.ip] }
    : { ip: '', rows: 'groups INDEXED BY groups_start WHERE disposition IS NOT NULL AND', args: [] };
  const counts = new Counts(b, timedOutBefore(Date.now() * 1000));
  countCells(db, calls, from, to, counts);
  return { from, to, bucketMicros: b, cells: counts.cells(), pdd: pddOf(db, calls, from, to), peers: counts.peers() };
}

/** Whose calls are counted: `ip` in the counts' tables, and their rows by start time (`rows` ends with the condition on start). */
interface Calls {
  ip: string;
  rows: string;
  args: unknown[];
}

/** The cells and failing peers of a range, summed from counts and rows alike. */
class Counts {
  private readonly byCell = new Map<string, StatsCell>();
  private readonly byPeer = new Map<string, number>();

  /** `cutoff`: calls in progress that began before it are counted as failed. */
  constructor(readonly b: number, readonly cutoff: number) {}

  /** `n` calls of the bucket at `bucket` (µs); `timedOut`: they began before the cutoff. */
  cell(bucket: number, disposition: Disposition, finalStatus: number | null, timedOut: boolean, n: number, durationSumMs: number, durations: number): void {
    const as = disposition === 'in-progress' && timedOut ? 'failed' : disposition; // Timer B ran out
    const key = `${bucket} ${as} ${finalStatus}`;
    const c = this.byCell.get(key);
    if (c === undefined) this.byCell.set(key, { bucket, disposition: as, finalStatus, calls: n, durationSumMs, durations });
    else {
      c.calls += n;
      c.durationSumMs += durationSumMs;
      c.durations += durations;
    }
  }

  /** `n` calls that `failPeer` failed. */
  peer(disposition: Disposition, finalStatus: number | null, failPeer: string, n: number): void {
    if (isNetworkFailure(disposition, finalStatus)) this.byPeer.set(failPeer, (this.byPeer.get(failPeer) ?? 0) + n);
  }

  cells(): StatsCell[] {
    return [...this.byCell.values()];
  }

  peers(): StatsRows['peers'] {
    return [...this.byPeer].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, TOP_N).map(([ip, n]) => ({ ip, calls: n }));
  }
}

/**
 * The calls of [from, to] into `counts`: the whole minutes from stats_minutes, but for the
 * cutoff's (its calls in progress are some failed, some not); the rest from the calls' rows.
 */
function countCells(db: Database.Database, calls: Calls, from: number, to: number, counts: Counts): void {
  const first = Math.ceil(from / MINUTE);
  const last = Math.floor((to + 1) / MINUTE) - 1;
  const cut = Math.floor(counts.cutoff / MINUTE);
  // Summed by bucket in SQL: a minute has a row per outcome and failing peer (50,000 rows for a
  // million calls of bench/query), the range's buckets some thousands.
  const perMinute = counts.b / MINUTE;
  const cellsOf = db.prepare(`SELECT minute / ${perMinute}, disposition, final_status, sum(calls), sum(duration_sum), sum(durations)
    FROM stats_minutes WHERE ip = ? AND minute BETWEEN ? AND ? GROUP BY 1, 2, 3`).raw(true);
  const peersOf = db.prepare(`SELECT disposition, final_status, fail_peer, sum(calls)
    FROM stats_minutes WHERE ip = ? AND minute BETWEEN ? AND ? AND fail_peer != '' GROUP BY 1, 2, 3`).raw(true);
  const rows = db.prepare(`SELECT start, disposition, final_status, fail_peer, duration_ms FROM ${calls.rows} start BETWEEN ? AND ?`).raw(true);
  const fromCounts = (lo: number, hi: number) => {
    if (lo > hi) return;
    const timedOut = hi < cut;
    for (const [k, d, s, n, sum, durations] of cellsOf.all(calls.ip, lo, hi) as [number, Disposition, number, number, number, number][]) {
      counts.cell(k * counts.b, d, s < 0 ? null : s, timedOut, n, sum, durations);
    }
    for (const [d, s, peer, n] of peersOf.all(calls.ip, lo, hi) as [Disposition, number, string, number][]) counts.peer(d, s < 0 ? null : s, peer, n);
  };
  const fromRows = (lo: number, hi: number) => {
    for (const [start, d, s, peer, duration] of rows.all(...calls.args, lo, hi) as [number, Disposition, number | null, string | null, number | null][]) {
      counts.cell(Math.floor(start / counts.b) * counts.b, d, s, start < counts.cutoff, 1, duration ?? 0, duration === null ? 0 : 1);
      if (peer !== null) counts.peer(d, s, peer, 1);
    }
  };
  if (first > last) {
    fromRows(from, to);
    return;
  }
  fromRows(from, first * MINUTE - 1);
  if (cut >= first && cut <= last) {
    fromCounts(first, cut - 1);
    fromRows(cut * MINUTE, (cut + 1) * MINUTE - 1);
    fromCounts(cut + 1, last);
  } else fromCounts(first, last);
  fromRows((last + 1) * MINUTE, to);
}

/** The PDD distribution of [from, to], in PDD order: whole hours from stats_pdd_hours, the rest from the calls' rows. */
function pddOf(db: Database.Database, calls: Calls, from: number, to: number): StatsRows['pdd'] {
  const first = Math.ceil(from / HOUR);
  const last = Math.floor((to + 1) / HOUR) - 1;
  const byPdd = new Map<number, number>();
  const sum = (rows: [number, number][]) => {
    for (const [pddMs, n] of rows) byPdd.set(pddMs, (byPdd.get(pddMs) ?? 0) + n);
  };
  const fromRows = db.prepare(`SELECT pdd_ms, count(*) FROM ${calls.rows} start BETWEEN ? AND ? AND pdd_ms IS NOT NULL GROUP BY pdd_ms`).raw(true);
  if (first > last) sum(fromRows.all(...calls.args, from, to) as [number, number][]);
  else {
    sum(fromRows.all(...calls.args, from, first * HOUR - 1) as [number, number][]);
    sum(db.prepare('SELECT pdd_ms, sum(calls) FROM stats_pdd_hours WHERE ip = ? AND hour BETWEEN ? AND ? GROUP BY pdd_ms')
      .raw(true).all(calls.ip, first, last) as [number, number][]);
    sum(fromRows.all(...calls.args, (last + 1) * HOUR, to) as [number, number][]);
  }
  return [...byPdd].sort((x, y) => x[0] - y[0]).map(([pddMs, n]) => ({ pddMs, calls: n }));
}

/** Start of the earliest (ASC) or latest (DESC) call stored, µs; null when none: one step along groups_start. */
function edge(db: Database.Database, dir: 'ASC' | 'DESC'): number | null {
  const row = db.prepare(`SELECT start FROM groups INDEXED BY groups_start WHERE start IS NOT NULL AND disposition IS NOT NULL
    ORDER BY start ${dir} LIMIT 1`).pluck().get() as number | undefined;
  return row ?? null;
}
