/**
 * Call statistics over a time range (GET /api/v1/stats): what each figure means, and the pure
 * steps around the stores' aggregate queries (store/sqlite-stats.ts, store/homer/stats.ts): the
 * bucket size of the calls-per-minute series, and the figures read from the aggregated rows.
 * Times are µs since the epoch (EpochMicros), KPI durations ms. A call is a correlation group whose
 * first leg has an initial INVITE, counted in the range its group started in, with that leg's
 * disposition, PDD, duration and final status as the search list shows them (store/summary.ts).
 */
import { DISPOSITIONS, type Disposition } from './codes.ts';

/**
 * Final statuses of a rejected call that the called user chose, not a network failure:
 * 603 Decline (RFC 3261 §21.6.2) and 607 Unwanted (RFC 8197). Busy (486, 600) and no answer
 * (408, 480) have dispositions of their own.
 */
export const USER_REJECT_STATUSES: readonly number[] = [603, 607];

/**
 * A call failed for a network reason: disposition `failed` (a 5xx, or no final response within 64×T1), or `rejected` with a status
 * other than USER_REJECT_STATUSES (a 3xx not followed, 404, 403, 488, 604, ...). Every other ended
 * call reached its user or was ended by one: answered, busy, no answer, cancelled by the caller,
 * declined. NER (network effectiveness ratio, after ITU-T E.425) is the share of attempts that did
 * not fail so; the failing peers and failure codes count these calls only.
 */
export function isNetworkFailure(disposition: Disposition, finalStatus: number | null): boolean {
  return disposition === 'failed' || (disposition === 'rejected' && !USER_REJECT_STATUSES.includes(finalStatus ?? 0));
}

/** isNetworkFailure in SQL, over a search row's `disposition` and `final_status` columns (both stores name them so). */
export const NETWORK_FAILURE_SQL =
  `(disposition = 'failed' OR (disposition = 'rejected' AND final_status NOT IN (${USER_REJECT_STATUSES.join(', ')})))`;

/**
 * Bucket sizes of the calls-per-minute series, µs: round numbers on a clock, the smallest one that
 * keeps the series within MAX_BUCKETS points is used (days beyond the last).
 */
const MINUTE = 60_000_000;
export const BUCKET_SIZES: readonly number[] = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440].map((m) => m * MINUTE);
/** Points of the series at most: a minute apiece for 6 hours, as many as a chart shows a bar each. */
export const MAX_BUCKETS = 360;
/** Failing peers and failure codes listed, at most. */
export const TOP_N = 10;

/**
 * The bucket size for the range [from, to] (µs): the smallest of BUCKET_SIZES, else a whole
 * number of days, with which the buckets from the one holding `from` to the one holding `to`
 * are at most MAX_BUCKETS. Buckets are aligned on multiples of their size since the epoch (UTC).
 */
export function bucketMicros(from: number, to: number): number {
  const fits = (b: number) => Math.floor(to / b) - Math.floor(from / b) + 1 <= MAX_BUCKETS;
  const size = BUCKET_SIZES.find(fits);
  if (size !== undefined) return size;
  const day = BUCKET_SIZES[BUCKET_SIZES.length - 1];
  let days = Math.ceil((to - from) / day / (MAX_BUCKETS - 1));
  while (!fits(days * day)) days++;
  return days * day;
}

/** What a store is asked: calls that started within [from, to] (µs), optionally involving one address. */
export interface StatsQuery {
  /** Omitted: from the earliest call stored. */
  from?: number;
  /** Omitted: to the latest call stored. */
  to?: number;
  /** Source or destination address of any message of the group, as the search's `ip=` filter. */
  ip?: string;
}

/** The calls of one bucket, disposition and final status. */
export interface StatsCell {
  /** Start of the bucket, µs. */
  bucket: number;
  disposition: Disposition;
  finalStatus: number | null;
  calls: number;
  /** Sum of durationMs over the calls that have one (answered, then hung up), ms; and how many. */
  durationSumMs: number;
  durations: number;
}

/** What a store answers: the aggregates the figures are read from. */
export interface StatsRows {
  /** The range used, µs: as asked, or the stored calls' span; null when there is none (nothing stored). */
  from: number | null;
  to: number | null;
  bucketMicros: number;
  cells: StatsCell[];
  /** Calls by PDD, ms, ascending: the distribution the percentiles are read from. */
  pdd: { pddMs: number; calls: number }[];
  /** The TOP_N peers with the most network failures (isNetworkFailure), most first. */
  peers: { ip: string; calls: number }[];
}

