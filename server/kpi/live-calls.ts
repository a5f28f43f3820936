/**
 * The collector's per-call KPI state, for /metrics: a bounded map Call-ID → KpiState fed one SIP
 * message at a time (O(1) each), that reports each call once, when its initial INVITE gets its
 * final response, and each problem once per call, when it first shows. Past `maxCalls` the oldest
 * call is forgotten (counted as evicted): memory stays bounded whatever the traffic.
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
}

export class LiveCalls {
  private readonly calls = new Map<string, Live>();

  constructor(private readonly sink: KpiSink, private readonly maxCalls = LIVE_CALLS_MAX, private readonly opts: KpiOptions = KPI_DEFAULTS) {}

  get size(): number {
    return this.calls.size;
  }

  /** Fold one SIP message in (the collector has no message id yet: problems name none). */
  observe(m: KpiMessage & { callId: string }): void {
    const callId = m.callId;
    let live = this.calls.get(callId);
    if (!live) {
      live = { st: newKpiState(), reported: false };
      this.calls.set(callId, live);
      // Map keeps insertion order: its first key is the oldest call.
      if (this.calls.size > this.maxCalls) {
        this.calls.delete(this.calls.keys().next().value!);
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
  }
}
