/**
 * pcap writer (pcap-savefile(5), LINKTYPE_ETHERNET, µs) for exported messages. Each message gets
 * synthetic Ethernet / IPv4-or-IPv6 / UDP-or-TCP headers that keep its real addresses, ports and
 * time. TCP messages get consecutive sequence numbers per 4-tuple and PSH|ACK, so tshark reads
 * each one as a whole segment. Checksums (IPv4 header, UDP, TCP) are computed.
 */
import { parseIpv4, parseIpv6 } from '../hep/inet.ts';
import { ETHERTYPE, IPPROTO, LINKTYPE, PCAP_MAGIC, TCP_FLAG } from './numbers.ts';
import type { WireAddress } from '../hep/inet.ts';

/** A message to write, as stored. */
export interface WireMessage extends WireAddress {
  /** µs since the epoch. */
  ts: number;
  /** 'udp' is written as UDP; anything else (tcp, tls, ws, sctp) as TCP. */
  transport: string;
  payload: Buffer | string;
}

const SNAPLEN = 262144;
const ETH_LEN = 14;
const IPV4_LEN = 20;
const IPV6_LEN = 40;
const UDP_LEN = 8;
const TCP_LEN = 20;
/** IPv4 total length is a u16, so a UDP payload can hold 65535 − 20 − 8 bytes at most. */
const MAX_IP_DATAGRAM = 65535;
/** One TCP segment's payload at most; larger messages span several consecutive segments. */
const TCP_SEGMENT_MAX = 65000;
const TTL = 64;
/** IPv4 "don't fragment" flag (RFC 791 §3.1). */
const IPV4_DF = 0x4000;

/** The 24-byte file header: v2.4, zone 0, snaplen, Ethernet. Written little-endian. */
export function pcapFileHeader(): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(PCAP_MAGIC.usecBE, 0); // a1b2c3d4 written LE reads back as the LE magic
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(SNAPLEN, 16);
  h.writeUInt32LE(LINKTYPE.ethernet, 20);
  return h;
}

export class PcapWriter {
  /** Next sequence number per direction, keyed "srcIp srcPort dstIp dstPort". */
  private nextSeq = new Map<string, number>();
  private ipId = 0;

  /** pcap records (16-byte header + frame) for one message: one, or several for a long TCP message. */
  records(m: WireMessage): Buffer[] {
    const payload = typeof m.payload === 'string' ? Buffer.from(m.payload, 'utf8') : m.payload;
    const v6 = m.srcIp.includes(':') || m.dstIp.includes(':');
    const src = addressBytes(m.srcIp, v6);
    const dst = addressBytes(m.dstIp, v6);
    const ipLen = v6 ? IPV6_LEN : IPV4_LEN;
    if (m.transport.toLowerCase() === 'udp') {
      const room = MAX_IP_DATAGRAM - UDP_LEN - (v6 ? 0 : IPV4_LEN);
      return [this.record(m.ts, src, dst, v6, IPPROTO.udp, this.udp(m, src, dst, payload.subarray(0, room)), ipLen)];
    }
    const out: Buffer[] = [];
    for (let o = 0; o < payload.length || o === 0; o += TCP_SEGMENT_MAX) {
      out.push(this.record(m.ts, src, dst, v6, IPPROTO.tcp, this.tcp(m, src, dst, payload.subarray(o, o + TCP_SEGMENT_MAX)), ipLen));
      if (payload.length === 0) break;
    }
    return out;
  }

  private record(ts: number, src: Buffer, dst: Buffer, v6: boolean, proto: number, l4: Buffer, ipLen: number): Buffer {
    const frameLen = ETH_LEN + ipLen + l4.length;
    const rec = Buffer.alloc(16 + frameLen);
    const sec = Math.floor(ts / 1_000_000);
    rec.writeUInt32LE(sec, 0);
    rec.writeUInt32LE(Math.floor(ts - sec * 1_000_000), 4);
    rec.writeUInt32LE(frameLen, 8);
    rec.writeUInt32LE(frameLen, 12);
    // Ethernet: locally administered MACs (02:00:…) built from the addresses' last 4 bytes.
    const eth = 16;
    rec[eth] = 0x02;
    dst.copy(rec, eth + 2, dst.length - 4);
    rec[eth + 6] = 0x02;
    src.copy(rec, eth + 8, src.length - 4);
    rec.writeUInt16BE(v6 ? ETHERTYPE.ipv6 : ETHERTYPE.ipv4, eth + 12);
    const ip = eth + ETH_LEN;
    if (v6) {
      rec.writeUInt32BE(0x60000000, ip); // version 6, traffic class 0, flow label 0
      rec.writeUInt16BE(l4.length, ip + 4);
      rec[ip + 6] = proto;
      rec[ip + 7] = TTL;
      src.copy(rec, ip + 8);
      dst.copy(rec, ip + 24);
    } else {
      rec[ip] = 0x45; // version 4, IHL 5
      rec.writeUInt16BE(IPV4_LEN + l4.length, ip + 2);
      rec.writeUInt16BE(this.ipId, ip + 4);
      this.ipId = (this.ipId + 1) & 0xffff;
      rec.writeUInt16BE(IPV4_DF, ip + 6);
      rec[ip + 8] = TTL;
      rec[ip + 9] = proto;
      src.copy(rec, ip + 12);
      dst.copy(rec, ip + 16);
      rec.writeUInt16BE(onesComplement(sum16(rec, ip, ip + IPV4_LEN, 0)), ip + 10);
    }
    l4.copy(rec, ip + ipLen);
    return rec;
  }

