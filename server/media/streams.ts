/**
 * Media of a group: the SDP offer/answer of each leg gives its RTP streams (addresses, codec,
 * direction), the RTCP and QoS reports filed on the leg give their quality. Pure.
 *
 * An RTCP report is sent by the receiver of the stream it reports on (RFC 3550 §6.4), so a
 * report's source address is the stream's destination (its RTP port, or the next one for RTCP).
 * An SR also says what its own sender sent (sender info, §6.4.1): that is about the stream the
 * other way, whose source the report comes from.
 */
import { parseSdp } from '../sip/sdp.ts';
import { estimateMos } from './emodel.ts';

/** RTP clock rate assumed for RTCP jitter when the SDP names no codec, Hz (every narrowband codec: RFC 3551 §4.5). */
export const DEFAULT_RTP_CLOCK_HZ = 8000;

/** RTP/AVP static payload types (RFC 3551 §6, table 4): name and clock rate. */
const STATIC_PT: Readonly<Record<string, { name: string; clock: number }>> = {
  0: { name: 'PCMU', clock: 8000 }, 3: { name: 'GSM', clock: 8000 }, 4: { name: 'G723', clock: 8000 },
  8: { name: 'PCMA', clock: 8000 }, 9: { name: 'G722', clock: 8000 }, 18: { name: 'G729', clock: 8000 },
};

/** One side's audio as its SDP says. */
export interface SdpSide {
  ip: string | null;
  port: number;
  /** Payload type numbers offered, in order of preference. */
  formats: string[];
  /** Name of the first format (rtpmap, else the static table), null when unknown. */
  codec: string | null;
  clockHz: number;
  /** sendrecv, sendonly, recvonly, inactive (RFC 3264 §5.1); "sendrecv" when unsaid. */
  direction: string;
}

/** The first audio stream of an SDP body (`sdp` is the whole SIP message or its body). */
export function audioOf(sdp: string, defaultClockHz: number): SdpSide | null {
  const body = sdp.includes('\r\n\r\n') ? sdp.slice(sdp.indexOf('\r\n\r\n') + 4) : sdp;
  const parsed = parseSdp(body);
  const m = parsed?.media.find((x) => x.type === 'audio');
  if (!parsed || !m) return null;
  const first = m.formats[0] ?? null;
  const map = first === null ? null : new RegExp(`^a=rtpmap:${first}\\s+([^/\\s]+)/(\\d+)`, 'm').exec(body);
  const known = first === null ? undefined : STATIC_PT[first];
  return {
    ip: m.connection ?? parsed.connection,
    port: m.port,
    formats: m.formats,
    codec: map ? map[1].toUpperCase() : (known?.name ?? null),
    clockHz: map ? Number(map[2]) : (known?.clock ?? defaultClockHz),
    direction: m.direction,
  };
}

/** Figures of one report as the API gives them. */
export interface ReportStats {
  ssrc: number | null;
  jitterMs: number;
  /** Loss over the report's interval, 0–1. */
  fractionLost: number;
  packetsLost: number | null;
  rttMs: number | null;
  mos: number | null;
}

/** Seconds between the NTP epoch (1900) and the Unix epoch (RFC 868). */
const NTP_UNIX_OFFSET_S = 2_208_988_800;
/** Round trips above this are taken for a clock mismatch and not shown, ms. */
const MAX_RTT_MS = 10_000;

/**
 * Round trip of RFC 3550 §6.4.1: A − LSR − DLSR in 1/65536 s, with A the report's capture time
 * (µs since the Unix epoch) as the middle 32 bits of its NTP time. Null without an SR to refer to.
 */
export function rttFromLsr(captureMicros: number, lsr: number, dlsr: number): number | null {
  if (lsr === 0) return null;
  const sec = Math.floor(captureMicros / 1e6) + NTP_UNIX_OFFSET_S;
  const frac = Math.floor(((captureMicros % 1e6) / 1e6) * 65536);
  const a = (((sec & 0xffff) << 16) | frac) >>> 0;
  const ms = (((a - lsr - dlsr) >>> 0) / 65536) * 1000;
  return ms <= MAX_RTT_MS ? Math.round(ms * 10) / 10 : null;
}

/** The figures a report carries, in ms and 0–1, with a MOS (the reporter's, else G.107's). */
export function reportStats(
  f: { ssrc: number | null; jitter: number; jitterIsMs: boolean; fractionLost: number; packetsLost: number | null; rttMs: number | null; lsr: number; dlsr: number; mos: number | null },
  captureMicros: number, clockHz: number, codec: string | null,
): ReportStats {
  const jitterMs = Math.round((f.jitterIsMs ? f.jitter : (f.jitter / clockHz) * 1000) * 100) / 100;
  const rttMs = f.rttMs ?? rttFromLsr(captureMicros, f.lsr, f.dlsr);
  const fractionLost = Math.round(f.fractionLost * 10000) / 10000;
  return {
    ssrc: f.ssrc, jitterMs, fractionLost, packetsLost: f.packetsLost, rttMs,
    mos: f.mos ?? estimateMos({ fractionLost, jitterMs, rttMs, codec }),
  };
}

