/**
 * What /metrics counts of the calls being stored: each call once, when its initial INVITE gets its
 * final response, or when 64×T1 passed without one (Timer B: failed, no-final-response, status class
 * `none`), and each problem once per call, when it first shows. It folds nothing itself: the store
 * folds every message into its call's KPI state as it writes the call's search row
 * (store/call-kpi.ts), and tells this what each stored batch changed (`settled`). Calls begun by an
 * INVITE are watched for Timer B, at most `maxCalls` at once: past that the oldest is no longer
 * watched (counted as evicted), memory stays bounded whatever the traffic.
 *
 * The clock is the traffic's own: each message's capture time (an import times out its calls as a
 * live capture does), and the scrape's wall clock (`expire`) for a collector gone quiet.
 */
import type { Disposition, ProblemCode } from './codes.ts';
import { KPI_DEFAULTS, kpiOf, type KpiOptions, type KpiState } from './state.ts';
import { detached } from '../strings.ts';

/** Calls watched at once; the state is the store's (~2 KB each), this keeps a reference. */
export const LIVE_CALLS_MAX = 20_000;

/** Where the counts go (server/collector/metrics.ts): labels are bounded sets, never a Call-ID or a user. */
export interface KpiSink {
  call(disposition: Disposition, statusClass: string, pddMs: number | null, setupMs: number | null): void;
  problem(code: ProblemCode): void;
  evicted(): void;
}

/** What a call's KPI state said before a batch was folded into it (beforeOf). */
export interface KpiBefore {
  /** It had its initial INVITE. */
  invited: boolean;
  /** Its call was decided (decided()). */
  decided: boolean;
  /** How many problem codes it had: the state's problems only grow, new ones at the end. */
  problems: number;
}

export function beforeOf(st: KpiState): KpiBefore {
  return { invited: st.inviteTs !== null, decided: decided(st), problems: st.problems.size };
}

/**
 * Whether the initial INVITE has its final answer. A 401/407 challenge is not one: the caller
 * sends the INVITE again with credentials (same Call-ID, next CSeq), and that one decides the call;
 * counted as rejected, every authenticated call would be a failure first.
 */
function decided(st: KpiState): boolean {
  return st.finalStatus !== null && st.finalStatus !== 401 && st.finalStatus !== 407;
}

interface Live {
  st: KpiState;
  reported: boolean;
  /** µs: its INVITE, or when expire() last passed it over. */
  since: number;
}

/** A call in the order watched: stale once the call is forgotten or passed over again (its since moved on). */
interface Queued {
  callId: string;
  live: Live;
  since: number;
}

/** Status class of a call that timed out without a final response. */
export const NO_FINAL_CLASS = 'none';

const statusClass = (status: number | null): string => (status === null ? NO_FINAL_CLASS : `${Math.floor(status / 100)}xx`);

export class LiveCalls {
  private readonly calls = new Map<string, Live>();
  /**
   * The calls oldest first, for expiry and eviction. Not the Map's own order: a Map keeps the
   * slots of deleted keys until it grows again, so taking its first key rescans every call
   * forgotten since (7 % of the main thread at 20,000 REGISTER/OPTIONS a second).
   */
  private order: Queued[] = [];
  private head = 0;

  constructor(private readonly sink: KpiSink, private readonly maxCalls = LIVE_CALLS_MAX, private readonly opts: KpiOptions = KPI_DEFAULTS) {}

  get size(): number {
    return this.calls.size;
  }

  /** The oldest call watched, stale entries skipped (and dropped now and then); undefined when none. */
  private oldest(): Queued | undefined {
    let found: Queued | undefined;
    for (; this.head < this.order.length; this.head++) {
      const q = this.order[this.head];
      if (q.live.since === q.since && this.calls.get(q.callId) === q.live) {
        found = q;
        break;
      }
    }
    // Calls ended by their BYE leave stale entries at the head: without this, the queue (and every
    // call state it points to) grew with every call ever stored.
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
    return found;
  }

  /** Takes the oldest entry off the queue, after oldest() found it. */
  private shift(): void {
    this.head++;
  }

