/**
 * Link layers: from a captured frame to the IP packet it carries.
 * Ethernet (+802.1Q/QinQ), Linux cooked v1/v2, raw IP, BSD null and OpenBSD loop.
 */
import { AF_INET, AF_INET6_VALUES, ETHERTYPE, ETHERTYPE_MIN, LINKTYPE } from './numbers.ts';
import type { SkipReason } from './skip.ts';

export type LinkResult = { ok: true; ip: Buffer } | { ok: false; reason: SkipReason };

const NOT_IP: LinkResult = { ok: false, reason: 'not-ip' };
const SHORT: LinkResult = { ok: false, reason: 'short-frame' };

/** Ethernet II header: destination MAC 6, source MAC 6, ethertype 2. */
const ETH_HEADER_LEN = 14;
/** An 802.1Q / 802.1ad tag: TCI 2 bytes, then the inner ethertype 2 bytes. */
const VLAN_TAG_LEN = 4;
/** SLL: packet type 2, ARPHRD 2, address length 2, address 8, protocol 2. */
const SLL_HEADER_LEN = 16;
/** SLL2: protocol 2, reserved 2, interface index 4, ARPHRD 2, packet type 1, address length 1, address 8. */
const SLL2_HEADER_LEN = 20;
/** Null/loop: one 32-bit address family. */
const LOOP_HEADER_LEN = 4;

/** Returns the IP packet inside a frame of the given LINKTYPE. */
export function linkToIp(linkType: number, data: Buffer): LinkResult {
  switch (linkType) {
    case LINKTYPE.ethernet:
      return ethernetToIp(data);
    case LINKTYPE.linuxSll:
      if (data.length < SLL_HEADER_LEN) return SHORT;
      return ethertypeToIp(data.readUInt16BE(14), data, SLL_HEADER_LEN);
    case LINKTYPE.linuxSll2:
      if (data.length < SLL2_HEADER_LEN) return SHORT;
      return ethertypeToIp(data.readUInt16BE(0), data, SLL2_HEADER_LEN);
    case LINKTYPE.raw:
    case LINKTYPE.rawBsd12:
    case LINKTYPE.rawBsd14:
      return rawIp(data);
    case LINKTYPE.ipv4:
    case LINKTYPE.ipv6:
      return data.length === 0 ? SHORT : { ok: true, ip: data };
    case LINKTYPE.null:
    case LINKTYPE.loop: {
      if (data.length < LOOP_HEADER_LEN) return SHORT;
      // LOOP is always big-endian; NULL is in the capturing host's order, and families are small,
      // so a big value read one way means the other byte order.
      let af = data.readUInt32BE(0);
      if (linkType === LINKTYPE.null && af > 0xffff) af = data.readUInt32LE(0);
      if (af !== AF_INET && !AF_INET6_VALUES.has(af)) return NOT_IP;
      return rawIp(data.subarray(LOOP_HEADER_LEN));
    }
    default:
      return { ok: false, reason: 'unsupported-link-type' };
  }
}

/** Ethernet II frame (also the payload of GRE transparent bridging). */
export function ethernetToIp(data: Buffer): LinkResult {
  if (data.length < ETH_HEADER_LEN) return SHORT;
  return ethertypeToIp(data.readUInt16BE(12), data, ETH_HEADER_LEN);
}

/** Follows VLAN tags from `pos`, where the payload of `ethertype` starts. */
function ethertypeToIp(ethertype: number, data: Buffer, pos: number): LinkResult {
  let type = ethertype;
  while (type === ETHERTYPE.vlan || type === ETHERTYPE.qinq || type === ETHERTYPE.qinqLegacy) {
    if (data.length < pos + VLAN_TAG_LEN) return SHORT;
    type = data.readUInt16BE(pos + 2);
    pos += VLAN_TAG_LEN;
  }
  if (type < ETHERTYPE_MIN) return NOT_IP; // 802.3 length field: LLC/SNAP frame
  if (type !== ETHERTYPE.ipv4 && type !== ETHERTYPE.ipv6) return NOT_IP;
  if (data.length <= pos) return SHORT;
  return { ok: true, ip: data.subarray(pos) };
}

function rawIp(data: Buffer): LinkResult {
  if (data.length === 0) return SHORT;
  const version = data[0] >> 4;
  return version === 4 || version === 6 ? { ok: true, ip: data } : NOT_IP;
}
