/**
 * Per-call KPIs computed message by message, never by rescanning the call: `updateKpi` folds one
 * message into a small state, `kpiOf` reads the KPIs out. Pure; times are microseconds (EpochMicros),
 * KPI durations milliseconds. Assumes the messages of one Call-ID, in arrival (time) order, with
 * duplicate captures of one message already folded (correlate/dedup.ts), else they count as
 * retransmissions.
 */
import { isIP } from 'node:net';
import { problemBits, problemCodesOf, type Disposition, type Problem, type ProblemCode } from './codes.ts';
import type { SipMessage } from '../sip/types.ts';
import { detached } from '../strings.ts';

/** What the KPIs read of a message: a subset of store MessageMeta, plus optional addresses for nat-mismatch. */
export interface KpiMessage {
  /** Store id, named by the problems; absent in the collector, before the store gives one. */
  id?: string;
  /** µs since the epoch. */
  ts: number;
  method: string | null;
  status: number | null;
  cseqNum: number | null;
  cseqMethod: string | null;
  toTag: string | null;
  viaBranch: string | null;
  srcIp: string;
  /** IP literal of the top Via's sent-by, when known. */
  viaIp?: string | null;
  /** IP literal of the Contact URI host, when known. */
  contactIp?: string | null;
}

/**
 * What nat-mismatch compares with a request's packet source: the top Via's sent-by, and the
 * Contact only when the request has a single Via, i.e. comes straight from the UA that wrote it
 * (a proxy relays the caller's Contact unchanged, which says nothing of a NAT). IP literals only:
 * a host name cannot be compared. Both null for a response.
 */
export function natAddresses(sip: SipMessage): { viaIp: string | null; contactIp: string | null } {
  if (sip.kind !== 'request') return { viaIp: null, contactIp: null };
  const via = sip.viaHost;
  const contact = sip.viaCount === 1 ? sip.contact?.uri.host ?? null : null;
  return { viaIp: via !== null && isIP(via) ? via : null, contactIp: contact !== null && isIP(unbracket(contact)) ? unbracket(contact) : null };
}

const unbracket = (host: string): string => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);

export interface KpiOptions {
  /** RFC 3261 T1, ms (500 by default, §17.1.1.1); 64×T1 bounds retransmissions and Timer B. */
  t1Ms: number;
  /** A request whose first response comes later than this, ms, is a `long-gap`. */
  longGapMs: number;
  /** A copy sooner than this, µs, is the same message seen by a second capture point: ignored. */
  captureWindowMicros: number;
}

/**
 * Defaults, as the pure layers hold them for callers without a config (like correlate/dedup.ts):
 * T1 is RFC 3261's 500 ms estimate of the round trip. A first response is due within 200 ms
 * (100 Trying, §17.2.1); after 5 s the request has been sent 4 times (0, 0.5, 1.5, 3.5 s): a peer
 * or a hop was not answering.
 */
export const KPI_DEFAULTS: KpiOptions = {
  t1Ms: 500,
  longGapMs: 5_000,
  // Below T1: a retransmission never comes sooner (RFC 3261 §17.1.1.2), two captures of one hop do.
  captureWindowMicros: 100_000,
};

export interface KpiState {
  /** CSeq number of the current initial INVITE (no To tag); a 3xx then a new INVITE moves it. */
  inviteCseq: number | null;
  inviteTs: number | null;
  inviteId: string | null;
  firstRingTs: number | null;
  answerTs: number | null;
  finalStatus: number | null;
  finalTs: number | null;
  cancelled: boolean;
  ackedCseqs: Set<number>;
  byeTs: number | null;
  byeCseq: number | null;
  byeId: string | null;
  byeAnswered: boolean;
  /** First time each copy key was seen, µs: retransmissions are later copies within 64×T1. */
  firstSeen: Map<string, number>;
  problems: Map<ProblemCode, Problem>;
}

export interface Kpi {
  disposition: Disposition;
  /** Initial INVITE to the first 180/183, else to the final response; ms. */
  pddMs: number | null;
  /** Initial INVITE to its 2xx, ms. */
  setupMs: number | null;
  /** 2xx to the BYE, ms; null until the BYE. */
  durationMs: number | null;
  finalStatus: number | null;
  problems: Problem[];
}

export function newKpiState(): KpiState {
  return {
    inviteCseq: null, inviteTs: null, inviteId: null, firstRingTs: null, answerTs: null,
    finalStatus: null, finalTs: null, cancelled: false, ackedCseqs: new Set(),
    byeTs: null, byeCseq: null, byeId: null, byeAnswered: false,
    firstSeen: new Map(), problems: new Map(),
  };
}

/** Response status → problem code it raises, for any request. */
const STATUS_PROBLEMS: [(s: number) => boolean, ProblemCode][] = [
  [(s) => s === 408, 'timeout-408'],
  [(s) => s === 481, 'call-leg-481'],
  [(s) => s === 488, 'sdp-rejected-488'],
  [(s) => s === 491, 'glare-491'],
  [(s) => s >= 500 && s < 600, 'server-error-5xx'],
  [(s) => s >= 600, 'call-failure-6xx'],
];

