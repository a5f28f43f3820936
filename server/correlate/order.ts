/**
 * Cause order for messages captured in the same microsecond. A proxy traces what it receives and
 * what it forwards with one gettimeofday() tick, so equal times are common; the ladder must still
 * read top-down as things happened. Pure.
 */
import type { MessageMeta } from '../store/types.ts';

/** The fields cause ordering reads. */
export type OrderFacts = Pick<
  MessageMeta,
  'ts' | 'callId' | 'method' | 'status' | 'cseqNum' | 'cseqMethod' | 'srcIp' | 'srcPort' | 'dstIp' | 'dstPort'
>;

/**
 * Ties longer than this keep their input order: cause ordering is quadratic in the tie's length,
 * and real ties are a handful of messages (one proxy's in and out copies).
 */
const MAX_TIE = 256;

/**
 * Returns `items` (already in (ts, id) order) with each run of equal `ts` put in cause order:
 * a request before the responses that travel its hop back; the copy of a request (or response)
 * received by a node before the copy that node forwards (same Call-ID and CSeq, the one whose
 * destination is the other's source first); an INVITE before its CANCEL on the same hop; a final
 * response to INVITE before the ACK its receiver sends; on one hop a provisional response before a
 * final one; across Call-IDs, what a B2BUA received before what it relays (see `relays`).
 * Messages with no such relation keep their input order.
 */
export function orderByCause<T>(items: readonly T[], facts: (t: T) => OrderFacts): T[] {
  const out: T[] = [];
  let i = 0;
  while (i < items.length) {
    let j = i + 1;
    const ts = facts(items[i]).ts;
    while (j < items.length && facts(items[j]).ts === ts) j++;
    const run = items.slice(i, j);
    out.push(...(run.length > 1 && run.length <= MAX_TIE ? sortRun(run, facts) : run));
    i = j;
  }
  return out;
}

/** Kahn's algorithm, always taking the earliest ready item; a cycle falls back to input order. */
function sortRun<T>(run: T[], facts: (t: T) => OrderFacts): T[] {
  const f = run.map(facts);
  const n = run.length;
  const preds = Array.from({ length: n }, () => 0);
  const succ: number[][] = Array.from({ length: n }, () => []);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      if (a !== b && (precedes(f[a], f[b]) || relays(f[a], f[b]))) {
        succ[a].push(b);
        preds[b]++;
      }
    }
  }
  const done = new Array<boolean>(n).fill(false);
  const out: T[] = [];
  for (let k = 0; k < n; k++) {
    let pick = -1;
    for (let c = 0; c < n; c++) if (!done[c] && preds[c] === 0) { pick = c; break; }
    if (pick < 0) pick = done.indexOf(false); // cycle: take the earliest left
    done[pick] = true;
    out.push(run[pick]);
    for (const s of succ[pick]) preds[s]--;
  }
  return out;
}

const src = (m: OrderFacts): string => `${m.srcIp}|${m.srcPort}`;
const dst = (m: OrderFacts): string => `${m.dstIp}|${m.dstPort}`;
const isRequest = (m: OrderFacts): boolean => m.method !== null;

/** True when `a` must be drawn before `b`, both of one transaction (same Call-ID and CSeq). */
export function precedes(a: OrderFacts, b: OrderFacts): boolean {
  if (a.callId !== b.callId || a.cseqNum === null || a.cseqNum !== b.cseqNum) return false;
  const sameHop = src(a) === src(b) && dst(a) === dst(b);
  if (a.cseqMethod === b.cseqMethod) {
    if (isRequest(a) && !isRequest(b)) return src(a) === dst(b) && dst(a) === src(b);
    if (isRequest(a) && isRequest(b)) return a.method === b.method && dst(a) === src(b) && src(a) !== dst(b);
    if (!isRequest(a) && !isRequest(b)) {
      if (a.status === b.status) return dst(a) === src(b) && src(a) !== dst(b);
      return sameHop && a.status !== null && b.status !== null && a.status < 200 && b.status >= 200;
    }
    return false;
  }
  if (a.cseqMethod === 'INVITE' && isRequest(a) && b.method === 'CANCEL') return sameHop;
  if (a.cseqMethod === 'INVITE' && !isRequest(a) && (a.status ?? 0) >= 200 && b.method === 'ACK') return dst(a) === src(b);
  return false;
}

/**
 * True when `a` arrives at the node `b` leaves from and both are the same request method or the
 * same response status on different Call-IDs: a B2BUA received `a` and sent `b` for it, since it
 * starts its outbound leg only once the inbound one reached it.
 */
export function relays(a: OrderFacts, b: OrderFacts): boolean {
  if (a.callId === b.callId) return false;
  const sameKind = isRequest(a) ? a.method === b.method : !isRequest(b) && a.status !== null && a.status === b.status;
  return sameKind && dst(a) === src(b) && src(a) !== dst(b);
}
