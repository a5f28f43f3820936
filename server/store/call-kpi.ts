/**
 * The KPI fold of each call at insert, for the search rows (summary.ts): a store reads a call's
 * row, folds the batch's messages into its state, and writes the row back with the state packed
 * (kpi/state.ts packKpi: the scalars). What the row leaves out is the copy window, which tells a
 * retransmission from a new message: it stays here, in memory, for the calls begun last. A
 * call whose window is gone (restart, eviction, a write by another process) goes on from its
 * row with an empty window: a copy of a message sent before that is then not recognised.
 * No read of stored messages either way.
 *
 * The same fold feeds /metrics (kpi/live-calls.ts) once `follow`ed: the store tells `committed`
 * after each stored batch, and what the batch changed in each call is reported then, exactly
 * once (a batch rolled back and retried folds again from the row, and is compared with that).
 */
import { newKpiState, unpackKpi, type KpiState } from '../kpi/state.ts';
import { beforeOf, LiveCalls, type KpiBefore, type KpiSink } from '../kpi/live-calls.ts';
import { answeredOneShot, type CallSummary } from './summary.ts';
import { detached } from '../strings.ts';

/**
 * Calls whose copy window is kept, at most: as many as /metrics follows (kpi/live-calls.ts
 * LIVE_CALLS_MAX), ~2 KB each. Retransmissions come within 64×T1 = 32 s of the original; at
 * 20,000 calls (15,000 after an eviction), that covers up to ~450 new calls/s. An answered
 * OPTIONS, REGISTER or MESSAGE holds none (close): held, they made 14,000 a second in
 * bench/ingest's register-options at 40,000 messages/s, and a window lasted about a second.
 */
export const KPI_WINDOW_CALLS = 20_000;

interface Held {
  st: KpiState;
  /**
   * The row this state wrote: it is the state of a row with the same messages and packed text
   * only. -1 while a batch folds into it (open to close).
   */
  messages: number;
  packed: string;
}

/** A call opened by the batch being written, for the metrics: its row (its `end` moves with the batch) and state. */
interface Opened {
  c: CallSummary;
  st: KpiState;
  before: KpiBefore;
}

export class CallKpis {
  /** By Call-ID, oldest first: the first written first, as a call's retransmissions come early in its life. */
  private readonly held = new Map<string, Held>();
  private live: LiveCalls | null = null;
  /** The calls the batch being written opened, while followed. */
  private readonly opened = new Map<string, Opened>();

  constructor(private readonly max = KPI_WINDOW_CALLS) {}

  /** From now on, what each stored batch changes in its calls goes to `sink`. */
  follow(sink: KpiSink): void {
    this.live = new LiveCalls(sink);
  }

  /** The batch whose calls were opened since the last call is stored: report what it changed. */
  committed(): void {
    if (this.live === null) return;
    for (const [id, o] of this.opened) this.live.settled(id, o.st, o.before, o.c.end);
    this.opened.clear();
  }

  /** The batch was not stored: it will be folded again from the rows. */
  abandoned(): void {
    this.opened.clear();
  }

  /** Times out the calls followed whose INVITE is older than 64×T1 at `nowMicros` (a scrape of a quiet collector). */
  expire(nowMicros: number): void {
    this.live?.expire(nowMicros);
  }

  get size(): number {
    return this.held.size;
  }

  /**
   * The state to fold `c`'s next messages into, `c` as stored (messages 0: a new call); null
   * when its KPIs are unknown. Marked as being folded until `close`: a batch that fails between
   * the two (rolled back) leaves nothing here that the stored row does not say.
   */
  open(c: CallSummary): KpiState | null {
    const st = this.stateOf(c);
    if (st !== null && this.live !== null) this.opened.set(c.call_id, { c, st, before: beforeOf(st) });
    return st;
  }

  private stateOf(c: CallSummary): KpiState | null {
    const h = this.held.get(c.call_id);
    const mine = h !== undefined && h.messages === c.messages && h.packed === c.kpi;
    if (h) h.messages = -1;
    if (c.messages === 0) return newKpiState();
    if (c.kpi === null) return null;
    return mine ? h.st : unpackKpi(c.kpi);
  }

  /** `c` has been written (settled, summary.ts settleKpi) with `st`: keep its window. */
  close(c: CallSummary, st: KpiState): void {
    if (c.kpi === null) return;
    // A BYE answered 2xx ends the dialog: its window goes now (as kpi/live-calls.ts frees its state).
    // So does an answered OPTIONS, REGISTER or MESSAGE (answeredOneShot): on a proxy they are most
    // calls, and kept they pushed the windows of calls still ringing out within a second or two.
    if (st.byeAnswered || answeredOneShot(c)) {
      this.held.delete(c.call_id);
      return;
    }
    const h = this.held.get(c.call_id);
    if (h) {
      h.st = st;
      h.messages = c.messages;
      h.packed = c.kpi;
      return;
    }
    this.held.set(detached(c.call_id), { st, messages: c.messages, packed: c.kpi });
    if (this.held.size > this.max) this.evict();
  }

  /** Forgets every window (after a purge, say): the rows alone say where each call is. */
  clear(): void {
    this.held.clear();
  }

  /**
   * Drops the oldest quarter in one pass. One at a time, each would cost a walk over the slots
   * the previous ones freed at the head of the Map (V8 compacts them only when it rehashes).
   */
  private evict(): void {
    let n = Math.max(1, this.max >> 2);
    for (const id of this.held.keys()) {
      if (n-- === 0) break;
      this.held.delete(id);
    }
  }
}