function raise(st: KpiState, code: ProblemCode, messageId = ''): void {
  const p = st.problems.get(code);
  if (p) p.count++;
  else st.problems.set(code, { code, messageId, count: 1 });
}

/** Fold one message into `st` (mutated, and returned for chaining). O(1): a few map look-ups. */
export function updateKpi(st: KpiState, m: KpiMessage, opts: KpiOptions): KpiState {
  const maxCopyMicros = 64 * opts.t1Ms * 1000;
  // Copies: a request is its (method, CSeq, branch); a response its (status, CSeq, To tag, branch):
  // the branch tells the hops of a proxied call apart (each hop has its own top Via).
  const key = m.method !== null
    ? `q ${m.method} ${m.cseqNum} ${m.cseqMethod} ${m.viaBranch}`
    : `r ${m.status} ${m.cseqNum} ${m.cseqMethod} ${m.toTag} ${m.viaBranch}`;
  const seen = st.firstSeen.get(key);
  if (seen !== undefined && m.ts - seen < opts.captureWindowMicros) return st;
  const isCopy = seen !== undefined && m.ts - seen <= maxCopyMicros;
  if (seen === undefined || !isCopy) st.firstSeen.set(seen === undefined ? detached(key) : key, m.ts);
  if (isCopy) raise(st, 'retransmissions', m.id);

  // A transaction is its (CSeq, branch): its first response long after its request is a gap.
  const tx = `t ${m.cseqNum} ${m.cseqMethod} ${m.viaBranch}`;
  if (m.method !== null && m.method !== 'ACK' && !st.firstSeen.has(tx)) st.firstSeen.set(detached(tx), m.ts);
  if (m.method === null && !st.firstSeen.has(`a${tx}`)) {
    st.firstSeen.set(detached(`a${tx}`), m.ts);
    const sent = st.firstSeen.get(tx);
    if (sent !== undefined && m.ts - sent > opts.longGapMs * 1000) raise(st, 'long-gap', m.id);
  }

  if (m.method !== null) request(st, m, isCopy);
  else if (m.status !== null) response(st, m, isCopy);
  return st;
}

function request(st: KpiState, m: KpiMessage, isCopy: boolean): void {
  if (!isCopy && (m.viaIp && m.viaIp !== m.srcIp || m.contactIp && m.contactIp !== m.srcIp)) raise(st, 'nat-mismatch', m.id);
  if (isCopy) return;
  if (m.method === 'INVITE' && m.toTag === null && m.cseqNum !== null && m.cseqNum !== st.inviteCseq) {
    // A new initial INVITE (first, or after a 3xx/401): its answer decides the call; PDD runs from the first.
    st.inviteCseq = m.cseqNum;
    st.inviteTs ??= m.ts;
    st.inviteId ??= m.id ?? '';
    if (st.answerTs === null) { st.finalStatus = null; st.finalTs = null; }
  } else if (m.method === 'CANCEL') {
    st.cancelled = true;
  } else if (m.method === 'ACK' && m.cseqNum !== null) {
    st.ackedCseqs.add(m.cseqNum);
  } else if (m.method === 'BYE' && st.byeTs === null) {
    st.byeTs = m.ts;
    st.byeCseq = m.cseqNum;
    st.byeId = m.id ?? '';
  }
}

function response(st: KpiState, m: KpiMessage, isCopy: boolean): void {
  const s = m.status!;
  if (s >= 300 && !isCopy) for (const [match, code] of STATUS_PROBLEMS) if (match(s)) raise(st, code, m.id);
  if (m.cseqMethod === 'BYE' && m.cseqNum === st.byeCseq && s >= 200 && !isCopy) {
    if (s < 300) st.byeAnswered = true;
    else if (!st.byeAnswered) raise(st, 'bye-without-200', m.id);
  }
  if (m.cseqMethod !== 'INVITE' || m.cseqNum !== st.inviteCseq) return;
  if ((s === 180 || s === 183) && st.firstRingTs === null) st.firstRingTs = m.ts;
  if (s < 200) return;
  if (s < 300) {
    // A 2xx retransmitted before its ACK: the UAS did not get the ACK (RFC 3261 §13.3.1.4).
    if (isCopy && !st.ackedCseqs.has(st.inviteCseq!)) raise(st, 'missing-ack', m.id);
    // The first 2xx wins, over a CANCEL racing it and over other forks' final answers.
    if (st.answerTs === null) { st.answerTs = m.ts; st.finalStatus = s; st.finalTs = m.ts; }
  } else if (st.answerTs === null && !isCopy) {
    st.finalStatus = s;
    st.finalTs = m.ts;
  }
}

/**
 * The KPIs of `st`. With `nowMicros`, an INVITE or BYE unanswered for 64×T1 before it counts as
 * failed (`no-final-response`, `bye-without-200`); without it, an unanswered call is in progress.
 */
