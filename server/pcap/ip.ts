/**
 * IPv4 (RFC 791) and IPv6 (RFC 8200) headers: addresses, upper-layer protocol, payload, and
 * fragment facts for reassembly.ts. IPv6 extension headers are walked to the upper layer.
 */
import { formatIpv4, formatIpv6 } from '../hep/inet.ts';
import { IPPROTO } from './numbers.ts';
import type { SkipReason } from './skip.ts';

export interface IpFragment {
  /** Identifies the datagram: version, addresses, (v4: protocol) and identification. */
  key: string;
  /** Byte offset of this fragment's data in the datagram. */
  offset: number;
  /** More-fragments flag. */
  more: boolean;
}

export interface IpPacket {
  version: 4 | 6;
  src: string;
  dst: string;
  /** Upper-layer protocol (IANA protocol number), after any IPv6 extension headers. */
  proto: number;
  payload: Buffer;
  /** Set when this packet is one fragment of a larger datagram. */
  frag: IpFragment | null;
}

export type IpResult = { ok: true; packet: IpPacket } | { ok: false; reason: SkipReason };

const BAD: IpResult = { ok: false, reason: 'bad-ip-header' };
const SHORT: IpResult = { ok: false, reason: 'short-frame' };

const IPV4_MIN_HEADER_LEN = 20;
const IPV6_HEADER_LEN = 40;
/** IPv4 flags/offset field: MF bit and 13-bit offset in 8-byte units (RFC 791 §3.1). */
const IPV4_MF = 0x2000;
const IPV4_OFFSET_MASK = 0x1fff;

export function parseIp(buf: Buffer): IpResult {
  if (buf.length < 1) return SHORT;
  const version = buf[0] >> 4;
  if (version === 4) return parseIpv4(buf);
  if (version === 6) return parseIpv6(buf);
  return BAD;
}

/**
 * Dotted text of the IPv4 address at `at`, remembered: a capture names the same few addresses
 * in every packet, and formatting them anew cost ~0.7 KB of garbage a packet. Bounded, so that
 * a scan over many addresses cannot grow it.
 */
function ipv4Text(buf: Buffer, at: number): string {
  const n = buf.readUInt32BE(at);
  let text = ipv4Seen.get(n);
  if (text === undefined) {
    text = formatIpv4(buf.subarray(at, at + 4));
    if (ipv4Seen.size >= MAX_IPV4_SEEN) ipv4Seen.clear();
    ipv4Seen.set(n, text);
  }
  return text;
}
const ipv4Seen = new Map<number, string>();
const MAX_IPV4_SEEN = 65_536;

function parseIpv4(buf: Buffer): IpResult {
  if (buf.length < IPV4_MIN_HEADER_LEN) return SHORT;
  const headerLen = (buf[0] & 0x0f) * 4;
  let total = buf.readUInt16BE(2);
  // Total length 0 is what TCP segmentation offload leaves in captures of outgoing packets.
  if (total === 0) total = buf.length;
  if (headerLen < IPV4_MIN_HEADER_LEN || total < headerLen) return BAD;
  if (total > buf.length) return SHORT;
  const src = ipv4Text(buf, 12);
  const dst = ipv4Text(buf, 16);
  const proto = buf[9];
  const flagsOffset = buf.readUInt16BE(6);
  const more = (flagsOffset & IPV4_MF) !== 0;
  const offset = (flagsOffset & IPV4_OFFSET_MASK) * 8;
  const frag = more || offset > 0 ? { key: `4 ${src} ${dst} ${proto} ${buf.readUInt16BE(4)}`, offset, more } : null;
  // Slicing at `total` drops Ethernet minimum-frame padding.
  return { ok: true, packet: { version: 4, src, dst, proto, payload: buf.subarray(headerLen, total), frag } };
}

function parseIpv6(buf: Buffer): IpResult {
  if (buf.length < IPV6_HEADER_LEN) return SHORT;
  const payloadLen = buf.readUInt16BE(4);
  // Payload length 0 means a jumbogram (RFC 2675); take what was captured.
  const end = payloadLen === 0 ? buf.length : IPV6_HEADER_LEN + payloadLen;
  if (end > buf.length) return SHORT;
  const src = formatIpv6(buf.subarray(8, 24));
  const dst = formatIpv6(buf.subarray(24, 40));
  const walked = skipIpv6Extensions(buf[6], buf.subarray(0, end), IPV6_HEADER_LEN);
  if (!walked) return SHORT;
  let { proto, pos } = walked;
  let frag: IpFragment | null = null;
  if (proto === IPPROTO.fragment) {
    // Fragment header (RFC 8200 §4.5): next header 1, reserved 1, offset·8 | M 2, identification 4.
    if (end < pos + 8) return SHORT;
    const offsetFlags = buf.readUInt16BE(pos + 2);
    frag = { key: `6 ${src} ${dst} ${buf.readUInt32BE(pos + 4)}`, offset: offsetFlags & 0xfff8, more: (offsetFlags & 1) === 1 };
    proto = buf[pos];
    pos += 8;
    if (!frag.more && frag.offset === 0) frag = null; // an atomic fragment (RFC 6946) is whole
  }
  return { ok: true, packet: { version: 6, src, dst, proto, payload: buf.subarray(pos, end), frag } };
}

/**
 * Skips hop-by-hop, routing, destination-options and AH headers (RFC 8200 §4; RFC 4302 §2.2).
 * Stops at the fragment header or the upper layer. Null when a header runs past the buffer.
 */
export function skipIpv6Extensions(next: number, buf: Buffer, pos: number): { proto: number; pos: number } | null {
  for (;;) {
    if (next === IPPROTO.hopByHop || next === IPPROTO.routing || next === IPPROTO.destOpts) {
      if (buf.length < pos + 2) return null;
      const len = (buf[pos + 1] + 1) * 8; // in 8-octet units, not counting the first 8
      next = buf[pos];
      pos += len;
    } else if (next === IPPROTO.ah) {
      if (buf.length < pos + 2) return null;
      const len = (buf[pos + 1] + 2) * 4; // in 4-octet units, minus 2
      next = buf[pos];
      pos += len;
    } else {
      return pos > buf.length ? null : { proto: next, pos };
    }
  }
}