  private udp(m: WireMessage, src: Buffer, dst: Buffer, payload: Buffer): Buffer {
    const seg = Buffer.alloc(UDP_LEN + payload.length);
    seg.writeUInt16BE(m.srcPort, 0);
    seg.writeUInt16BE(m.dstPort, 2);
    seg.writeUInt16BE(seg.length, 4);
    payload.copy(seg, UDP_LEN);
    // RFC 768: a computed 0 is sent as all ones (0 means "no checksum", not allowed over IPv6).
    const c = transportChecksum(src, dst, IPPROTO.udp, seg);
    seg.writeUInt16BE(c === 0 ? 0xffff : c, 6);
    return seg;
  }

  private tcp(m: WireMessage, src: Buffer, dst: Buffer, payload: Buffer): Buffer {
    const key = `${m.srcIp} ${m.srcPort} ${m.dstIp} ${m.dstPort}`;
    const back = `${m.dstIp} ${m.dstPort} ${m.srcIp} ${m.srcPort}`;
    const seq = this.nextSeq.get(key) ?? initialSeq(key);
    this.nextSeq.set(key, (seq + payload.length) >>> 0);
    const seg = Buffer.alloc(TCP_LEN + payload.length);
    seg.writeUInt16BE(m.srcPort, 0);
    seg.writeUInt16BE(m.dstPort, 2);
    seg.writeUInt32BE(seq, 4);
    seg.writeUInt32BE(this.nextSeq.get(back) ?? initialSeq(back), 8); // acknowledges all the peer sent
    seg[12] = (TCP_LEN / 4) << 4; // data offset, in 32-bit words
    seg[13] = TCP_FLAG.psh | TCP_FLAG.ack;
    seg.writeUInt16BE(65535, 14); // window
    payload.copy(seg, TCP_LEN);
    seg.writeUInt16BE(transportChecksum(src, dst, IPPROTO.tcp, seg), 16);
    return seg;
  }
}

/** A whole pcap file for the messages, in the order given. */
export function writePcap(messages: Iterable<WireMessage>): Buffer {
  const w = new PcapWriter();
  const parts = [pcapFileHeader()];
  for (const m of messages) parts.push(...w.records(m));
  return Buffer.concat(parts);
}

/** 4 or 16 bytes; an IPv4 address in an IPv6 packet is written IPv4-mapped; unparsable text as zeros. */
function addressBytes(ip: string, v6: boolean): Buffer {
  if (!v6) return parseIpv4(ip) ?? Buffer.alloc(4);
  const b = parseIpv6(ip.includes(':') ? ip.replace(/^\[|\]$/g, '') : `::ffff:${ip}`);
  return b ?? Buffer.alloc(16);
}

/** A stable, plausible initial sequence number per direction (FNV-1a of the 4-tuple). */
function initialSeq(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** RFC 768 / RFC 9293 §3.1 / RFC 8200 §8.1: checksum over the pseudo-header and the segment. */
function transportChecksum(src: Buffer, dst: Buffer, proto: number, seg: Buffer): number {
  let sum = sum16(src, 0, src.length, 0);
  sum = sum16(dst, 0, dst.length, sum);
  sum += proto + seg.length; // zero-padded protocol and the upper-layer length
  return onesComplement(sum16(seg, 0, seg.length, sum));
}

/** 16-bit big-endian word sum of buf[start, end), odd length padded with a zero byte (RFC 1071). */
function sum16(buf: Buffer, start: number, end: number, sum: number): number {
  let i = start;
  for (; i + 1 < end; i += 2) sum += (buf[i] << 8) | buf[i + 1];
  if (i < end) sum += buf[i] << 8;
  return sum;
}

function onesComplement(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}
