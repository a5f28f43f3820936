import type { WireAddress } from './inet.ts';

/** What one HEP packet (v1, v2 or v3) says, after decoding. Times are split as on the wire. */
export interface HepRecord extends WireAddress {
  version: 1 | 2 | 3;
  /** 'ipv4' (AF_INET = 2) or 'ipv6' (AF_INET6 = 10). */
  family: 'ipv4' | 'ipv6';
  /** IP protocol id: 17 UDP, 6 TCP, 132 SCTP; OpenSIPS/Kamailio send fake 22 (TLS, WS) and 50 (WS). */
  ipProtocol: number;
  /** Seconds since the epoch (HEP3 chunk 0x0009). */
  tsSec: number;
  /** Microsecond offset, 0..999999 (HEP3 chunk 0x000a). */
  tsUsec: number;
  /** HEP protocol type (chunk 0x000b): 1 SIP, 5 RTCP JSON, 100 log, ... */
  protoType: number;
  /** Capture agent id (chunk 0x000c), null when absent. */
  captureId: number | null;
  /** Auth key (chunk 0x000e), null when absent. */
  authKey: string | null;
  /** Captured payload, decompressed (0x0010) and, for SIP, unwrapped from OpenSIPS' {"payload": ...}.
   * A view into the packet when neither applied: copy it to keep it longer than the packet. */
  payload: Buffer;
  /** True when the payload came in chunk 0x0010. */
  compressed: boolean;
  /** Internal correlation id (chunk 0x0011), null when absent. */
  correlationId: string | null;
  /** VLAN id (chunk 0x0012). */
  vlan: number | null;
  /** Capture agent name (chunk 0x0013). */
  nodeName: string | null;
  /** OpenSIPS extra correlation (vendor 0, type 101): a JSON object of string values. */
  extraCorrelation: Record<string, string> | null;
}

/** Every reason a packet can be refused; the collector counts rejections by these names. */
export type HepRejection =
  | 'short-header'
  | 'bad-magic'
  | 'bad-version'
  | 'length-mismatch'
  | 'chunk-overrun'
  | 'bad-chunk-size'
  | 'missing-addresses'
  | 'missing-payload'
  | 'bad-compression'
  /** Chunk 0x0010 expands past the decoder's bound (DecodeOptions.maxDecompressedBytes). */
  | 'decompressed-too-large'
  | 'bad-family'
  /** The auth key (chunk 0x000e) is missing or differs from DecodeOptions.authKey. */
  | 'bad-auth-key';

/** What decodeHep checks beyond the packet's own structure. */
export interface DecodeOptions {
  /** Refuse packets whose auth key (chunk 0x000e) is not this one; null or absent: no check. */
  authKey?: string | null;
  /** Largest expanded size of chunk 0x0010, bytes (default MAX_DECOMPRESSED_BYTES). */
  maxDecompressedBytes?: number;
}

export type HepDecodeResult =
  | { ok: true; record: HepRecord }
  | { ok: false; reason: HepRejection; detail?: string };

/** Input to the HEP3 encoder: the fields of a record, with optional extras for tests. */
export interface HepEncodeInput {
  family?: 'ipv4' | 'ipv6'; // default: from srcIp
  ipProtocol: number;
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  tsSec: number;
  tsUsec: number;
  protoType: number;
  captureId?: number | null;
  authKey?: string | null;
  payload: Buffer | string;
  /** Send the payload gzip-compressed in chunk 0x0010. */
  compress?: 'gzip' | 'zlib' | false;
  correlationId?: string | null;
  vlan?: number | null;
  nodeName?: string | null;
  extraCorrelation?: Record<string, string> | null;
}
