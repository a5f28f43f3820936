/**
 * RTCP compound packets (RFC 3550 §6.4): bytes → typed packets, typed packets → bytes, and the
 * JSON form heplify, captagent and rtpengine send as HEP type 5 (heplify decoder/rtcp.go field
 * names), which is also the form hepflow stores, so Homer's UI reads what we write. Pure.
 */

/** RFC 3550 §12.1 packet types. */
export const RTCP_TYPE = { sr: 200, rr: 201, sdes: 202, bye: 203, app: 204 } as const;
/** RTCP version field (RFC 3550 §6.4.1: V=2). */
const RTCP_VERSION = 2;
/** Common header: V/P/RC u8, PT u8, length u16 (in 32-bit words minus one). */
const HEADER_BYTES = 4;
/** SR sender info after the SSRC: NTP MSW, NTP LSW, RTP ts, packet count, octet count (§6.4.1). */
const SENDER_INFO_BYTES = 20;
/** One reception report block (§6.4.1): SSRC, fraction + 24-bit cumulative lost, ext. highest seq, jitter, LSR, DLSR. */
const REPORT_BLOCK_BYTES = 24;

/** One reception report block: what the report's sender measured of the stream `ssrc`. */
export interface RtcpReportBlock {
  /** SSRC of the stream reported on. */
  ssrc: number;
  /** Fraction lost since the previous report, fixed point /256 (0–255). */
  fractionLost: number;
  /** Cumulative packets lost (signed 24-bit: duplicates can make it negative). */
  packetsLost: number;
  /** Extended highest sequence number received. */
  highestSeq: number;
  /** Interarrival jitter, RTP timestamp units. */
  jitter: number;
  /** Middle 32 bits of the NTP time of the last SR received from that source, 0 when none. */
  lsr: number;
  /** Delay since that SR, 1/65536 s. */
  dlsr: number;
}

export interface RtcpSenderInfo {
  ntpSec: number;
  ntpFrac: number;
  rtpTs: number;
  packets: number;
  octets: number;
}

export type RtcpPacket =
  | { type: 'sr'; ssrc: number; sender: RtcpSenderInfo; reports: RtcpReportBlock[] }
  | { type: 'rr'; ssrc: number; reports: RtcpReportBlock[] }
  /** Items of each chunk: type (1 CNAME, 2 NAME, ...) and text (RFC 3550 §6.5). */
  | { type: 'sdes'; chunks: { ssrc: number; items: { type: number; text: string }[] }[] }
  | { type: 'bye'; ssrcs: number[]; reason: string | null }
  /** APP, XR and others: kept by type only. */
  | { type: 'other'; pt: number; bytes: number };

export type RtcpRejection = 'rtcp-short' | 'rtcp-bad-version' | 'rtcp-length-overrun' | 'rtcp-count-overrun' | 'rtcp-not-report';

export type RtcpDecodeResult = { ok: true; packets: RtcpPacket[] } | { ok: false; reason: RtcpRejection };

/** Decodes a compound RTCP packet. A compound must start with SR or RR (RFC 3550 §6.1). */
export function decodeRtcp(buf: Buffer): RtcpDecodeResult {
  if (buf.length < HEADER_BYTES) return { ok: false, reason: 'rtcp-short' };
  const packets: RtcpPacket[] = [];
  let at = 0;
  while (at < buf.length) {
    if (buf.length - at < HEADER_BYTES) return { ok: false, reason: 'rtcp-short' };
    const b0 = buf[at];
    if (b0 >> 6 !== RTCP_VERSION) return { ok: false, reason: 'rtcp-bad-version' };
    const count = b0 & 0x1f;
    const pt = buf[at + 1];
    const end = at + (buf.readUInt16BE(at + 2) + 1) * 4;
    if (end > buf.length) return { ok: false, reason: 'rtcp-length-overrun' };
    const body = buf.subarray(at + HEADER_BYTES, end);
    const p = decodeOne(pt, count, body);
    if (!p) return { ok: false, reason: 'rtcp-count-overrun' };
    packets.push(p);
    at = end;
  }
  if (packets[0].type !== 'sr' && packets[0].type !== 'rr') return { ok: false, reason: 'rtcp-not-report' };
  return { ok: true, packets };
}

