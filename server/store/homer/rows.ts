/**
 * One message ↔ one Homer 7 row: protocol_header and data_header exactly as heplify-server builds
 * them (database/header.go makeProtoHeader, makeSIPDataHeader, makeRTCDataHeader), and back.
 * What Homer has no column for (the exact HEP 0x0011, the transport name, SDP and problem flags)
 * goes to hepflow_extras, but only when reading the row back would not give it again. Pure.
 */
import { ADDRESS_FAMILY, IP_PROTOCOL, PROTO_TYPE, PROTO_TYPE_NAMES } from '../../hep/chunks.ts';
import { parseSip } from '../../sip/parse.ts';
import { parseUri } from '../../sip/uri.ts';
import type { EpochMicros, MessageInput, StoredMessage } from '../types.ts';
import { type HomerProfile, isProfile, profileOf } from './tables.ts';
import { natAddresses } from '../../kpi/state.ts';

/** Values for `INSERT INTO hep_proto_* (sid, create_date, protocol_header, data_header, raw)`. */
export interface HomerRow {
  profile: HomerProfile;
  sid: string;
  ts: EpochMicros;
  protocolHeader: string;
  dataHeader: string;
  raw: string;
  /** Non-null when hepflow_extras must hold what the row cannot. */
  extras: Extras | null;
}

/** The fields of a message that Homer's row may not reproduce. */
export interface Extras {
  transport: string;
  hepCorrelationId: string | null;
  protoType: number;
  hasSdp: boolean;
  problems: string | null;
}

const NO_ADDRESSES = { viaIp: null, contactIp: null };

/** PostgreSQL text and jsonb refuse NUL; heplify-server's toUTF8 removes it the same way. */
export function clean(s: string): string {
  return s.includes('\0') ? s.replaceAll('\0', '') : s;
}

const TRANSPORT_NUMBER: Record<string, number> = {
  udp: IP_PROTOCOL.udp, tcp: IP_PROTOCOL.tcp, sctp: IP_PROTOCOL.sctp, tls: IP_PROTOCOL.idp, ws: IP_PROTOCOL.esp,
};
const TRANSPORT_NAME = new Map(Object.entries(TRANSPORT_NUMBER).map(([k, v]) => [v, k]));

/** Transport name → the IP protocol number heplify writes in protocol_header.protocol. */
function protocolNumber(transport: string): number {
  return TRANSPORT_NUMBER[transport] ?? (/^ip-\d+$/.test(transport) ? Number(transport.slice(3)) : 0);
}

function transportName(protocol: number): string {
  return TRANSPORT_NAME.get(protocol) ?? `ip-${protocol}`;
}

/** heplify's CID: HEP 0x0011, else the A-leg header (AlegIDs, our "header" links), else the Call-ID. */
function correlationIdOf(m: MessageInput): string {
  return m.hepCorrelationId ?? m.links.find((l) => l.rule === 'header')?.target ?? m.callId;
}

/** What a reader takes for HEP 0x0011 when only the row is known: a correlation_id that is not the sid. */
function readCorrelation(correlationId: string | null, sid: string): string | null {
  return correlationId && correlationId !== sid ? correlationId : null;
}

/** Host of the request-URI from the start line ("INVITE sip:bob@example.com SIP/2.0" → "example.com"). */
export function ruriDomain(raw: string): string {
  const end = raw.indexOf('\n');
  const parts = (end < 0 ? raw : raw.slice(0, end)).trim().split(' ');
  if (parts.length !== 3 || parts[0].startsWith('SIP/')) return '';
  return parseUri(parts[1])?.host ?? '';
}

/** A cheap look for an SDP body: Content-Type application/sdp and something after the blank line. */
export function looksLikeSdp(raw: string): boolean {
  const sep = raw.search(/\r?\n\r?\n/);
  if (sep < 0 || raw.length - sep <= 4) return false;
  return /(^|\n)(content-type|c)[ \t]*:[ \t]*application\/sdp/i.test(raw.slice(0, sep));
}

export function toHomerRow(m: MessageInput): HomerRow {
  const profile = profileOf(m.protoType, m.cseqMethod, m.method);
  const correlationId = clean(correlationIdOf(m));
  const protocol = protocolNumber(m.transport);
  const sec = Math.floor(m.ts / 1_000_000);
  // Key order of makeProtoHeader; capturePass is absent because MessageInput does not carry 0x000e.
  const protocolHeader = JSON.stringify({
    protocolFamily: m.srcIp.includes(':') ? ADDRESS_FAMILY.ipv6 : ADDRESS_FAMILY.ipv4, protocol, srcIp: m.srcIp, dstIp: m.dstIp,
    srcPort: m.srcPort, dstPort: m.dstPort, timeSeconds: sec, timeUseconds: m.ts - sec * 1_000_000,
    payloadType: m.protoType, captureId: clean(m.captureId), correlation_id: correlationId,
  });
  const isSip = m.protoType === PROTO_TYPE.sip;
  const raw = clean(m.raw);
  const dataHeader = JSON.stringify(isSip ? {
    // The default SIPHeader list, all strings; method is the status code for responses (FirstMethod = FirstResp).
    ruri_user: m.ruriUser ?? '', ruri_domain: m.method ? ruriDomain(raw) : '', from_user: m.fromUser ?? '',
    from_tag: m.fromTag ?? '', to_user: m.toUser ?? '', to_tag: m.toTag ?? '', callid: m.callId,
    cseq: m.cseqNum !== null ? `${m.cseqNum} ${m.cseqMethod ?? ''}`.trim() : '',
    method: m.method ?? (m.status !== null ? String(m.status) : ''), user_agent: m.userAgent ?? '',
  } : { node: m.captureId, proto: protoName(m.protoType) }, (_k, v) => (typeof v === 'string' ? clean(v) : v));
  const exact = transportName(protocol) === m.transport
    && readCorrelation(correlationId, m.callId) === m.hepCorrelationId
    && m.problems === null
    && m.hasSdp === (isSip && looksLikeSdp(raw))
    && protoTypeOf(profile, isSip ? 'sip' : protoName(m.protoType)) === m.protoType;
  return {
    profile, sid: clean(m.callId), ts: m.ts, protocolHeader, dataHeader, raw,
    extras: exact ? null : { transport: m.transport, hepCorrelationId: m.hepCorrelationId, protoType: m.protoType,
      hasSdp: m.hasSdp, problems: m.problems },
  };
}