/** The messages an SDP side was read from: what a flag found in it points at. */
export interface SdpMessageIds {
  /** The message whose SDP gave the address and codecs. */
  sdp: string;
  /** The message whose SDP gave the direction: the last re-INVITE or answer to one, else `sdp`. */
  direction: string;
}

export interface LegSdp {
  leg: number;
  /** The caller's SDP (the first INVITE with a body) and the address its INVITE came from. */
  offer: SdpSide | null;
  offerSignalIp: string | null;
  offerIds: SdpMessageIds | null;
  /** The callee's SDP (the first response with a body). */
  answer: SdpSide | null;
  answerSignalIp: string | null;
  answerIds: SdpMessageIds | null;
}

/** What an RTCP report says beyond its first block's figures (correlate/items.ts RtcpReportInfo). */
export interface RtcpCounts {
  /** SR sender's packet count (RFC 3550 §6.4.1), null for an RR. */
  senderPackets: number | null;
  /** Reception report blocks: 0 when the reporter received from no one (RC = 0, §6.4.2). */
  blocks: number;
  /** Extended highest sequence number received, of the first block; null without one. */
  highestSeq: number | null;
}

export interface LegReport {
  leg: number;
  /** Id of the report's message. */
  id: string;
  srcIp: string;
  srcPort: number;
  /** Figures of its first reception block; null for RTCP that carries none. */
  stats: ReportStats | null;
  /** RTCP only (null for QoS reports). */
  rtcp: RtcpCounts | null;
}

/** A flag and the message that shows it; null for a flag no message shows (no-rtcp). */
export interface FlagCause {
  flag: string;
  messageId: string | null;
}

export interface MediaStream {
  leg: number;
  direction: 'caller-to-callee' | 'callee-to-caller' | 'unknown';
  ssrc: number | null;
  /** "ip:port" of the RTP sender and receiver, from the SDP; null when unknown. */
  src: string | null;
  dst: string | null;
  codec: string | null;
  /** Reports from the stream's receiver, those without a reception block included. */
  reports: number;
  packetsLost: number | null;
  jitterMaxMs: number | null;
  jitterMeanMs: number | null;
  rttMs: number | null;
  /** Mean of the reports' MOS (each from its interval's loss, jitter and delay). */
  mos: number | null;
  /** What looks wrong at a glance: no-rtcp, no-packets, sendonly, recvonly, inactive, private-sdp, codec-mismatch. */
  flags: string[];
  /** One per flag, in the same order: the message that shows it. */
  causes: FlagCause[];
}

/**
 * Interval loss from which a report says nothing arrived: 255/256, the most the 8-bit fraction
 * of RFC 3550 §6.4.1 can say (all lost would be 256/256, which does not fit).
 */
export const ALL_LOST = 255 / 256;

/**
 * Streams of every leg, in leg order: two per leg with an offer and an answer, plus any reported
 * stream they do not explain. `reports` in time order.
 */
export function mediaStreams(legs: readonly LegSdp[], reports: readonly LegReport[]): MediaStream[] {
  const out: MediaStream[] = [];
  for (const l of legs) {
    const mine = reports.filter((r) => r.leg === l.leg);
    const used = new Set<LegReport>();
    const mismatch = l.offer && l.answer && l.answer.formats[0] !== undefined && !l.offer.formats.includes(l.answer.formats[0]);
    const codec = l.answer?.codec ?? l.offer?.codec ?? null;
    const pairs: [MediaStream['direction'], SdpSide | null, string | null, SdpMessageIds | null, SdpSide | null, SdpMessageIds | null][] = [
      ['caller-to-callee', l.offer, l.offerSignalIp, l.offerIds, l.answer, l.answerIds],
      ['callee-to-caller', l.answer, l.answerSignalIp, l.answerIds, l.offer, l.offerIds],
    ];
    for (const [direction, from, fromSignal, fromIds, to, toIds] of pairs) {
      if (!from || !to) continue;
      const got = mine.filter((r) => !used.has(r) && sentFrom(to, r));
      for (const r of got) used.add(r);
      const causes: FlagCause[] = [];
      const flag = (f: string, messageId: string | null): void => {
        if (!causes.some((c) => c.flag === f)) causes.push({ flag: f, messageId });
      };
      if (!got.length) flag('no-rtcp', null);
      const silent = noPackets(got, mine.filter((r) => sentFrom(from, r)));
      if (silent) flag('no-packets', silent.id);
      if (from.direction === 'recvonly' || from.direction === 'inactive') flag(from.direction, fromIds?.direction ?? null);
      if (to.direction === 'sendonly' || to.direction === 'inactive') flag(to.direction, toIds?.direction ?? null);
      if (from.ip && fromSignal && isPrivate(from.ip) && !isPrivate(fromSignal)) flag('private-sdp', fromIds?.sdp ?? null);
      if (mismatch) flag('codec-mismatch', l.answerIds?.sdp ?? null);
      out.push(summary(l.leg, direction, endpoint(from), endpoint(to), codec, got, causes));
    }
    // Reports no SDP stream explains: one stream per SSRC (RTCP with no block names none: left out).
    const bySsrc = new Map<string, LegReport[]>();
    for (const r of mine) if (!used.has(r) && r.stats) bySsrc.set(String(r.stats.ssrc), [...(bySsrc.get(String(r.stats.ssrc)) ?? []), r]);
    for (const rs of bySsrc.values()) out.push(summary(l.leg, 'unknown', null, `${rs[0].srcIp}:${rs[0].srcPort}`, codec, rs, []));
  }
  return out;
}

