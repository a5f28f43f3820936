/**
 * The one table of HEP protocol numbers: HEP3 generic chunk ids (vendor 0) with their names and
 * value types, HEP protocol types (chunk 0x000b), vendor ids, address families and IP protocol ids.
 * Every other file names these numbers through the constants below, never as bare literals.
 *
 * Source: HEP3 Network Protocol Specification REV 37 (sipcapture/HEP docs/), plus OpenSIPS
 * `modules/proto_hep/hep.h` for type 101 and the OpenSIPS-only protocol types.
 */

/** How a chunk's value bytes are read. Integers and addresses are big-endian (network order). */
export type ChunkValueType =
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'inet4'
  | 'inet6'
  /** UTF-8 text (the spec's "octet-string" when it carries a name or id). */
  | 'string'
  /** Opaque octets (captured payload). */
  | 'bytes';

/** Value size in bytes of each fixed-size value type; strings and bytes have no fixed size. */
export const VALUE_TYPE_SIZE: Readonly<Partial<Record<ChunkValueType, number>>> = {
  uint8: 1,
  uint16: 2,
  uint32: 4,
  uint64: 8,
  inet4: 4,
  inet6: 16,
};

/** Generic chunks (vendor 0x0000), HEP3 spec REV 37 §"Chunk types", in id order. */
const GENERIC_CHUNK_TABLE = [
  { id: 0x0001, name: 'ipFamily', type: 'uint8' }, // 2 = AF_INET, 10 = AF_INET6 (Linux values)
  { id: 0x0002, name: 'ipProtocol', type: 'uint8' }, // 6 TCP, 17 UDP, 132 SCTP
  { id: 0x0003, name: 'srcIp4', type: 'inet4' },
  { id: 0x0004, name: 'dstIp4', type: 'inet4' },
  { id: 0x0005, name: 'srcIp6', type: 'inet6' },
  { id: 0x0006, name: 'dstIp6', type: 'inet6' },
  { id: 0x0007, name: 'srcPort', type: 'uint16' },
  { id: 0x0008, name: 'dstPort', type: 'uint16' },
  { id: 0x0009, name: 'tsSec', type: 'uint32' }, // seconds since the epoch
  { id: 0x000a, name: 'tsUsec', type: 'uint32' }, // microsecond offset
  { id: 0x000b, name: 'protoType', type: 'uint8' }, // see PROTO_TYPE
  { id: 0x000c, name: 'captureId', type: 'uint32' },
  { id: 0x000d, name: 'keepAliveTimer', type: 'uint16' }, // seconds
  { id: 0x000e, name: 'authKey', type: 'string' }, // "capturePass"
  { id: 0x000f, name: 'payload', type: 'bytes' },
  { id: 0x0010, name: 'compressedPayload', type: 'bytes' }, // gzip, zlib or raw deflate
  { id: 0x0011, name: 'correlationId', type: 'string' }, // internal correlation id
  { id: 0x0012, name: 'vlan', type: 'uint16' },
  { id: 0x0013, name: 'nodeName', type: 'string' }, // capture agent name
  { id: 0x0014, name: 'srcMac', type: 'uint64' },
  { id: 0x0015, name: 'dstMac', type: 'uint64' },
  { id: 0x0016, name: 'ethernetType', type: 'uint16' },
  { id: 0x0017, name: 'tcpFlags', type: 'uint8' },
  { id: 0x0018, name: 'ipTos', type: 'uint8' },
  { id: 0x0020, name: 'mos', type: 'uint16' },
  { id: 0x0021, name: 'rFactor', type: 'uint16' },
  { id: 0x0022, name: 'geoLocation', type: 'string' },
  { id: 0x0023, name: 'jitter', type: 'uint32' },
  { id: 0x0024, name: 'transactionType', type: 'string' }, // "call", "registration"
  { id: 0x0025, name: 'payloadJsonKeys', type: 'string' },
  { id: 0x0026, name: 'tagValues', type: 'string' },
  { id: 0x0027, name: 'tagType', type: 'uint16' },
  { id: 0x0028, name: 'eventType', type: 'uint16' }, // 1 recording, 2 recording LI
  { id: 0x0029, name: 'groupId', type: 'string' },
  // Not in the spec: OpenSIPS HEP_EXTRA_CORRELATION (hep.h), a JSON object such as {"net":"12345"},
  // sent with vendor 0 when homer5_on=0.
  { id: 101, name: 'extraCorrelation', type: 'string' },
] as const satisfies readonly { id: number; name: string; type: ChunkValueType }[];

export type GenericChunkName = (typeof GENERIC_CHUNK_TABLE)[number]['name'];
export interface ChunkSpec {
  readonly id: number;
  readonly name: GenericChunkName;
  readonly type: ChunkValueType;
}

type ChunkIdsByName = { readonly [E in (typeof GENERIC_CHUNK_TABLE)[number] as E['name']]: E['id'] };

/** Generic chunk ids by name: `CHUNK.correlationId === 0x0011`. */
export const CHUNK: ChunkIdsByName = Object.freeze(
  Object.fromEntries(GENERIC_CHUNK_TABLE.map((c) => [c.name, c.id])),
) as ChunkIdsByName;

/** Generic chunk specs by id (the reverse map), for decoding and for naming ids in messages. */
export const GENERIC_CHUNKS: ReadonlyMap<number, ChunkSpec> = new Map(
  GENERIC_CHUNK_TABLE.map((c) => [c.id, c as ChunkSpec]),
);