export function kpiOf(st: KpiState, opts: KpiOptions, nowMicros?: number): Kpi {
  const timerMicros = 64 * opts.t1Ms * 1000;
  const problems = new Map(st.problems);
  const timedOut = (ts: number | null): boolean => ts !== null && nowMicros !== undefined && nowMicros - ts > timerMicros;
  const noFinal = st.inviteTs !== null && st.finalStatus === null && timedOut(st.inviteTs);
  if (noFinal) problems.set('no-final-response', { code: 'no-final-response', messageId: st.inviteId!, count: 1 });
  if (st.byeId !== null && !st.byeAnswered && !problems.has('bye-without-200') && timedOut(st.byeTs)) {
    problems.set('bye-without-200', { code: 'bye-without-200', messageId: st.byeId, count: 1 });
  }
  const k = kpiFigures(st);
  if (noFinal) k.disposition = 'failed';
  return { ...k, problems: [...problems.values()].map((p) => ({ ...p })) };
}

/** kpiOf without a clock, less the problems: what a store writes for each call it touches (no copies made). */
export function kpiFigures(st: KpiState): Omit<Kpi, 'problems'> {
  return {
    disposition: dispositionOf(st.finalStatus, st.cancelled),
    pddMs: elapsedMs(st.inviteTs, st.firstRingTs ?? st.finalTs),
    setupMs: elapsedMs(st.inviteTs, st.answerTs),
    durationMs: elapsedMs(st.answerTs, st.byeTs),
    finalStatus: st.finalStatus,
  };
}

/** `from` to `to` (µs) in whole ms, never negative; null when either is unknown. */
function elapsedMs(from: number | null, to: number | null): number | null {
  return from === null || to === null ? null : Math.max(0, Math.round((to - from) / 1000));
}

/** Disposition from the final status of the initial INVITE (null: none yet). */
export function dispositionOf(status: number | null, cancelled: boolean): Disposition {
  if (status === null) return 'in-progress';
  if (status < 300) return 'answered';
  if (status === 487 || cancelled) return 'cancelled';
  if (status === 486 || status === 600) return 'busy';
  if (status === 408 || status === 480) return 'no-answer';
  if (status >= 500 && status < 600) return 'failed';
  return 'rejected';
}

/** Version of packKpi's format, its first element: a store's rows outlive a hepflow version. */
const PACK_VERSION = 2;

/**
 * The fold state as a store keeps it with each call, to go on folding when later messages come:
 * a JSON array of the scalars (about 60 bytes). Left out: the copy window (`firstSeen`, which
 * finds retransmissions and long gaps; the store keeps it in memory for the calls being received,
 * store/call-kpi.ts), and the message id and count of each problem (the codes are kept).
 * Times are written as µs after the first of them: small integers print faster than 16-digit
 * ones (JSON.stringify then takes a third less), for every call a batch touches.
 */
export function packKpi(st: KpiState): string {
  const base = st.inviteTs ?? st.finalTs ?? st.byeTs ?? 0;
  return JSON.stringify([PACK_VERSION, base, st.inviteCseq, after(st.inviteTs, base), after(st.firstRingTs, base),
    after(st.answerTs, base), st.finalStatus, after(st.finalTs, base), st.cancelled ? 1 : 0, [...st.ackedCseqs],
    after(st.byeTs, base), st.byeCseq, st.byeAnswered ? 1 : 0, problemBits(st.problems.keys())]);
}

/** `ts` − `base`, µs; null stays null. */
function after(ts: number | null, base: number): number | null {
  return ts === null ? null : ts - base;
}

/** A state from packKpi's text, with an empty copy window; null when the text is not one. */
export function unpackKpi(text: string): KpiState | null {
  let a: unknown;
  try {
    a = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(a) || a[0] !== PACK_VERSION || a.length !== 14 || !Array.isArray(a[9])) return null;
  const [, base, inviteCseq, inviteTs, firstRingTs, answerTs, finalStatus, finalTs, cancelled, acked, byeTs, byeCseq, byeAnswered, bits] = a;
  const t = (d: number | null): number | null => (d === null ? null : base + d);
  const st = newKpiState();
  Object.assign(st, { inviteCseq, inviteTs: t(inviteTs), firstRingTs: t(firstRingTs), answerTs: t(answerTs), finalStatus,
    finalTs: t(finalTs), byeTs: t(byeTs), byeCseq, cancelled: cancelled === 1, byeAnswered: byeAnswered === 1,
    ackedCseqs: new Set(acked as number[]) });
  // Ids are not kept: a timed-out INVITE or BYE (kpiOf with a clock) then names no message.
  if (inviteTs !== null) st.inviteId = '';
  if (byeTs !== null) st.byeId = '';
  for (const code of problemCodesOf(Number(bits))) st.problems.set(code, { code, messageId: '', count: 1 });
  return st;
}
