/**
 * Per-call and per-group summaries for search, shared by the SQLite and PostgreSQL stores
 * (pure). Both fold at insert; the PostgreSQL store also folds, for
 * rows heplify-server wrote, at query time.
 */
import type { EpochMicros, GroupSummary, MessageInput, StoredMessage } from './types.ts';

/** One row of hepflow_calls. Times in µs since the epoch. */
export interface CallSummary {
  call_id: string;
  start: EpochMicros;
  end: EpochMicros;
  messages: number;
  /** Time of the earliest request: it names caller, callee and method. */
  first_req_ts: EpochMicros | null;
  method: string | null;
  cseq_num: number | null;
  caller: string | null;
  callee: string | null;
  /** Final response (>= 200) to that first request, the latest seen. */
  status: number | null;
  status_ts: EpochMicros | null;
}

type Folded = Pick<MessageInput, 'callId' | 'ts' | 'method' | 'status' | 'cseqNum' | 'cseqMethod' | 'fromUser' | 'toUser' | 'ruriUser'>;

export function newCall(m: Folded): CallSummary {
  return { call_id: m.callId, start: m.ts, end: m.ts, messages: 0, first_req_ts: null, method: null,
    cseq_num: null, caller: null, callee: null, status: null, status_ts: null };
}

/**
 * Folds one message into its call's summary, in place (order-independent but for ties). In
 * place because the SQLite writer folds every message it stores.
 */
export function updateCall(c: CallSummary, m: Folded): void {
  if (m.ts < c.start) c.start = m.ts;
  if (m.ts > c.end) c.end = m.ts;
  c.messages++;
  if (m.method && (c.first_req_ts === null || m.ts < c.first_req_ts)) {
    c.first_req_ts = m.ts;
    c.method = m.method;
    c.cseq_num = m.cseqNum;
    c.caller = m.fromUser;
    c.callee = m.ruriUser ?? m.toUser;
  }
  if (m.status !== null && m.status >= 200 && m.cseqMethod === c.method && m.cseqNum === c.cseq_num &&
      (c.status_ts === null || m.ts >= c.status_ts)) {
    c.status = m.status;
    c.status_ts = m.ts;
  }
}

/** The calls of a set of messages, earliest first (ties by Call-ID). */
export function foldCalls(messages: StoredMessage[]): CallSummary[] {
  const calls = new Map<string, CallSummary>();
  for (const m of messages) updateCall(callOf(calls, m), m);
  return [...calls.values()].sort((a, b) => a.start - b.start || (a.call_id < b.call_id ? -1 : a.call_id > b.call_id ? 1 : 0));
}

/** The summary of `m`'s call in `calls`, added (empty) when missing. */
export function callOf(calls: Map<string, CallSummary>, m: Folded): CallSummary {
  let c = calls.get(m.callId);
  if (c === undefined) calls.set(m.callId, (c = newCall(m)));
  return c;
}

/** A group's search row from its calls (earliest first) and ids. */
export function summarize(calls: CallSummary[], callIds: string[], correlationIds: string[]): GroupSummary {
  const first = calls[0];
  return {
    groupId: first.call_id, callIds, correlationIds, start: first.start,
    end: Math.max(...calls.map((c) => c.end)), caller: first.caller, callee: first.callee,
    status: first.status, method: first.method, messages: calls.reduce((n, c) => n + c.messages, 0),
  };
}
