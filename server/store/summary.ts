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

/** Folds one message into its call's summary (order-independent but for ties). */
export function updateCall(c: CallSummary, m: Folded): CallSummary {
  const next = { ...c, start: Math.min(c.start, m.ts), end: Math.max(c.end, m.ts), messages: c.messages + 1 };
  if (m.method && (next.first_req_ts === null || m.ts < next.first_req_ts)) {
    Object.assign(next, { first_req_ts: m.ts, method: m.method, cseq_num: m.cseqNum, caller: m.fromUser,
      callee: m.ruriUser ?? m.toUser });
  }
  if (m.status !== null && m.status >= 200 && m.cseqMethod === next.method && m.cseqNum === next.cseq_num &&
      (next.status_ts === null || m.ts >= next.status_ts)) {
    Object.assign(next, { status: m.status, status_ts: m.ts });
  }
  return next;
}

/** The calls of a set of messages, earliest first (ties by Call-ID). */
export function foldCalls(messages: StoredMessage[]): CallSummary[] {
  const calls = new Map<string, CallSummary>();
  for (const m of messages) calls.set(m.callId, updateCall(calls.get(m.callId) ?? newCall(m), m));
  return [...calls.values()].sort((a, b) => a.start - b.start || (a.call_id < b.call_id ? -1 : a.call_id > b.call_id ? 1 : 0));
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
