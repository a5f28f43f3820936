/**
 * One group as the API answers it: legs with roles and reasons, endpoints in order of first
 * appearance, and messages in time (then cause) order with duplicate captures folded. Pure.
 */
import type { ApiEndpoint, ApiGroup, ApiLeg, ApiMessage } from '../api/types.ts';
import { LOG_PROTO_TYPES, PROTO_TYPE, QOS_PROTO_TYPES } from '../hep/chunks.ts';
import { formatEndpoint } from '../hep/inet.ts';
import type { GroupSlice, MessageMeta } from '../store/types.ts';
import { foldDuplicates, type Folded } from './dedup.ts';
import { legLinks } from './explain.ts';
import { orderByCause } from './order.ts';
import { legRoles } from './roles.ts';
import { buildStory, type ItemFields } from './story.ts';
import { KPI_DEFAULTS, kpiOf, newKpiState, updateKpi, type Kpi } from '../kpi/state.ts';
import { foldCalls, scenarioOf } from '../store/summary.ts';

export interface GroupViewOptions {
  /** "ip:port" or "ip" → display name ("SBC", "Main proxy"). */
  aliases: Record<string, string>;
  /** Duplicate-capture window, µs (see dedup.ts). */
  dedupWindowMicros: number;
  /**
   * Payloads by message id, of at least the messages dedup.ts duplicateCandidates names, and of
   * those story.ts storyPayloadIds names (logs, reports, SDP) for their details.
   */
  payloads: ReadonlyMap<string, string>;
  /**
   * The time the view is read, µs: an INVITE or BYE unanswered for 64×T1 before it has timed out
   * (no-final-response, bye-without-200). Only a complete slice is judged: a first page may stop
   * before the answer.
   */
  nowMicros?: number;
}

/** Alias of an endpoint: "[v6]:port" or "ip:port" first, then the bare address. */
export function aliasOf(aliases: Record<string, string>, ip: string, port: number): string | null {
  return aliases[formatEndpoint(ip, port)] ?? aliases[`${ip}:${port}`] ?? aliases[ip] ?? null;
}

/**
 * The view of what `rec` holds: of a slice that is not complete, legs, endpoints and roles are
 * those of its messages only.
 */
export function buildGroupView(rec: GroupSlice, opts: GroupViewOptions): ApiGroup {
  // Stable sort by time: the record is in (ts, id) order already; ids are opaque, so ties keep it.
  const inTime = [...rec.messages].sort((a, b) => a.ts - b.ts);
  const folded = orderByCause(foldDuplicates(inTime, opts.payloads, opts.dedupWindowMicros), (f) => f.message);

  const legIds = legCallIds(folded);
  const legOf = new Map(legIds.map((id, i) => [id, i]));
  const msgLeg = (m: MessageMeta): number => legOf.get(m.callId) ?? linkedLeg(m.callId, rec, legOf);
  const perLeg: Folded[][] = legIds.map(() => []);
  for (const f of folded) perLeg[msgLeg(f.message)].push(f);

  const roles = legRoles(legIds.map((callId, index) => ({ index, callId, messages: perLeg[index].map((f) => f.message) })), rec.links);
  const messageById = new Map(rec.messages.map((m) => [m.id, m]));
  const links = legLinks(legIds.length, legOf, rec.links, messageById);

  const legs: ApiLeg[] = legIds.map((callId, index) => {
    const msgs = perLeg[index].map((f) => f.message);
    const first = msgs.find((m) => m.method !== null);
    return {
      index,
      callId,
      role: roles[index].role,
      roleText: roles[index].roleText,
      links: links[index],
      fromUser: first?.fromUser ?? null,
      toUser: first?.toUser ?? null,
      start: msgs[0]?.ts ?? 0,
      messages: msgs.length,
      status: first ? finalStatus(first, msgs) : null,
      kpi: legKpi(msgs, rec.complete ? opts.nowMicros : undefined),
    };
  });

  const story = buildStory(folded.map((f) => ({ m: f.message, leg: msgLeg(f.message) })), opts.payloads);
  return {
    id: rec.groupId,
    callIds: rec.callIds,
    correlationIds: rec.correlationIds,
    complete: rec.complete,
    legs,
    endpoints: endpointsOf(folded, opts.aliases),
    messages: folded.map((f) => apiMessage(f, msgLeg(f.message), story.items.get(f.message.id)!)),
    media: story.media,
    // The store's, read from all the group's calls; a record built by hand names it from its messages.
    scenario: rec.scenario ?? scenarioOf(foldCalls(rec.messages), rec.links),
  };
}

