/**
 * Causal order of messages that share a timestamp. Capture clocks tick in microseconds, and a
 * proxy forwards within the same microsecond often enough (homer#366, sngrep#408), so the time
 * alone leaves ties. Within one timestamp:
 *  1. a request comes before the responses of its transaction (same Call-ID and CSeq;
 *     RFC 3261 §17: a response only exists because its request was received);
 *  2. of two copies of the same request or of the same response on different hops (same first
 *     line; across legs too, for a B2BUA), the one that arrives at a node comes before the one
 *     that leaves that node (the received INVITE before the INVITE forwarded from it).
 * Everything else keeps its input order (the server's order: time, then id).
 */
import type { EpochMicros } from './units.ts';

export interface OrderableMessage {
  ts: EpochMicros;
  callId: string;
  src: string;
  dst: string;
  method: string | null;
  status: number | null;
  cseq: string | null;
}

/**
 * Ties larger than this keep their input order: the tie sort is quadratic, and such ties only
 * come from a capture point that stamps whole batches with one time, where no order is knowable.
 */
const MAX_TIE = 400;

/** Returns the messages sorted by time, ties broken by cause (see the file comment). Stable. */
export function orderMessages<T extends OrderableMessage>(messages: readonly T[]): T[] {
  // The server sends time order already: skip the sort (and its 20,000 wrappers) when it holds.
  let sorted = true;
  for (let i = 1; i < messages.length && sorted; i++) sorted = messages[i - 1].ts <= messages[i].ts;
  const byTime = sorted
    ? messages
    : messages
        .map((m, i) => ({ m, i }))
        .sort((a, b) => a.m.ts - b.m.ts || a.i - b.i)
        .map((x) => x.m);
  const out: T[] = [];
  let start = 0;
  while (start < byTime.length) {
    let end = start + 1;
    while (end < byTime.length && byTime[end].ts === byTime[start].ts) end++;
    if (end - start === 1 || end - start > MAX_TIE) for (let i = start; i < end; i++) out.push(byTime[i]);
    else for (const m of orderTie(byTime.slice(start, end))) out.push(m);
    start = end;
  }
  return out;
}

/** True when `a` must come before `b` although they carry the same timestamp. */
export function causallyBefore(a: OrderableMessage, b: OrderableMessage): boolean {
  const aReq = a.method !== null;
  const bReq = b.method !== null;
  if (aReq && !bReq && a.callId === b.callId && a.cseq !== null && a.cseq === b.cseq) return true;
  const sameKind = aReq ? bReq && a.method === b.method : !bReq && a.status === b.status;
  return sameKind && a.dst === b.src && a.src !== b.dst;
}

/**
 * Kahn's topological sort over the tie, always taking the earliest input position among the
 * messages whose predecessors are placed; a cycle (which only bad clocks make) is broken the
 * same way, by input position.
 */
function orderTie<T extends OrderableMessage>(tie: T[]): T[] {
  const n = tie.length;
  const preds: number[] = new Array(n).fill(0);
  const succ: number[][] = tie.map(() => []);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i !== j && causallyBefore(tie[i], tie[j])) {
        succ[i].push(j);
        preds[j]++;
      }
    }
  }
  const placed: boolean[] = new Array(n).fill(false);
  const out: T[] = [];
  for (let k = 0; k < n; k++) {
    let pick = -1;
    for (let i = 0; i < n; i++) if (!placed[i] && preds[i] === 0) { pick = i; break; }
    if (pick === -1) pick = placed.indexOf(false);
    placed[pick] = true;
    out.push(tie[pick]);
    for (const j of succ[pick]) preds[j]--;
  }
  return out;
}