/** "0x0011 (correlationId)", for rejection details. */
export function describeChunk(id: number): string {
  const hex = `0x${id.toString(16).padStart(4, '0')}`;
  const spec = GENERIC_CHUNKS.get(id);
  return spec ? `${hex} (${spec.name})` : hex;
}

/** HEP3 vendor ids (spec REV 37). Only GENERIC chunks are interpreted; others are skipped. */
export const VENDOR = {
  generic: 0x0000,
  freeswitch: 0x0001,
  kamailio: 0x0002,
  opensips: 0x0003,
  asterisk: 0x0004,
  homer: 0x0005,
  sipxecs: 0x0006,
  yeti: 0x0007,
  genesys: 0x0008,
} as const;

/** HEP protocol types carried in chunk 0x000b (spec REV 37 table, plus common non-spec values). */
export const PROTO_TYPE = {
  reserved: 0x00,
  sip: 0x01,
  xmpp: 0x02,
  sdp: 0x03,
  rtp: 0x04,
  rtcp: 0x05, // RTCP as JSON
  mgcp: 0x06,
  megaco: 0x07, // H.248
  m2ua: 0x08,
  m3ua: 0x09,
  iax: 0x0a,
  h3222: 0x0b,
  h321: 0x0c,
  m2pa: 0x0d,
  mosFull: 0x22, // 34, "rtpagent" in heplify-server
  mosShort: 0x23, // 35, "rtcpxr"
  horaclifix: 0x26, // 38, heplify-server only
  sipJson: 0x32, // 50
  dns: 0x35, // 53, JSON
  m3uaJson: 0x36, // 54, ISUP
  rtsp: 0x37,
  diameter: 0x38,
  gsmMap: 0x39,
  rtcpPion: 0x3a,
  cdr: 0x3c,
  verto: 0x3d,
  xlogOpensips: 0x56, // 86, OpenSIPS hep_ids[] in older releases
  mi: 0x57, // 87, OpenSIPS only
  rest: 0x58, // 88, OpenSIPS only
  net: 0x59, // 89, OpenSIPS only ("trans" in older releases)
  control: 0x60, // 96, OpenSIPS correlate()
  log: 0x64, // 100, not in the spec table; OpenSIPS xlog and Kamailio hlog() use it
} as const;

/**
 * Media quality report types: 32–35 (QoS JSON from captagent/rtpengine, 34 "rtpagent", 35 RTCP-XR
 * vq-rtcpxr text per RFC 6035). heplify-server files every one of them in hep_proto_35_default.
 */
export const QOS_PROTO_TYPES: ReadonlySet<number> = new Set([0x20, 0x21, PROTO_TYPE.mosFull, PROTO_TYPE.mosShort]);

/** Log types: 100 (OpenSIPS 3.x xlog, Kamailio hlog), 86 (OpenSIPS "xlog" in older releases). */
export const LOG_PROTO_TYPES: ReadonlySet<number> = new Set([PROTO_TYPE.log, PROTO_TYPE.xlogOpensips]);

/** Protocol type names by number: `PROTO_TYPE_NAMES.get(1) === 'sip'`. */
export const PROTO_TYPE_NAMES: ReadonlyMap<number, keyof typeof PROTO_TYPE> = new Map(
  (Object.entries(PROTO_TYPE) as [keyof typeof PROTO_TYPE, number][]).map(([name, id]) => [id, name]),
);

/** Address family values of chunk 0x0001 and the v1/v2 hp_f field: Linux AF_INET / AF_INET6. */
export const ADDRESS_FAMILY = { ipv4: 2, ipv6: 10 } as const;

/**
 * IP protocol ids (IANA). Proxies also send fake ids: Kamailio uses 22 (IPPROTO_IDP) for TLS, WS
 * and WSS; OpenSIPS uses 22 for TLS and 50 (ESP's number) for WS.
 */
export const IP_PROTOCOL = { tcp: 6, udp: 17, idp: 22, esp: 50, sctp: 132 } as const;

/** HEP3 packet id, spec REV 37 §"Header": ASCII "HEP3"; the older "EEP3" is also allowed. */
export const HEP3_MAGIC = Buffer.from('HEP3', 'latin1');
export const EEP3_MAGIC = Buffer.from('EEP3', 'latin1');
/** Bytes in the HEP3 header: 4-byte id + u16 total length. */
export const HEP3_HEADER_BYTES = 6;
/** Bytes in a chunk header: vendor u16 + type u16 + length u16 (the length includes them). */
export const CHUNK_HEADER_BYTES = 6;
/** The total length field is a u16, so no HEP3 packet is longer. */
export const HEP3_MAX_BYTES = 0xffff;

/** hp_v, the first byte of a HEPv1 or HEPv2 packet (Kamailio hep.h struct hep_hdr). */
export const HEP_LEGACY_VERSIONS: ReadonlySet<number> = new Set([1, 2]);
/** HEPv1/v2 (Kamailio hep.h): struct hep_hdr is 8 bytes (4 × u8, then sport and dport u16 BE). */
export const HEP_LEGACY_HDR_BYTES = 8;
/** hp_l for IPv4: hep_hdr + hep_iphdr (two in_addr) = 16 bytes. */
export const HEP_LEGACY_HDR_LEN_IPV4 = 16;
/** hp_l for IPv6: hep_hdr + hep_ip6hdr (two in6_addr) = 40 bytes. */
export const HEP_LEGACY_HDR_LEN_IPV6 = 40;
/** HEPv2 struct hep_timehdr: u32 tv_sec, u32 tv_usec, u16 captid + 2 padding bytes (not packed). */
export const HEP2_TIME_HDR_BYTES = 12;