/** makeRTCDataHeader's "proto" names: our HEP type names ("rtcp", "log"), else the number. */
function protoName(protoType: number): string {
  return PROTO_TYPE_NAMES.get(protoType) ?? String(protoType);
}

function protoTypeOf(profile: HomerProfile, proto: unknown): number {
  if (profile.startsWith('1_')) return PROTO_TYPE.sip;
  if (profile === '100_default') return PROTO_TYPE.log;
  if (profile === '5_default') return PROTO_TYPE.rtcp;
  if (typeof proto === 'string') {
    if (/^\d+$/.test(proto)) return Number(proto);
    const n = (PROTO_TYPE as Record<string, number>)[proto];
    if (n !== undefined) return n;
  }
  return 35; // heplify's catch-all table
}

/** PostgreSQL's largest bigint (2^63 - 1). */
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** "<profile>:<id>:<create_date µs>": table, row and partition in one opaque, stable string. */
export function messageId(profile: HomerProfile, id: string | number, ts: EpochMicros): string {
  return `${profile}:${id}:${ts}`;
}

export function parseMessageId(s: string): { profile: HomerProfile; id: string; ts: EpochMicros } | null {
  const m = /^([0-9a-z_]+):(\d{1,19}):(-?\d{1,17})$/.exec(s);
  // Within bigint, so that a made-up id is unknown rather than a database error (17 digits of µs stay within dates).
  if (!m || !isProfile(m[1]) || BigInt(m[2]) > MAX_BIGINT) return null;
  return { profile: m[1], id: m[2], ts: Number(m[3]) };
}

/** A Homer row as read, plus its hepflow_extras row when there is one. */
export interface ReadRow {
  profile: HomerProfile;
  id: string;
  sid: string;
  ts: EpochMicros;
  protocol_header: Record<string, any>;
  data_header: Record<string, any>;
  raw: string;
  extras?: Extras | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : v == null || v === '' ? null : String(v));
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v) || 0);

/** Rebuilds a stored message from a row hepflow or heplify-server wrote; `correlationHeaders` feeds the SIP parser. */
export function fromHomerRow(r: ReadRow, correlationHeaders: string[]): StoredMessage {
  const ph = r.protocol_header ?? {};
  const dh = r.data_header ?? {};
  const protoType = r.extras?.protoType ?? protoTypeOf(r.profile, dh.proto);
  const isSip = protoType === PROTO_TYPE.sip;
  const sip = isSip ? parseSip(r.raw, { correlationHeaders }) : null;
  const methodField = str(dh.method);
  const isStatus = methodField !== null && /^\d{3}$/.test(methodField);
  const cseq = str(dh.cseq)?.split(/\s+/) ?? null;
  const cseqNum = cseq && /^\d+$/.test(cseq[0]) ? Number(cseq[0]) : null;
  return {
    id: messageId(r.profile, r.id, r.ts),
    ts: r.ts,
    callId: r.sid,
    srcIp: String(ph.srcIp ?? ''), srcPort: num(ph.srcPort), dstIp: String(ph.dstIp ?? ''), dstPort: num(ph.dstPort),
    transport: r.extras?.transport ?? transportName(num(ph.protocol)),
    captureId: str(ph.captureId) ?? str(dh.node) ?? '',
    hepCorrelationId: r.extras ? r.extras.hepCorrelationId : readCorrelation(str(ph.correlation_id), r.sid),
    protoType,
    method: isSip && !isStatus ? methodField : null,
    status: isSip && isStatus ? Number(methodField) : null,
    reason: sip?.reason ?? null,
    cseqNum,
    cseqMethod: cseqNum !== null ? (cseq![1] ?? null) : null,
    fromUser: str(dh.from_user), fromTag: str(dh.from_tag), toUser: str(dh.to_user), toTag: str(dh.to_tag),
    ruriUser: str(dh.ruri_user), userAgent: str(dh.user_agent),
    viaBranch: sip?.viaBranch ?? null,
    // Read from the payload, as this row's other SIP fields are: no column of their own.
    ...(sip ? natAddresses(sip) : NO_ADDRESSES),
    hasSdp: r.extras ? r.extras.hasSdp : sip !== null && sip.sdp !== null,
    raw: r.raw,
    problems: r.extras ? r.extras.problems : sip?.problems.length ? sip.problems.join('; ') : null,
  };
}
