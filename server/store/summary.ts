/**
 * Per-call and per-group summaries for search, shared by the SQLite and PostgreSQL stores
 * (pure). Both fold at insert; the PostgreSQL store also folds, for
 * rows heplify-server wrote, at query time.
 */
import { problemBits, problemCodesOf, type Disposition } from '../kpi/codes.ts';
import { KPI_DEFAULTS, kpiFigures, newKpiState, packKpi, updateKpi, type KpiState } from '../kpi/state.ts';
import { PROTO_TYPE } from '../hep/chunks.ts';
import { scenarioKind, type ScenarioKind, type ScenarioLink } from '../correlate/scenario-kind.ts';
import type { CallQuery, EpochMicros, GroupSummary, MessageInput, MessageMeta } from './types.ts';

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
  /**
   * The call's KPI fold (kpi/state.ts packKpi), to go on from with its next messages; null while
   * unknown: a call stored by a hepflow that did not fold KPIs yet (PostgreSQL; SQLite folds those
   * at the upgrade, sqlite-schema.ts). The columns below are read from it.
   */
  kpi: string | null;
  /** kpiOf's, without a clock; null when the call has no initial INVITE (OPTIONS, REGISTER, ...). */
  disposition: Disposition | null;
  pdd_ms: number | null;
  setup_ms: number | null;
  duration_ms: number | null;
  final_status: number | null;
  /** Problem codes raised, as kpi/codes.ts problemBits. */
  problems: number;
  /**
   * The far end that failed the call: the source address of the first final response >= 300 to
   * its initial INVITE (the earliest capture of a rejection is the box that sent it, before the
   * hops back relay it); a new initial INVITE after a 3xx starts over. Null without one.
   */
  fail_peer: string | null;
}

type Folded = Pick<MessageInput, 'callId' | 'ts' | 'method' | 'status' | 'cseqNum' | 'cseqMethod' | 'fromUser' | 'toUser'
  | 'ruriUser' | 'protoType' | 'toTag' | 'viaBranch' | 'srcIp'>;

export function newCall(m: Folded): CallSummary {
  return { call_id: m.callId, start: m.ts, end: m.ts, messages: 0, first_req_ts: null, method: null,
    cseq_num: null, caller: null, callee: null, status: null, status_ts: null,
    kpi: null, disposition: null, pdd_ms: null, setup_ms: null, duration_ms: null, final_status: null, problems: 0,
    fail_peer: null };
}

/**
 * Folds one message into its call's summary, in place (order-independent but for ties), and a
 * SIP message into `kpi`, the call's KPI fold state, when given (null: the KPIs are unknown).
 * In place because the SQLite writer folds every message it stores. The KPI columns follow
 * `kpi` once settleKpi is called, after the last message of a batch.
 */
export function updateCall(c: CallSummary, m: Folded, kpi: KpiState | null): void {
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
  // As the group view folds a leg (correlate/view.ts legKpi): its SIP only.
  if (kpi !== null && m.protoType === PROTO_TYPE.sip) {
    const invite = kpi.inviteCseq;
    updateKpi(kpi, m, KPI_DEFAULTS);
    if (kpi.inviteCseq !== invite) c.fail_peer = null;
    if (c.fail_peer === null && m.status !== null && m.status >= 300 && m.cseqMethod === 'INVITE' && m.cseqNum === kpi.inviteCseq) {
      c.fail_peer = m.srcIp;
    }
  }
}

/** Writes `kpi` (the call's fold state) into `c`: the packed state and the KPI columns. */
export function settleKpi(c: CallSummary, kpi: KpiState): void {
  const k = kpiFigures(kpi);
  c.kpi = packKpi(kpi);
  c.disposition = kpi.inviteTs === null ? null : k.disposition;
  c.pdd_ms = k.pddMs;
  c.setup_ms = k.setupMs;
  c.duration_ms = k.durationMs;
  c.final_status = k.finalStatus;
  c.problems = problemBits(kpi.problems.keys());
}

const DIALOG_METHODS = new Set(['INVITE', 'SUBSCRIBE', 'REFER']);

/**
 * A call that is one answered request making no dialog (OPTIONS, REGISTER, MESSAGE, ...; not
 * SUBSCRIBE or REFER, whose NOTIFYs follow): what may still come of it is a stray, a copy of the
 * request that crossed its answer or a REGISTER refresh much later.
 */
export function answeredOneShot(c: Pick<CallSummary, 'method' | 'status'>): boolean {
  return c.status !== null && c.method !== null && !DIALOG_METHODS.has(c.method);
}

/** The calls of a set of messages, earliest first (ties by Call-ID), their KPIs folded from these messages. */
export function foldCalls(messages: readonly MessageMeta[]): CallSummary[] {
  const calls = new Map<string, CallSummary>();
  const kpis = new Map<string, KpiState>();
  for (const m of messages) {
    let kpi = kpis.get(m.callId);
    if (kpi === undefined) kpis.set(m.callId, (kpi = newKpiState()));
    updateCall(callOf(calls, m), m, kpi);
  }
  for (const [id, kpi] of kpis) settleKpi(calls.get(id)!, kpi);
  return [...calls.values()].sort((a, b) => a.start - b.start || (a.call_id < b.call_id ? -1 : a.call_id > b.call_id ? 1 : 0));
}

/** The summary of `m`'s call in `calls`, added (empty) when missing. */
export function callOf(calls: Map<string, CallSummary>, m: Folded): CallSummary {
  let c = calls.get(m.callId);
  if (c === undefined) calls.set(m.callId, (c = newCall(m)));
  return c;
}