  /**
   * A batch of `callId`'s messages is stored: `st` is its KPI state with them folded in, `before`
   * what the state said before them, `nowMicros` the latest capture time among them.
   */
  settled(callId: string, st: KpiState, before: KpiBefore, nowMicros: number): void {
    let live = this.calls.get(callId);
    if (live === undefined) {
      // Watched from the batch that brings its initial INVITE: calls only (REGISTER refreshes and
      // OPTIONS keep-alives, often most of the traffic, have no disposition these metrics count;
      // the search rows keep their problems), and a call timed out, ended or evicted before is
      // not counted again when a late message of it comes.
      if (before.invited || st.inviteTs === null) return;
      live = { st, reported: false, since: st.inviteTs };
      const own = detached(callId);
      this.calls.set(own, live);
      this.order.push({ callId: own, live, since: live.since });
      if (this.calls.size > this.maxCalls) {
        this.calls.delete(this.oldest()!.callId);
        this.shift();
        this.sink.evicted();
      }
    }
    live.st = st; // the store's state may be a new object (read back from the call's row)
    if (st.problems.size > before.problems) {
      let i = 0;
      for (const code of st.problems.keys()) if (i++ >= before.problems) this.sink.problem(code);
    }
    if (!live.reported && decided(st)) {
      live.reported = true;
      const k = kpiOf(st, this.opts);
      this.sink.call(k.disposition, statusClass(k.finalStatus), k.pddMs, k.setupMs);
    }
    // A BYE answered 2xx ends the dialog: nothing left to time out.
    if (st.byeAnswered) this.calls.delete(callId);
    this.expire(nowMicros, 2);
  }

  /**
   * Looks at up to `max` of the oldest calls watched (all when not given) whose INVITE is more
   * than 64×T1 before `nowMicros`: one not decided is reported (failed with no-final-response, or
   * rejected by a challenge nobody answered) and forgotten; one already reported (a call in its
   * dialog) moved to the back, to be looked at again 64×T1 later, unless its BYE went unanswered
   * for as long (bye-without-200: its dialog is over). A few per batch keep the oldest ahead of
   * the traffic at O(1) a call.
   */
  expire(nowMicros: number, max = Infinity): void {
    const timer = 64 * this.opts.t1Ms * 1000;
    for (let n = 0; n < max; n++) {
      const q = this.oldest();
      if (q === undefined || nowMicros - q.since <= timer) return;
      this.shift();
      const { callId, live } = q;
      this.calls.delete(callId);
      const k = kpiOf(live.st, this.opts, nowMicros);
      const timedOut = k.problems.filter((p) => !live.st.problems.has(p.code));
      for (const p of timedOut) this.sink.problem(p.code);
      if (!live.reported) this.sink.call(k.disposition, statusClass(k.finalStatus), k.pddMs, k.setupMs);
      else if (timedOut.length === 0) {
        live.since = nowMicros;
        this.calls.set(callId, live);
        this.order.push({ callId, live, since: nowMicros });
      }
    }
  }
}

/** What a sink was told, to carry across threads (the SQLite writer's to the collector's metrics). */
export interface KpiEvents {
  calls: [Disposition, string, number | null, number | null][];
  problems: ProblemCode[];
  evicted: number;
}

/** A KpiSink that keeps what it is told until taken, then told to another sink (replayKpi). */
export class KpiLog implements KpiSink {
  private events: KpiEvents = { calls: [], problems: [], evicted: 0 };

  call(disposition: Disposition, statusClass: string, pddMs: number | null, setupMs: number | null): void {
    this.events.calls.push([disposition, statusClass, pddMs, setupMs]);
  }

  problem(code: ProblemCode): void {
    this.events.problems.push(code);
  }

  evicted(): void {
    this.events.evicted++;
  }

  /** What was told since the last take; undefined when nothing. */
  take(): KpiEvents | undefined {
    const e = this.events;
    if (!e.calls.length && !e.problems.length && !e.evicted) return undefined;
    this.events = { calls: [], problems: [], evicted: 0 };
    return e;
  }
}

export function replayKpi(e: KpiEvents, sink: KpiSink): void {
  for (const [d, c, pdd, setup] of e.calls) sink.call(d, c, pdd, setup);
  for (const p of e.problems) sink.problem(p);
  for (let i = 0; i < e.evicted; i++) sink.evicted();
}
