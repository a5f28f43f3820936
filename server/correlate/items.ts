/**
 * What a stored non-SIP message says, for the group view: its kind, a line of text, a log
 * level, and for RTCP and QoS reports their figures. Reads the payload as collector/non-sip.ts
 * stored it (JSON for RTCP, as heplify writes it). Pure.
 */
import { LOG_PROTO_TYPES, PROTO_TYPE, QOS_PROTO_TYPES } from '../hep/chunks.ts';

export type ItemKind = 'sip' | 'log' | 'rest' | 'transport' | 'rtcp' | 'qos' | 'other';
export const ITEM_KINDS: readonly ItemKind[] = ['sip', 'log', 'rest', 'transport', 'rtcp', 'qos', 'other'];

export function kindOf(protoType: number): ItemKind {
  if (protoType === PROTO_TYPE.sip) return 'sip';
  if (LOG_PROTO_TYPES.has(protoType)) return 'log';
  if (protoType === PROTO_TYPE.rest) return 'rest';
  if (protoType === PROTO_TYPE.net) return 'transport';
  if (protoType === PROTO_TYPE.rtcp) return 'rtcp';
  if (QOS_PROTO_TYPES.has(protoType)) return 'qos';
  return 'other';
}

/** Figures of one report, in the units the API answers. */
export interface ReportFigures {
  /** SSRC of the stream reported on, null when the report names none. */
  ssrc: number | null;
  /** Interarrival jitter in RTP timestamp units (RTCP), or ms already (`jitterIsMs`). */
  jitter: number;
  jitterIsMs: boolean;
  /** Loss over the report's interval, 0–1. */
  fractionLost: number;
  /** Cumulative packets lost, null when the report does not say. */
  packetsLost: number | null;
  /** Round trip, ms, when the report carries it (RTCP-XR, QoS). */
  rttMs: number | null;
  /** LSR and DLSR of the RTCP block, to compute the round trip from the capture time. */
  lsr: number;
  dlsr: number;
  /** MOS the reporter computed itself, null when none. */
  mos: number | null;
}

/** What an RTCP SR or RR says beyond its first block's figures (media/streams.ts RtcpCounts). */
export interface RtcpReportInfo {
  /** SR: the sender's packet count (RFC 3550 §6.4.1); null for an RR. */
  senderPackets: number | null;
  /** Reception report blocks it carries: 0 when its sender received from no one (§6.4.2). */
  blocks: number;
  /** Extended highest sequence number received, of the first block; null without one. */
  highestSeq: number | null;
}

export interface ItemInfo {
  kind: ItemKind;
  /** Log line, REST first line, transport "TLS ACCEPTED SUCCESS: …"; null for SIP and reports. */
  text: string | null;
  /** Log level, lower case ("error", "warning", "notice", "info", "debug"), null when unknown. */
  level: string | null;
  /** REST: the HTTP status of a reply, null for a request. */
  httpStatus: number | null;
  report: ReportFigures | null;
  /** RTCP SR or RR, with or without a block; null for anything else. */
  rtcp: RtcpReportInfo | null;
}

const EMPTY = { text: null, level: null, httpStatus: null, report: null, rtcp: null } as const;

/** The item a stored message shows; `raw` is its payload (undefined when not read: SIP). */
export function itemOf(protoType: number, raw: string | undefined): ItemInfo {
  const kind = kindOf(protoType);
  if (kind === 'sip' || raw === undefined) return { kind, ...EMPTY };
  const json = kind === 'qos' && !raw.trimStart().startsWith('{') ? null : objectOf(raw);
  switch (kind) {
    case 'log': return { kind, ...EMPTY, ...logLine(raw, json) };
    case 'rest': {
      const line = str(json?.first_line) ?? raw.split('\n')[0];
      const m = /^HTTP\/[\d.]+\s+(\d{3})/.exec(line);
      return { kind, ...EMPTY, text: line, httpStatus: m ? Number(m[1]) : null };
    }
    case 'transport': {
      const head = [str(json?.Protocol), str(json?.Event), str(json?.Status)].filter(Boolean).join(' ');
      const msg = str(json?.Message);
      return { kind, ...EMPTY, text: msg ? `${head}: ${msg}` : head || raw };
    }
    case 'rtcp': return { kind, ...EMPTY, report: json ? rtcpFigures(json) : null, rtcp: json ? rtcpInfo(json) : null };
    case 'qos': return { kind, ...EMPTY, report: json ? qosFigures(json) : rtcpXrFigures(raw) };
    default: return { kind, ...EMPTY, text: raw.slice(0, 200) };
  }
}

/** OpenSIPS levels (dprint.h DP_*_TEXT without the colon) and syslog names → one lower-case set. */
const LEVELS: Record<string, string> = {
  ALERT: 'alert', CRITICAL: 'critical', CRIT: 'critical', ERROR: 'error', ERR: 'error', WARNING: 'warning', WARN: 'warning',
  NOTICE: 'notice', INFO: 'info', DBG: 'debug', DEBUG: 'debug',
};