export interface CallStats {
  from: number | null;
  to: number | null;
  bucketMicros: number;
  /** Every bucket from the one holding `from` to the one holding `to`, empty ones too. */
  series: { start: number; calls: number; answered: number }[];
  /** Calls started in the range (with an initial INVITE). */
  calls: number;
  /** Calls with a final answer: all but those in progress. */
  attempts: number;
  answered: number;
  inProgress: number;
  /** Answer-seizure ratio: answered / attempts, 0–1; null without attempts. */
  asr: number | null;
  /** Network effectiveness ratio: attempts not failed for a network reason (isNetworkFailure) / attempts, 0–1. */
  ner: number | null;
  /** Mean durationMs of the answered calls that have ended, ms. */
  acdMs: number | null;
  /** PDD percentiles (nearest rank) over the calls that have a PDD, ms. */
  pddP50Ms: number | null;
  pddP95Ms: number | null;
  /** Every disposition, in kpi/codes.ts order. */
  dispositions: { disposition: Disposition; calls: number }[];
  /** Final statuses of the attempts by class ("2xx" to "6xx"), and by code, ascending. */
  statusClasses: { statusClass: string; calls: number }[];
  statuses: { status: number; calls: number }[];
  /** The final statuses of the network failures, most first (TOP_N). */
  failureCodes: { status: number; calls: number }[];
  /** The far ends that failed most calls (store/summary.ts `fail_peer`), most first, with their alias. */
  failingPeers: { ip: string; alias: string | null; calls: number }[];
}

/**
 * The value at or below which a share `q` (0–1) of the calls fall, by nearest rank: the smallest
 * value whose cumulative count reaches ⌈q × total⌉ (PostgreSQL's percentile_disc). `counts`
 * ascending by value; null when empty.
 */
export function quantile(counts: readonly { value: number; calls: number }[], q: number): number | null {
  const total = counts.reduce((n, c) => n + c.calls, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const c of counts) {
    seen += c.calls;
    if (seen >= rank) return c.value;
  }
  return counts[counts.length - 1].value;
}

/** The figures of `rows`; `aliasOf` names a peer's address (null when it has no alias). */
export function callStats(rows: StatsRows, aliasOf: (ip: string) => string | null): CallStats {
  const byDisposition = new Map<Disposition, number>();
  const byStatus = new Map<number, number>();
  const failures = new Map<number, number>();
  const buckets = new Map<number, { calls: number; answered: number }>();
  let durationSum = 0;
  let durations = 0;
  let networkFailures = 0;
  for (const c of rows.cells) {
    byDisposition.set(c.disposition, (byDisposition.get(c.disposition) ?? 0) + c.calls);
    if (c.disposition !== 'in-progress' && c.finalStatus !== null) byStatus.set(c.finalStatus, (byStatus.get(c.finalStatus) ?? 0) + c.calls);
    if (isNetworkFailure(c.disposition, c.finalStatus)) {
      networkFailures += c.calls; // a timeout (no final status) too
      if (c.finalStatus !== null) failures.set(c.finalStatus, (failures.get(c.finalStatus) ?? 0) + c.calls);
    }
    const b = buckets.get(c.bucket) ?? { calls: 0, answered: 0 };
    b.calls += c.calls;
    if (c.disposition === 'answered') {
      b.answered += c.calls;
      durationSum += c.durationSumMs;
      durations += c.durations;
    }
    buckets.set(c.bucket, b);
  }
  const count = (d: Disposition) => byDisposition.get(d) ?? 0;
  const calls = DISPOSITIONS.reduce((n, d) => n + count(d), 0);
  const inProgress = count('in-progress');
  const attempts = calls - inProgress;
  const answered = count('answered');
  const classes = new Map<string, number>();
  for (const [s, n] of byStatus) classes.set(`${Math.floor(s / 100)}xx`, (classes.get(`${Math.floor(s / 100)}xx`) ?? 0) + n);
  const pdd = rows.pdd.map((p) => ({ value: p.pddMs, calls: p.calls }));
  const ratio = (n: number) => (attempts ? n / attempts : null);
  return {
    from: rows.from,
    to: rows.to,
    bucketMicros: rows.bucketMicros,
    series: seriesOf(rows, buckets),
    calls, attempts, answered, inProgress,
    asr: ratio(answered),
    ner: ratio(attempts - networkFailures),
    acdMs: durations ? Math.round(durationSum / durations) : null,
    pddP50Ms: quantile(pdd, 0.5),
    pddP95Ms: quantile(pdd, 0.95),
    dispositions: DISPOSITIONS.map((d) => ({ disposition: d, calls: count(d) })),
    statusClasses: [...classes].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([statusClass, n]) => ({ statusClass, calls: n })),
    statuses: [...byStatus].sort((a, b) => a[0] - b[0]).map(([status, n]) => ({ status, calls: n })),
    failureCodes: [...failures].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, TOP_N).map(([status, n]) => ({ status, calls: n })),
    failingPeers: rows.peers.slice(0, TOP_N).map((p) => ({ ip: p.ip, alias: aliasOf(p.ip), calls: p.calls })),
  };
}

/** Every bucket of the range, in time order, with its calls (0 when none). */
function seriesOf(rows: StatsRows, buckets: Map<number, { calls: number; answered: number }>): CallStats['series'] {
  if (rows.from === null || rows.to === null) return [];
  const b = rows.bucketMicros;
  const out: CallStats['series'] = [];
  for (let t = Math.floor(rows.from / b) * b; t <= rows.to; t += b) {
    const x = buckets.get(t);
    out.push({ start: t, calls: x?.calls ?? 0, answered: x?.answered ?? 0 });
  }
  return out;
}
