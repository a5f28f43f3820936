/**
 * Every protocol number the capture readers and the writer use, in one table.
 * Sources: tcpdump.org linktypes list, pcap-savefile(5), draft-ietf-opsawg-pcapng,
 * IEEE 802.1Q, IANA ethertype and protocol-number registries.
 */
import { IP_PROTOCOL } from '../hep/chunks.ts';

/** Classic pcap file magics, as read big-endian from the first 4 bytes (pcap-savefile(5)). */
export const PCAP_MAGIC = {
  /** Microsecond timestamps, written big-endian. */
  usecBE: 0xa1b2c3d4,
  /** Microsecond timestamps, written little-endian (the common case on x86). */
  usecLE: 0xd4c3b2a1,
  /** Nanosecond timestamps (libpcap 1.5+), big-endian. */
  nsecBE: 0xa1b23c4d,
  /** Nanosecond timestamps, little-endian. */
  nsecLE: 0x4d3cb2a1,
} as const;

/** pcapng block types (draft-ietf-opsawg-pcapng §4, §11.1). */
export const BLOCK = {
  /** Section Header Block: its type is a palindrome, so it reads the same in both byte orders. */
  section: 0x0a0d0d0a,
  interface: 0x00000001,
  /** Obsolete Packet Block (§A), still written by old tools. */
  obsoletePacket: 0x00000002,
  simplePacket: 0x00000003,
  enhancedPacket: 0x00000006,
} as const;

/** pcapng byte-order magic inside the SHB (§4.1). */
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** pcapng IDB option codes (§4.2). */
export const IDB_OPTION = {
  end: 0,
  /** if_tsresol, 1 byte: MSB 0 → 10^-n s, MSB 1 → 2^-n s. Default 6 (µs). */
  tsresol: 9,
  /** if_tsoffset, 8 bytes: seconds to add to every timestamp. */
  tsoffset: 14,
} as const;

/** LINKTYPE_* values (tcpdump.org/linktypes.html). */
export const LINKTYPE = {
  /** BSD loopback: 4-byte address family in the capturing host's byte order. */
  null: 0,
  ethernet: 1,
  /** DLT_RAW as written by some BSDs (OpenBSD writes 12 or 14 for raw IP). */
  rawBsd12: 12,
  rawBsd14: 14,
  /** Raw IPv4 or IPv6, version from the first nibble. */
  raw: 101,
  /** OpenBSD loopback: like null, but the family is always big-endian. */
  loop: 108,
  /** Linux cooked capture v1 (SLL), 16-byte header. */
  linuxSll: 113,
  ipv4: 228,
  ipv6: 229,
  /** Linux cooked capture v2 (SLL2), 20-byte header. */
  linuxSll2: 276,
} as const;

/** Ethertypes (IANA). */
export const ETHERTYPE = {
  ipv4: 0x0800,
  ipv6: 0x86dd,
  /** 802.1Q customer VLAN tag. */
  vlan: 0x8100,
  /** 802.1ad service tag (QinQ outer tag). */
  qinq: 0x88a8,
  /** Pre-standard QinQ outer tag used by some switches. */
  qinqLegacy: 0x9100,
  /** GRE "Transparent Ethernet Bridging": an Ethernet frame follows. */
  teb: 0x6558,
} as const;

/** Ethertype values below this are 802.3 lengths, not types (IEEE 802.3 §3.2.6). */
export const ETHERTYPE_MIN = 0x0600;

/** Address-family values found in null/loop headers. AF_INET6 differs per OS. */
export const AF_INET = 2;
/** AF_INET6 on Linux (10), NetBSD/OpenBSD (24), FreeBSD (28), macOS (30). */
export const AF_INET6_VALUES: ReadonlySet<number> = new Set([10, 24, 28, 30]);

/** IP protocol numbers (IANA), also IPv6 next-header values; TCP and UDP are HEP's too (one table). */
export const IPPROTO = {
  hopByHop: 0,
  ipip: 4,
  tcp: IP_PROTOCOL.tcp,
  udp: IP_PROTOCOL.udp,
  ipv6: 41,
  routing: 43,
  fragment: 44,
  gre: 47,
  ah: 51,
  noNext: 59,
  destOpts: 60,
} as const;

/** TCP header flag bits (RFC 9293 §3.1). */
export const TCP_FLAG = {
  fin: 0x01,
  syn: 0x02,
  rst: 0x04,
  psh: 0x08,
  ack: 0x10,
} as const;