/** The KPI fields of a group's search row: its first leg's, and the problems of every leg (bits). */
export type GroupKpi = Pick<CallSummary, 'disposition' | 'pdd_ms' | 'setup_ms' | 'duration_ms' | 'final_status' | 'problems'>;

/** GroupKpi of a group's calls, earliest first. */
export function groupKpi(calls: readonly CallSummary[]): GroupKpi {
  const first = calls[0];
  let problems = 0;
  for (const c of calls) problems |= c.problems;
  return { disposition: first.disposition, pdd_ms: first.pdd_ms, setup_ms: first.setup_ms, duration_ms: first.duration_ms,
    final_status: first.final_status, problems };
}

/**
 * The far end that failed a group (its calls earliest first): the `fail_peer` of its latest leg
 * that has one, as the call goes on through later legs (a B2BUA's B-leg, a forward's last target).
 */
export function groupFailPeer(calls: readonly Pick<CallSummary, 'fail_peer'>[]): string | null {
  for (let i = calls.length - 1; i >= 0; i--) if (calls[i].fail_peer !== null) return calls[i].fail_peer;
  return null;
}

/**
 * A group that began before this (µs) with its first leg still in progress has timed out: Timer B,
 * 64×T1 (RFC 3261 §17.1.1.2), ran out on its INVITE. Its search row then says what the group view
 * read at `nowMicros` says (kpi/state.ts kpiOf with a clock): failed, with no-final-response. The
 * stored fold has no clock; the group's start stands for its first INVITE's time.
 */
export function timedOutBefore(nowMicros: number): number {
  return nowMicros - 64 * KPI_DEFAULTS.t1Ms * 1000;
}

const NO_FINAL_RESPONSE = problemBits(['no-final-response']);

/** The search row's KPI fields from stored columns (GroupKpi) of a group that began at `start`, read at `nowMicros`. */
export function kpiFields(g: GroupKpi, start: number, nowMicros: number): Pick<GroupSummary, 'disposition' | 'pddMs' | 'setupMs' | 'durationMs' | 'finalStatus' | 'problems'> {
  const timedOut = g.disposition === 'in-progress' && start < timedOutBefore(nowMicros);
  return { disposition: timedOut ? 'failed' : g.disposition, pddMs: g.pdd_ms, setupMs: g.setup_ms, durationMs: g.duration_ms,
    finalStatus: g.final_status, problems: problemCodesOf(timedOut ? g.problems | NO_FINAL_RESPONSE : g.problems) };
}

/**
 * The SQL conditions on a group row `g` (disposition, problems, start) for `disposition=` and
 * `problem=` as kpiFields reads them at `nowMicros`; `arg` binds a value and answers its placeholder,
 * called in the order the placeholders appear.
 */
export function kpiConditions(q: Pick<CallQuery, 'disposition' | 'problems'>, nowMicros: number, arg: (v: unknown) => string): string[] {
  const out: string[] = [];
  const timedOut = () => `(g.disposition = 'in-progress' AND g.start < ${arg(timedOutBefore(nowMicros))})`;
  if (q.disposition === 'in-progress') out.push(`(g.disposition = 'in-progress' AND g.start >= ${arg(timedOutBefore(nowMicros))})`);
  else if (q.disposition === 'failed') out.push(`(g.disposition = 'failed' OR ${timedOut()})`);
  else if (q.disposition) out.push(`g.disposition = ${arg(q.disposition)}`);
  if (q.problems?.length) {
    // "problems != 0" as the partial indexes say it, so that the planner may use them.
    const stored = `(g.problems != 0 AND (g.problems & ${arg(problemBits(q.problems))}) != 0)`;
    out.push(q.problems.includes('no-final-response') ? `(${stored} OR ${timedOut()})` : stored);
  }
  return out;
}

/** The fields of a call's row that its group's scenario kind reads. */
export type ScenarioRow = Pick<CallSummary, 'call_id' | 'callee' | 'setup_ms'>;

/** The scenario kind (correlate/scenario-kind.ts) of a group's calls, earliest first, and their links. */
export function scenarioOf(calls: readonly ScenarioRow[], links: readonly ScenarioLink[]): ScenarioKind {
  return scenarioKind(calls.map((c) => ({ callId: c.call_id, callee: c.callee, answered: c.setup_ms !== null })), links);
}

/**
 * The scenario kind of each group of a search page, from the rows of its calls (earliest first
 * within each group) and its links, each tagged with its group; a group with no call is left out.
 */
export function scenariosOf<G>(calls: readonly (ScenarioRow & { group: G })[], links: readonly (ScenarioLink & { group: G })[]): Map<G, ScenarioKind> {
  const byGroup = new Map<G, { calls: ScenarioRow[]; links: ScenarioLink[] }>();
  for (const c of calls) {
    const g = byGroup.get(c.group);
    if (g) g.calls.push(c);
    else byGroup.set(c.group, { calls: [c], links: [] });
  }
  for (const l of links) byGroup.get(l.group)?.links.push(l);
  return new Map([...byGroup].map(([g, x]) => [g, scenarioOf(x.calls, x.links)]));
}

/** A group's search row from its calls (earliest first), ids and links. */
export function summarize(calls: CallSummary[], callIds: string[], correlationIds: string[], links: readonly ScenarioLink[], nowMicros: number): GroupSummary {
  const first = calls[0];
  return {
    groupId: first.call_id, callIds, correlationIds, start: first.start,
    end: Math.max(...calls.map((c) => c.end)), caller: first.caller, callee: first.callee,
    status: first.status, method: first.method, messages: calls.reduce((n, c) => n + c.messages, 0),
    ...kpiFields(groupKpi(calls), first.start, nowMicros), scenario: scenarioOf(calls, links),
  };
}