/** A log line: OpenSIPS JSON {"Event": level, "text": …}, else plain text, whose "ERROR:"-style prefix gives the level. */
function logLine(raw: string, json: Record<string, unknown> | null): { text: string; level: string | null } {
  if (json) {
    const text = str(json.text) ?? str(json.message) ?? raw;
    const lv = str(json.Event) ?? str(json.level);
    return { text, level: lv ? (LEVELS[lv.toUpperCase()] ?? lv.toLowerCase()) : null };
  }
  const m = /^\s*([A-Z]+)\s*:/.exec(raw);
  return { text: raw.replace(/\s+$/, ''), level: m ? (LEVELS[m[1]] ?? null) : null };
}

/** heplify's RTCP JSON: the first report block. */
function rtcpFigures(j: Record<string, unknown>): ReportFigures | null {
  const blocks = Array.isArray(j.report_blocks) ? j.report_blocks : [];
  const b = blocks[0] as Record<string, unknown> | undefined;
  const xr = (j.report_blocks_xr ?? null) as Record<string, unknown> | null;
  if (!b) return null;
  const fl = num(b.fraction_lost) ?? 0;
  return {
    ssrc: num(b.source_ssrc),
    jitter: num(b.ia_jitter) ?? 0,
    jitterIsMs: false,
    // Senders write the RFC 3550 8-bit fixed point (0–255); a few write the fraction itself.
    fractionLost: clamp01(fl > 1 || Number.isInteger(fl) ? fl / 256 : fl),
    packetsLost: num(b.packets_lost),
    rttMs: num(xr?.round_trip_delay),
    lsr: num(b.lsr) ?? 0,
    dlsr: num(b.dlsr) ?? 0,
    mos: null,
  };
}

/**
 * heplify's RTCP JSON as an SR or RR: one with "report_blocks" (heplify and rtcpToJson always
 * write it, [] or null when RC = 0) or "sender_information"; null for anything else.
 */
function rtcpInfo(j: Record<string, unknown>): RtcpReportInfo | null {
  const sender = j.sender_information;
  const sr = typeof sender === 'object' && sender !== null && !Array.isArray(sender) ? (sender as Record<string, unknown>) : null;
  if (!('report_blocks' in j) && !sr) return null;
  const blocks = Array.isArray(j.report_blocks) ? j.report_blocks : [];
  const first = blocks[0] as Record<string, unknown> | undefined;
  return {
    senderPackets: sr ? num(sr.packets) : null,
    blocks: blocks.length,
    highestSeq: typeof first === 'object' && first !== null ? num(first.highest_seq_no) : null,
  };
}

/** QoS JSON (types 32–34): keys as captagent, rtpengine and FreeSWITCH's HEP scripts write them, in any case. */
function qosFigures(j: Record<string, unknown>): ReportFigures {
  const get = (...names: string[]): number | null => {
    for (const [k, v] of Object.entries(j)) if (names.includes(k.toLowerCase())) return num(v);
    return null;
  };
  const lossPct = get('packet_loss_percent', 'loss_percent');
  const fraction = get('fraction_lost');
  return {
    ssrc: get('ssrc'),
    jitter: get('jitter', 'jitter_ms', 'mean_jitter') ?? 0,
    jitterIsMs: true,
    fractionLost: clamp01(lossPct !== null ? lossPct / 100 : fraction !== null ? (fraction > 1 ? fraction / 256 : fraction) : 0),
    packetsLost: get('packet_loss', 'packets_lost', 'lost'),
    rttMs: get('rtt', 'delta', 'round_trip_delay'),
    lsr: 0,
    dlsr: 0,
    mos: get('mos'),
  };
}

/** RTCP-XR as a vq-rtcpxr body (RFC 6035 §4.7): "PacketLoss:NLR=5.0", "Delay:RTD=120 … IAJ=12", "QualityEst:MOSCQ=3.9". */
function rtcpXrFigures(raw: string): ReportFigures | null {
  const field = (name: string): number | null => {
    const m = new RegExp(`\\b${name}=([\\d.]+)`).exec(raw);
    return m ? Number(m[1]) : null;
  };
  if (!/VQSessionReport|LocalMetrics|RemoteMetrics/.test(raw)) return null;
  const ssrc = /SSRC=(0x[0-9a-fA-F]+|\d+)/.exec(raw);
  return {
    ssrc: ssrc ? Number(ssrc[1]) : null,
    jitter: field('IAJ') ?? 0,
    jitterIsMs: true,
    fractionLost: clamp01((field('NLR') ?? 0) / 100),
    packetsLost: null,
    rttMs: field('RTD'),
    lsr: 0,
    dlsr: 0,
    mos: field('MOSCQ') ?? field('MOSLQ'),
  };
}

function objectOf(raw: string): Record<string, unknown> | null {
  if (!raw.trimStart().startsWith('{')) return null;
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** A finite number, also from a numeric string (Asterisk writes "lsr" as one). */
function num(v: unknown): number | null {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