function decodeOne(pt: number, count: number, b: Buffer): RtcpPacket | null {
  switch (pt) {
    case RTCP_TYPE.sr: {
      if (b.length < 4 + SENDER_INFO_BYTES + count * REPORT_BLOCK_BYTES) return null;
      const sender = { ntpSec: b.readUInt32BE(4), ntpFrac: b.readUInt32BE(8), rtpTs: b.readUInt32BE(12), packets: b.readUInt32BE(16), octets: b.readUInt32BE(20) };
      return { type: 'sr', ssrc: b.readUInt32BE(0), sender, reports: reportBlocks(b, 4 + SENDER_INFO_BYTES, count) };
    }
    case RTCP_TYPE.rr:
      if (b.length < 4 + count * REPORT_BLOCK_BYTES) return null;
      return { type: 'rr', ssrc: b.readUInt32BE(0), reports: reportBlocks(b, 4, count) };
    case RTCP_TYPE.sdes: return sdes(b, count);
    case RTCP_TYPE.bye: {
      if (b.length < count * 4) return null;
      const ssrcs = Array.from({ length: count }, (_, i) => b.readUInt32BE(i * 4));
      const r = count * 4;
      const reason = r < b.length && r + 1 + b[r] <= b.length ? b.toString('utf8', r + 1, r + 1 + b[r]) : null;
      return { type: 'bye', ssrcs, reason };
    }
    default: return { type: 'other', pt, bytes: b.length + HEADER_BYTES };
  }
}

function reportBlocks(b: Buffer, from: number, count: number): RtcpReportBlock[] {
  const out: RtcpReportBlock[] = [];
  for (let i = 0, at = from; i < count; i++, at += REPORT_BLOCK_BYTES) {
    out.push({
      ssrc: b.readUInt32BE(at),
      fractionLost: b[at + 4],
      packetsLost: b.readIntBE(at + 5, 3),
      highestSeq: b.readUInt32BE(at + 8),
      jitter: b.readUInt32BE(at + 12),
      lsr: b.readUInt32BE(at + 16),
      dlsr: b.readUInt32BE(at + 20),
    });
  }
  return out;
}

/** SDES chunks: SSRC, then items (type u8, length u8, text) up to a 0 type, padded to 32 bits (§6.5). */
function sdes(b: Buffer, count: number): RtcpPacket | null {
  const chunks: { ssrc: number; items: { type: number; text: string }[] }[] = [];
  let at = 0;
  for (let c = 0; c < count; c++) {
    if (at + 4 > b.length) return null;
    const ssrc = b.readUInt32BE(at);
    at += 4;
    const items: { type: number; text: string }[] = [];
    while (at < b.length && b[at] !== 0) {
      if (at + 2 > b.length || at + 2 + b[at + 1] > b.length) return null;
      items.push({ type: b[at], text: b.toString('utf8', at + 2, at + 2 + b[at + 1]) });
      at += 2 + b[at + 1];
    }
    at = (at + 4) & ~3; // the null item, then padding to the next 32-bit boundary
    chunks.push({ ssrc, items });
  }
  return { type: 'sdes', chunks };
}

/** Encodes typed packets as one compound RTCP packet (the demo, the replay and the tests send it). */
export function encodeRtcp(packets: readonly RtcpPacket[]): Buffer {
  return Buffer.concat(packets.map(encodeOne));
}

