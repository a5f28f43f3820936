/**
 * From capture packets to SIP messages and HEP packets: link layer → IP (fragments reassembled,
 * IP-in-IP and GRE unwrapped) → UDP payloads / TCP streams → classification. Pure: no I/O.
 */
import type { DecodeOptions, HepRecord } from '../hep/types.ts';
import { classifyPayload } from './classify.ts';
import type { FramedMessage } from './framer.ts';
import { parseIp, skipIpv6Extensions, type IpPacket } from './ip.ts';
import { ethernetToIp, linkToIp } from './link.ts';
import { ETHERTYPE, IPPROTO } from './numbers.ts';
import type { CapturePacket } from './reader.ts';
import { DEFAULT_REASSEMBLY_LIMITS, FragmentReassembler, type ReassemblyLimits } from './reassembly.ts';
import { countSkip, type SkipCounts, type SkipReason } from './skip.ts';
import { DEFAULT_TCP_LIMITS, TcpReassembler, type TcpLimits } from './tcp.ts';
import type { WireAddress } from '../hep/inet.ts';

/** Where a message was seen: addresses and ports as on the wire, time in µs. */
export interface WireMeta extends WireAddress {
  ts: number;
  transport: 'udp' | 'tcp';
}

export interface ExtractSink {
  /** One SIP message (a whole UDP payload, or one message framed from a TCP stream). */
  sip(payload: Buffer, meta: WireMeta): void;
  /** One HEP packet, with what the decoder made of it (the only decode it gets). */
  hep(packet: Buffer, record: HepRecord, meta: WireMeta): void;
}

export interface ExtractLimits {
  reassembly: ReassemblyLimits;
  tcp: TcpLimits;
}

/** Nested tunnels followed at most; more means a loop or an attack, not a trace. */
const TUNNEL_DEPTH_MAX = 4;
const UDP_HEADER_LEN = 8;
const TCP_MIN_HEADER_LEN = 20;
/** GRE flag bits (RFC 2784 §2, RFC 2890 §2): checksum, key and sequence presence, version. */
const GRE_C = 0x8000;
const GRE_K = 0x2000;
const GRE_S = 0x1000;
const GRE_VERSION = 0x0007;

export class PacketExtractor {
  readonly skipped: SkipCounts = {};
  private readonly frags: FragmentReassembler;
  private readonly tcp: TcpReassembler;

  constructor(
    private readonly sink: ExtractSink,
    limits: ExtractLimits = { reassembly: DEFAULT_REASSEMBLY_LIMITS, tcp: DEFAULT_TCP_LIMITS },
    /** The auth key and decompression bound HEP packets are decoded with. */
    private readonly hepOptions: DecodeOptions = {},
  ) {
    this.frags = new FragmentReassembler(limits.reassembly, (r, n) => this.skip(r, n));
    this.tcp = new TcpReassembler(limits.tcp, (m, ep, ts) => this.framed(m, ep, ts), (r) => this.skip(r));
  }

  packet(p: CapturePacket): void {
    const link = linkToIp(p.linkType, p.data);
    if (!link.ok) return this.skip(link.reason);
    this.ip(link.ip, p.ts, 0);
  }

  /** Capture ended: flush TCP streams and count unfinished fragments. */
  finish(): void {
    this.tcp.finish();
    this.frags.finish();
  }

  private skip(reason: SkipReason, n = 1): void {
    countSkip(this.skipped, reason, n);
  }

  private ip(bytes: Buffer, ts: number, depth: number): void {
    const r = parseIp(bytes);
    if (!r.ok) return this.skip(r.reason);
    let { proto, payload } = r.packet;
    if (r.packet.frag) {
      const whole = this.frags.add(r.packet.frag, payload, ts);
      if (!whole) return;
      payload = whole;
      if (r.packet.version === 6) {
        // Headers after the fragment header belong to the reassembled part (RFC 8200 §4.5).
        const walked = skipIpv6Extensions(proto, payload, 0);
        if (!walked) return this.skip('short-frame');
        proto = walked.proto;
        payload = payload.subarray(walked.pos);
      }
    }
    this.upper(r.packet, proto, payload, ts, depth);
  }

