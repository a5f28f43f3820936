/**
 * The collector's per-call KPI state, for /metrics: a bounded map Call-ID → KpiState of the calls
 * (Call-IDs begun by an INVITE) fed one SIP message at a time (O(1) each), that reports each call once, when its initial INVITE gets its
 * final response, or when 64×T1 passed without one (Timer B: failed, no-final-response, status class
 * `none`), and each problem once per call, when it first shows. Past `maxCalls` the oldest call is
 * forgotten (counted as evicted): memory stays bounded whatever the traffic.
 *
 * The clock is the traffic's own: each message's capture time (an import times out its calls as a
 * live capture does), and the scrape's wall clock (`expire`) for a collector gone quiet.
 */
import type { Disposition, ProblemCode } from './codes.ts';
import { KPI_DEFAULTS, kpiOf, newKpiState, updateKpi, type KpiMessage, type KpiOptions, type KpiState } from './state.ts';

/** Calls followed at once; ~2 KB of state each, so ~40 MB at most; a busy proxy has fewer calls in setup. */
export const LIVE_CALLS_MAX = 20_000;

/** Where the counts go (server/collector/metrics.ts): labels are bounded sets, never a Call-ID or a user. */
export interface KpiSink {
  call(disposition: Disposition, statusClass: string, pddMs: number | null, setupMs: number | null): void;
  problem(code: ProblemCode): void;
  evicted(): void;
}

interface Live {
  st: KpiState;
  reported: boolean;
  /** µs: its first message, or when expire() last passed it over. */
  since: number;
}

/** A call in the order followed: stale once the call is forgotten or passed over again (its since moved on). */
interface Queued {
  callId: string;
  live: Live;
  since: number;
}

/** Status class of a call that timed out without a final response. */
export const NO_FINAL_CLASS = 'none';

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

  /** The oldest call followed, stale entries skipped; undefined when none. */
  private oldest(): Queued | undefined {
    for (; this.head < this.order.length; this.head++) {
      const q = this.order[this.head];
      if (q.live.since === q.since && this.calls.get(q.callId) === q.live) return q;
    }
    return undefined;
  }

  /** Takes the oldest entry off the queue (after oldest() found it), dropping the taken part now and then. */
  private shift(): void {
    this.head++;
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }

  /** Fold one SIP message in (the collector has no message id yet: problems name none). */
  observe(m: KpiMessage & { callId: string }): void {
    const callId = m.callId;
    let live = this.calls.get(callId);
    if (!live) {
      // Calls only: REGISTER refreshes and OPTIONS keep-alives, often most of the traffic, would
      // each take a state for nothing these metrics count (the search rows keep their problems).
      if (m.method !== 'INVITE') return;
      live = { st: newKpiState(), reported: false, since: m.ts };
      this.calls.set(callId, live);
      this.order.push({ callId, live, since: m.ts });
      if (this.calls.size > this.maxCalls) {
        this.calls.delete(this.oldest()!.callId);
        this.shift();
        this.sink.evicted();
      }
    }
    const before = live.st.problems.size;
    updateKpi(live.st, m, this.opts);
    if (live.st.problems.size > before) {
      // Problems are added to the end of the map: the new ones are its last entries.
      const codes = [...live.st.problems.keys()].slice(before);
      for (const code of codes) this.sink.problem(code);
    }
    if (!live.reported && live.st.finalStatus !== null) {
      live.reported = true;
      const k = kpiOf(live.st, this.opts);
      this.sink.call(k.disposition, `${Math.floor(k.finalStatus! / 100)}xx`, k.pddMs, k.setupMs);
    }
    // A BYE answered 2xx ends the dialog: free its state now rather than at eviction.
    if (live.st.byeAnswered) this.calls.delete(callId);
    this.expire(m.ts, 2);
  }

  /**
   * Looks at up to `max` of the oldest calls followed (all when not given) begun more than 64×T1
   * before `nowMicros`: one whose INVITE went unanswered is reported failed and forgotten, one
   * with no INVITE (OPTIONS, REGISTER) forgotten, one already reported (a call in its dialog) moved
   * to the back, to be looked at again 64×T1 later, unless its BYE went unanswered for as long
   * (bye-without-200: its dialog is over). A few per message keep the oldest ahead of the traffic
   * at O(1) a message.
   */
  expire(nowMicros: number, max = Infinity): void {
    const timer = 64 * this.opts.t1Ms * 1000;
    for (let n = 0; n < max; n++) {
      const q = this.oldest();
      if (q === undefined || nowMicros - q.since <= timer) return;
      this.shift();
      const { callId, live } = q;
      this.calls.delete(callId);
      if (!live.reported && live.st.inviteTs === null) continue;
      const k = kpiOf(live.st, this.opts, nowMicros);
      const timedOut = k.problems.filter((p) => !live.st.problems.has(p.code));
      for (const p of timedOut) this.sink.problem(p.code);
      if (!live.reported) this.sink.call(k.disposition, NO_FINAL_CLASS, k.pddMs, k.setupMs);
      else if (timedOut.length === 0) {
        live.since = nowMicros;
        this.calls.set(callId, live);
        this.order.push({ callId, live, since: nowMicros });
      }
    }
  }
}