function encodeOne(p: RtcpPacket): Buffer {
  switch (p.type) {
    case 'sr': {
      const b = Buffer.alloc(4 + SENDER_INFO_BYTES + p.reports.length * REPORT_BLOCK_BYTES);
      b.writeUInt32BE(p.ssrc, 0);
      const s = p.sender;
      [s.ntpSec, s.ntpFrac, s.rtpTs, s.packets, s.octets].forEach((v, i) => b.writeUInt32BE(v, 4 + i * 4));
      writeBlocks(b, 4 + SENDER_INFO_BYTES, p.reports);
      return withHeader(RTCP_TYPE.sr, p.reports.length, b);
    }
    case 'rr': {
      const b = Buffer.alloc(4 + p.reports.length * REPORT_BLOCK_BYTES);
      b.writeUInt32BE(p.ssrc, 0);
      writeBlocks(b, 4, p.reports);
      return withHeader(RTCP_TYPE.rr, p.reports.length, b);
    }
    case 'sdes': {
      const parts = p.chunks.map((c) => {
        const items = c.items.map((it) => {
          const text = Buffer.from(it.text, 'utf8');
          return Buffer.concat([Buffer.from([it.type, text.length]), text]);
        });
        const body = Buffer.concat([u32(c.ssrc), ...items]);
        return Buffer.concat([body, Buffer.alloc(4 - (body.length % 4))]); // null item + padding
      });
      return withHeader(RTCP_TYPE.sdes, p.chunks.length, Buffer.concat(parts));
    }
    case 'bye': {
      const reason = p.reason === null ? Buffer.alloc(0) : Buffer.concat([Buffer.from([Buffer.byteLength(p.reason)]), Buffer.from(p.reason, 'utf8')]);
      const body = Buffer.concat([...p.ssrcs.map(u32), reason]);
      return withHeader(RTCP_TYPE.bye, p.ssrcs.length, Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]));
    }
    case 'other': return withHeader(p.pt, 0, Buffer.alloc(Math.max(0, p.bytes - HEADER_BYTES)));
  }
}

function withHeader(pt: number, count: number, body: Buffer): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  h[0] = (RTCP_VERSION << 6) | count;
  h[1] = pt;
  h.writeUInt16BE(body.length / 4, 2); // (HEADER_BYTES + body) / 4 - 1
  return Buffer.concat([h, body]);
}

function writeBlocks(b: Buffer, from: number, reports: readonly RtcpReportBlock[]): void {
  reports.forEach((r, i) => {
    const at = from + i * REPORT_BLOCK_BYTES;
    b.writeUInt32BE(r.ssrc, at);
    b[at + 4] = r.fractionLost;
    b.writeIntBE(r.packetsLost, at + 5, 3);
    b.writeUInt32BE(r.highestSeq, at + 8);
    b.writeUInt32BE(r.jitter, at + 12);
    b.writeUInt32BE(r.lsr, at + 16);
    b.writeUInt32BE(r.dlsr, at + 20);
  });
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return b;
}

/** The JSON heplify-server, captagent and rtpengine send and Homer stores in hep_proto_5_default. */
export interface RtcpJson {
  type: number;
  ssrc: number;
  report_count: number;
  sender_information?: { ntp_timestamp_sec: number; ntp_timestamp_usec: number; rtp_timestamp: number; packets: number; octets: number };
  report_blocks: { source_ssrc: number; fraction_lost: number; packets_lost: number; highest_seq_no: number; ia_jitter: number; lsr: number; dlsr: number }[];
  sdes_ssrc?: number;
}

/**
 * A decoded compound as that JSON: the first report (SR or RR) with its blocks, the SDES chunk's
 * SSRC; heplify writes the same keys (it names the NTP fraction "ntp_timestamp_usec").
 */
export function rtcpToJson(packets: readonly RtcpPacket[]): RtcpJson {
  const first = packets[0];
  const report = first.type === 'sr' || first.type === 'rr' ? first : null;
  const sdesChunk = packets.find((p) => p.type === 'sdes');
  const out: RtcpJson = {
    type: report?.type === 'sr' ? RTCP_TYPE.sr : RTCP_TYPE.rr,
    ssrc: report?.ssrc ?? 0,
    report_count: report?.reports.length ?? 0,
    report_blocks: (report?.reports ?? []).map((r) => ({
      source_ssrc: r.ssrc, fraction_lost: r.fractionLost, packets_lost: r.packetsLost, highest_seq_no: r.highestSeq,
      ia_jitter: r.jitter, lsr: r.lsr, dlsr: r.dlsr,
    })),
  };
  if (report?.type === 'sr') {
    const s = report.sender;
    out.sender_information = { ntp_timestamp_sec: s.ntpSec, ntp_timestamp_usec: s.ntpFrac, rtp_timestamp: s.rtpTs, packets: s.packets, octets: s.octets };
  }
  if (sdesChunk?.type === 'sdes' && sdesChunk.chunks[0]) out.sdes_ssrc = sdesChunk.chunks[0].ssrc;
  return out;
}