/**
 * The report that shows a stream carried no RTP ("no-packets"), null when none does. `got`: the
 * reports of the stream's receiver; `sent`: those of its sender (whose SRs count what it sent);
 * both in time order. The first that holds, in this order:
 *   1. the receiver sends RTCP, but not one report of it carries a reception block: it received
 *      from no one (RC = 0, RFC 3550 §6.4.2); shown on its last report;
 *   2. every report of the receiver gives an interval loss of ALL_LOST or more; its last report;
 *   3. the receiver's extended highest sequence number is the same in its first and last report
 *      (two or more): nothing arrived in between; its last report;
 *   4. the sender's SR packet count is 0 in every SR, or the same in its first and last SR (two or
 *      more): it sent nothing in between (§6.4.1); its last SR.
 * A receiver that sends no RTCP at all is "no-rtcp" only: silence tells nothing of the packets.
 */
function noPackets(got: readonly LegReport[], sent: readonly LegReport[]): LegReport | null {
  const withBlock = got.filter((r) => r.stats !== null);
  if (got.length && !withBlock.length) return got[got.length - 1];
  if (withBlock.length && withBlock.every((r) => r.stats!.fractionLost >= ALL_LOST)) return withBlock[withBlock.length - 1];
  const seqs = withBlock.filter((r) => r.rtcp?.highestSeq != null);
  if (seqs.length >= 2 && seqs[0].rtcp!.highestSeq === seqs[seqs.length - 1].rtcp!.highestSeq) return seqs[seqs.length - 1];
  const srs = sent.filter((r) => r.rtcp?.senderPackets != null);
  const last = srs[srs.length - 1];
  if (srs.length && (srs.every((r) => r.rtcp!.senderPackets === 0) || (srs.length >= 2 && srs[0].rtcp!.senderPackets === last.rtcp!.senderPackets))) return last;
  return null;
}

/** The report came from the side's media address: its RTP port or the next one (RTCP, RFC 3550 §11). */
function sentFrom(side: SdpSide, r: LegReport): boolean {
  return side.ip === r.srcIp && (r.srcPort === side.port || r.srcPort === side.port + 1);
}

function endpoint(s: SdpSide): string | null {
  return s.ip === null ? null : s.ip.includes(':') ? `[${s.ip}]:${s.port}` : `${s.ip}:${s.port}`;
}

function summary(leg: number, direction: MediaStream['direction'], src: string | null, dst: string | null, codec: string | null, reports: readonly LegReport[], causes: FlagCause[]): MediaStream {
  const rs = reports.map((r) => r.stats).filter((x): x is ReportStats => x !== null);
  const jitters = rs.map((r) => r.jitterMs);
  const mos = rs.map((r) => r.mos).filter((x): x is number => x !== null);
  const rtt = rs.map((r) => r.rttMs).filter((x): x is number => x !== null);
  const lost = rs.map((r) => r.packetsLost).filter((x): x is number => x !== null);
  return {
    leg, direction, ssrc: rs.find((r) => r.ssrc !== null)?.ssrc ?? null, src, dst, codec,
    reports: reports.length,
    packetsLost: lost.length ? Math.max(...lost) : null,
    jitterMaxMs: jitters.length ? Math.max(...jitters) : null,
    jitterMeanMs: jitters.length ? round2(jitters.reduce((a, b) => a + b, 0) / jitters.length) : null,
    rttMs: rtt.length ? round2(rtt.reduce((a, b) => a + b, 0) / rtt.length) : null,
    mos: mos.length ? round2(mos.reduce((a, b) => a + b, 0) / mos.length) : null,
    flags: causes.map((c) => c.flag),
    causes,
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** RFC 1918, RFC 6598 (carrier-grade NAT), loopback, and IPv6 unique-local (fc00::/7) addresses. */
export function isPrivate(ip: string): boolean {
  if (/^(10|127)\./.test(ip) || /^192\.168\./.test(ip) || /^172\.(1[6-9]|2\d|3[01])\./.test(ip)) return true;
  if (/^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./.test(ip)) return true;
  return /^f[cd][0-9a-f]{0,2}:/i.test(ip);
}