/** Call-IDs of the SIP messages in order of first message (any message's Call-ID when none is SIP). */
function legCallIds(folded: Folded[]): string[] {
  const sip = folded.filter((f) => f.message.protoType === PROTO_TYPE.sip);
  return [...new Set((sip.length ? sip : folded).map((f) => f.message.callId))];
}

/** Leg of a log/RTCP message filed under a correlation id: the first leg linked to that id. */
function linkedLeg(id: string, rec: GroupSlice, legOf: Map<string, number>): number {
  let best = Infinity;
  for (const l of rec.links) {
    if (l.target === id) best = Math.min(best, legOf.get(l.callId) ?? Infinity);
  }
  return Number.isFinite(best) ? best : 0;
}

/** Status of the first final response to the leg's first request, null when none came. */
function finalStatus(first: MessageMeta, msgs: MessageMeta[]): number | null {
  const r = msgs.find((m) => m.status !== null && m.status >= 200 && m.cseqNum === first.cseqNum && m.cseqMethod === first.method);
  return r?.status ?? null;
}

/** KPIs of one leg from its SIP messages, duplicates folded, in order: the collector's fold, replayed. */
function legKpi(msgs: MessageMeta[], nowMicros: number | undefined): Kpi {
  const st = newKpiState();
  for (const m of msgs) if (m.protoType === PROTO_TYPE.sip) updateKpi(st, m, KPI_DEFAULTS);
  return kpiOf(st, KPI_DEFAULTS, nowMicros);
}

function endpointsOf(folded: Folded[], aliases: Record<string, string>): ApiEndpoint[] {
  const out = new Map<string, ApiEndpoint>();
  const add = (ip: string, port: number): void => {
    const id = formatEndpoint(ip, port);
    if (!out.has(id)) out.set(id, { id, ip, port, alias: aliasOf(aliases, ip, port) });
  };
  for (const { message: m } of folded) {
    add(m.srcIp, m.srcPort);
    // A log line is a note on the lifeline of the box that logged it: its HEP destination (the
    // collector, for Kamailio's hlog) is no column.
    if (!LOG_PROTO_TYPES.has(m.protoType)) add(m.dstIp, m.dstPort);
  }
  return [...out.values()];
}

/** Arrow label: method, "status reason", or the payload kind for non-SIP captures. */
function label(m: MessageMeta): string {
  if (m.method) return m.method;
  if (m.status !== null) return m.reason ? `${m.status} ${m.reason}` : String(m.status);
  if (m.protoType === PROTO_TYPE.sip) return '(malformed)';
  if (m.protoType === PROTO_TYPE.rtcp) return 'RTCP';
  if (LOG_PROTO_TYPES.has(m.protoType)) return 'LOG';
  if (m.protoType === PROTO_TYPE.rest) return 'REST';
  if (m.protoType === PROTO_TYPE.net) return 'TRANSPORT';
  if (QOS_PROTO_TYPES.has(m.protoType)) return 'QOS';
  return `HEP type ${m.protoType}`;
}

function apiMessage(f: Folded, leg: number, item: ItemFields): ApiMessage {
  const m = f.message;
  return {
    id: m.id,
    callId: m.callId,
    leg,
    ts: m.ts,
    srcIp: m.srcIp,
    srcPort: m.srcPort,
    dstIp: m.dstIp,
    dstPort: m.dstPort,
    src: formatEndpoint(m.srcIp, m.srcPort),
    dst: item.kind === 'log' ? formatEndpoint(m.srcIp, m.srcPort) : formatEndpoint(m.dstIp, m.dstPort),
    transport: m.transport,
    protoType: m.protoType,
    method: m.method,
    status: m.status,
    reason: m.reason,
    cseq: m.cseqNum !== null ? `${m.cseqNum} ${m.cseqMethod ?? ''}`.trim() : null,
    cseqMethod: m.cseqMethod,
    label: label(m),
    hasSdp: m.hasSdp,
    captureIds: f.captureIds,
    duplicateIds: f.duplicateIds,
    hepCorrelationId: m.hepCorrelationId,
    retransmission: f.retransmission,
    malformed: m.problems,
    fromUser: m.fromUser,
    toUser: m.toUser,
    kind: item.kind,
    text: item.text,
    level: item.level,
    latencyMs: item.latencyMs,
    stats: item.stats,
  };
}