  private upper(ip: IpPacket, proto: number, payload: Buffer, ts: number, depth: number): void {
    switch (proto) {
      case IPPROTO.udp:
        return this.udp(ip, payload, ts);
      case IPPROTO.tcp:
        return this.tcpSegment(ip, payload, ts);
      case IPPROTO.ipip:
      case IPPROTO.ipv6:
        if (depth >= TUNNEL_DEPTH_MAX) return this.skip('tunnel-too-deep');
        return this.ip(payload, ts, depth + 1);
      case IPPROTO.gre:
        if (depth >= TUNNEL_DEPTH_MAX) return this.skip('tunnel-too-deep');
        return this.gre(payload, ts, depth + 1);
      default:
        return this.skip('other-ip-protocol');
    }
  }

  private udp(ip: IpPacket, seg: Buffer, ts: number): void {
    if (seg.length < UDP_HEADER_LEN) return this.skip('short-frame');
    const len = seg.readUInt16BE(4);
    // Length 0 is legal for jumbograms (RFC 2675 §4); otherwise it bounds the payload.
    const end = len === 0 ? seg.length : len;
    if (end < UDP_HEADER_LEN) return this.skip('bad-ip-header');
    if (end > seg.length) return this.skip('short-frame');
    const payload = seg.subarray(UDP_HEADER_LEN, end);
    const meta: WireMeta = { srcIp: ip.src, srcPort: seg.readUInt16BE(0), dstIp: ip.dst, dstPort: seg.readUInt16BE(2), ts, transport: 'udp' };
    const c = classifyPayload(payload, this.hepOptions);
    if (c.kind === 'sip') this.sink.sip(payload, meta);
    else if (c.kind === 'hep') this.sink.hep(payload, c.record, meta);
    else this.skip(c.reason);
  }

  private tcpSegment(ip: IpPacket, seg: Buffer, ts: number): void {
    if (seg.length < TCP_MIN_HEADER_LEN) return this.skip('short-frame');
    const dataOffset = (seg[12] >> 4) * 4;
    if (dataOffset < TCP_MIN_HEADER_LEN || dataOffset > seg.length) return this.skip('short-frame');
    const ep: WireAddress = { srcIp: ip.src, srcPort: seg.readUInt16BE(0), dstIp: ip.dst, dstPort: seg.readUInt16BE(2) };
    this.tcp.segment(ep, seg.readUInt32BE(4), seg[13], seg.subarray(dataOffset), ts);
  }

  private framed(m: FramedMessage, ep: WireAddress, ts: number): void {
    // Fields one by one: a spread here was a tenth of the capture layer's time.
    const meta: WireMeta = { srcIp: ep.srcIp, srcPort: ep.srcPort, dstIp: ep.dstIp, dstPort: ep.dstPort, ts, transport: 'tcp' };
    if (m.kind === 'sip') return this.sink.sip(m.bytes, meta);
    const c = classifyPayload(m.bytes, this.hepOptions);
    if (c.kind === 'hep') this.sink.hep(m.bytes, c.record, meta);
    else if (c.kind === 'skip') this.skip(c.reason);
  }

  private gre(buf: Buffer, ts: number, depth: number): void {
    if (buf.length < 4) return this.skip('short-frame');
    const flags = buf.readUInt16BE(0);
    // Version 1 is PPTP's enhanced GRE, which carries PPP, not IP.
    if ((flags & GRE_VERSION) !== 0) return this.skip('other-ip-protocol');
    const type = buf.readUInt16BE(2);
    const pos = 4 + (flags & GRE_C ? 4 : 0) + (flags & GRE_K ? 4 : 0) + (flags & GRE_S ? 4 : 0);
    if (buf.length <= pos) return this.skip('short-frame');
    const inner = buf.subarray(pos);
    if (type === ETHERTYPE.ipv4 || type === ETHERTYPE.ipv6) return this.ip(inner, ts, depth);
    if (type === ETHERTYPE.teb) {
      const link = ethernetToIp(inner);
      return link.ok ? this.ip(link.ip, ts, depth) : this.skip(link.reason);
    }
    this.skip('not-ip');
  }
}
