/**
 * HEP decoder: one packet's bytes in, a HepRecord or a named rejection out. Pure: no sockets,
 * logger or config. Never throws (fuzz.test.ts checks this on random and mutated input).
 */
import {
  ADDRESS_FAMILY,
  CHUNK,
  CHUNK_HEADER_BYTES,
  EEP3_MAGIC,
  GENERIC_CHUNKS,
  HEP3_HEADER_BYTES,
  HEP3_MAGIC,
  HEP_LEGACY_VERSIONS,
  PROTO_TYPE,
  VALUE_TYPE_SIZE,
  VENDOR,
  describeChunk,
} from './chunks.ts';
import { formatIpv6 } from './inet.ts';
import { decodeHepLegacy } from './legacy.ts';
import {
  decompressPayload,
  normalizeTime,
  parseExtraCorrelation,
  readChunkString,
  reject,
  unwrapOpensipsJson,
} from './payload.ts';
import type { DecodeOptions, HepDecodeResult, HepRecord } from './types.ts';

/**
 * Decodes one HEP packet (a UDP datagram, or one frame from HepStreamFramer).
 *
 * With `options.authKey`, a packet whose auth key (chunk 0x000e) differs, or which has none (as
 * HEPv1/v2 never do), is refused ('bad-auth-key') before its payload is inflated, so that an
 * unauthenticated sender cannot make the collector spend CPU and memory on decompression.
 * Chunk 0x0010 expanding past `options.maxDecompressedBytes` is refused ('decompressed-too-large').
 *
 * - HEP3/EEP3: the u16 total length must equal `buf.length`; chunks of vendors other than 0 and
 *   unknown generic chunks are skipped by their length; the fixed-size chunks that feed the record
 *   must have their exact size (as heplify-server checks); a chunk seen twice keeps its last value.
 * - First byte 1 or 2: HEPv1/v2 as Kamailio writes them (see legacy.ts).
 *
 * Missing optional fields: ports, timestamps and IP protocol read as 0 (a zero timestamp is left
 * for the caller to replace with the receive time), the protocol type as 0 (reserved), the rest
 * as null. Payload rule: a packet with no payload chunk is refused ('missing-payload'); an empty
 * payload chunk is accepted for non-SIP types (OpenSIPS control packets carry none), but refused
 * for SIP, where there is no message to parse.
 */
export function decodeHep(buf: Buffer, options: DecodeOptions = {}): HepDecodeResult {
  if (buf.length === 0) return reject('short-header', 'empty packet');
  if (HEP_LEGACY_VERSIONS.has(buf[0])) {
    const r = decodeHepLegacy(buf);
    return r.ok && options.authKey != null ? reject('bad-auth-key', 'HEPv1/v2 carry no auth key') : r;
  }

  const idLength = HEP3_MAGIC.length;
  const id = buf.subarray(0, idLength);
  if (id.length < idLength) {
    const couldBeId = HEP3_MAGIC.subarray(0, id.length).equals(id) || EEP3_MAGIC.subarray(0, id.length).equals(id);
    return couldBeId ? reject('short-header', `${buf.length} bytes`) : reject('bad-magic');
  }
  if (id.equals(HEP3_MAGIC) || id.equals(EEP3_MAGIC)) return decodeHep3(buf, options);
  // "HEPx"/"EEPx": the HEP family, but a version this decoder does not know.
  if (id.subarray(0, 3).equals(HEP3_MAGIC.subarray(0, 3)) || id.subarray(0, 3).equals(EEP3_MAGIC.subarray(0, 3))) {
    return reject('bad-version', `id ${JSON.stringify(id.toString('latin1'))}`);
  }
  return reject('bad-magic', `first bytes ${id.toString('hex')}`);
}

/** Chunks read into the record whose values have a fixed size; their size is enforced. */
const SIZE_CHECKED = [
  CHUNK.ipFamily,
  CHUNK.ipProtocol,
  CHUNK.srcIp4,
  CHUNK.dstIp4,
  CHUNK.srcIp6,
  CHUNK.dstIp6,
  CHUNK.srcPort,
  CHUNK.dstPort,
  CHUNK.tsSec,
  CHUNK.tsUsec,
  CHUNK.protoType,
  CHUNK.captureId,
  CHUNK.vlan,
];

/** Required value size by chunk type (0: not checked), an array lookup on the hot path. */
const FIXED_SIZE = new Uint8Array(256);
for (const type of SIZE_CHECKED) FIXED_SIZE[type] = VALUE_TYPE_SIZE[GENERIC_CHUNKS.get(type)!.type]!;

/**
 * What the chunks said, before the record is checked for completeness. Values are read in place:
 * numbers at once, bytes as offsets into the packet (-1: chunk absent), so that a packet costs
 * no Buffer view per chunk.
 */
interface Hep3Fields {
  family: number;
  ipProtocol: number;
  srcIp4: number;
  dstIp4: number;
  srcIp6: number;
  dstIp6: number;
  srcPort: number;
  dstPort: number;
  tsSec: number;
  tsUsec: number;
  protoType: number;
  captureId: number;
  authKey: string | null;
  payloadAt: number;
  payloadEnd: number;
  compressed: boolean;
  correlationId: string | null;
  vlan: number;
  nodeName: string | null;
  extraCorrelation: Record<string, string> | null;
}

function decodeHep3(buf: Buffer, options: DecodeOptions): HepDecodeResult {
  if (buf.length < HEP3_HEADER_BYTES) return reject('short-header', `${buf.length} bytes`);
  const total = u16(buf, 4); // spec: counts the whole packet, header included
  if (total !== buf.length) {
    return reject('length-mismatch', `header says ${total} bytes, packet has ${buf.length}`);
  }

  const f: Hep3Fields = {
    family: -1, ipProtocol: -1, srcIp4: -1, dstIp4: -1, srcIp6: -1, dstIp6: -1, srcPort: -1, dstPort: -1,
    tsSec: -1, tsUsec: -1, protoType: -1, captureId: -1, authKey: null, payloadAt: -1, payloadEnd: -1,
    compressed: false, correlationId: null, vlan: -1, nodeName: null, extraCorrelation: null,
  };
  for (let off = HEP3_HEADER_BYTES; off < buf.length; ) {
    if (buf.length - off < CHUNK_HEADER_BYTES) {
      return reject('chunk-overrun', `${buf.length - off} stray bytes at offset ${off}`);
    }
    const vendor = u16(buf, off);
    const type = u16(buf, off + 2);
    const length = u16(buf, off + 4); // includes the 6-byte chunk header
    if (length < CHUNK_HEADER_BYTES || off + length > buf.length) {
      return reject('chunk-overrun', `chunk ${describeChunk(type)} at offset ${off} has length ${length}`);
    }
    const at = off + CHUNK_HEADER_BYTES;
    off += length;
    if (vendor !== VENDOR.generic) continue;

    const size = type < FIXED_SIZE.length ? FIXED_SIZE[type] : 0;
    if (size !== 0 && off - at !== size) {
      return reject('bad-chunk-size', `chunk ${describeChunk(type)} has ${off - at} value bytes, expected ${size}`);
    }
    readChunk(f, type, buf, at, off);
  }
  return finishHep3(buf, f, options);
}

function u16(buf: Buffer, at: number): number {
  return (buf[at] << 8) | buf[at + 1];
}

function u32(buf: Buffer, at: number): number {
  return buf[at] * 0x1000000 + ((buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3]);
}

/** Reads the value at buf[at, end) of a generic chunk; chunks not part of HepRecord are skipped. */
function readChunk(f: Hep3Fields, type: number, buf: Buffer, at: number, end: number): void {
  switch (type) {
    case CHUNK.ipFamily: f.family = buf[at]; break;
    case CHUNK.ipProtocol: f.ipProtocol = buf[at]; break;
    case CHUNK.srcIp4: f.srcIp4 = at; break;
    case CHUNK.dstIp4: f.dstIp4 = at; break;
    case CHUNK.srcIp6: f.srcIp6 = at; break;
    case CHUNK.dstIp6: f.dstIp6 = at; break;
    case CHUNK.srcPort: f.srcPort = u16(buf, at); break;
    case CHUNK.dstPort: f.dstPort = u16(buf, at); break;
    case CHUNK.tsSec: f.tsSec = u32(buf, at); break;
    case CHUNK.tsUsec: f.tsUsec = u32(buf, at); break;
    case CHUNK.protoType: f.protoType = buf[at]; break;
    case CHUNK.captureId: f.captureId = u32(buf, at); break;
    case CHUNK.authKey: f.authKey = readChunkString(buf, at, end); break;
    case CHUNK.payload:
    case CHUNK.compressedPayload:
      f.payloadAt = at;
      f.payloadEnd = end;
      f.compressed = type === CHUNK.compressedPayload;
      break;
    case CHUNK.correlationId: f.correlationId = readChunkString(buf, at, end); break;
    case CHUNK.vlan: f.vlan = u16(buf, at); break;
    case CHUNK.nodeName: f.nodeName = readChunkString(buf, at, end); break;
    // A malformed type-101 chunk is ignored (null), not a reason to refuse the packet.
    case CHUNK.extraCorrelation: f.extraCorrelation = parseExtraCorrelation(buf.subarray(at, end)); break;
    default: break; // known to the table but not part of HepRecord (MOS, MACs, ...), or unknown
  }
}

function finishHep3(buf: Buffer, f: Hep3Fields, options: DecodeOptions): HepDecodeResult {
  if (options.authKey != null && f.authKey !== options.authKey) {
    return reject('bad-auth-key', f.authKey === null ? `no chunk ${describeChunk(CHUNK.authKey)}` : 'auth key differs');
  }
  let family: HepRecord['family'];
  if (f.family === -1) {
    // No 0x0001 chunk: a complete pair of address chunks tells the family.
    if (f.srcIp4 >= 0 && f.dstIp4 >= 0) family = 'ipv4';
    else if (f.srcIp6 >= 0 && f.dstIp6 >= 0) family = 'ipv6';
    else return reject('missing-addresses', `no chunk ${describeChunk(CHUNK.ipFamily)} and no complete address pair`);
  } else if (f.family === ADDRESS_FAMILY.ipv4) {
    family = 'ipv4';
  } else if (f.family === ADDRESS_FAMILY.ipv6) {
    family = 'ipv6';
  } else {
    return reject('bad-family', `family ${f.family}`);
  }

  const v4 = family === 'ipv4';
  const [src, dst] = v4 ? [f.srcIp4, f.dstIp4] : [f.srcIp6, f.dstIp6];
  if (src < 0 || dst < 0) {
    const [srcId, dstId] = v4 ? [CHUNK.srcIp4, CHUNK.dstIp4] : [CHUNK.srcIp6, CHUNK.dstIp6];
    return reject('missing-addresses', `${family} needs chunks ${describeChunk(srcId)} and ${describeChunk(dstId)}`);
  }

  if (f.payloadAt < 0) {
    return reject('missing-payload', `no chunk ${describeChunk(CHUNK.payload)} or ${describeChunk(CHUNK.compressedPayload)}`);
  }
  // A view into the packet, not a copy: callers decode it to text at once, and one that keeps
  // the bytes longer copies them.
  let payload = buf.subarray(f.payloadAt, f.payloadEnd);
  if (f.compressed) {
    const inflated = decompressPayload(payload, options.maxDecompressedBytes);
    if (!Buffer.isBuffer(inflated)) return inflated;
    payload = inflated;
  }
  const protoType = f.protoType === -1 ? PROTO_TYPE.reserved : f.protoType;
  if (protoType === PROTO_TYPE.sip) {
    payload = unwrapOpensipsJson(payload);
    if (payload.length === 0) return reject('missing-payload', 'empty SIP payload');
  }
  const time = normalizeTime(Math.max(0, f.tsSec), Math.max(0, f.tsUsec));

  return {
    ok: true,
    record: {
      version: 3,
      family,
      ipProtocol: Math.max(0, f.ipProtocol),
      srcIp: v4 ? ipv4At(buf, src) : formatIpv6(buf.subarray(src, src + 16)),
      dstIp: v4 ? ipv4At(buf, dst) : formatIpv6(buf.subarray(dst, dst + 16)),
      srcPort: Math.max(0, f.srcPort),
      dstPort: Math.max(0, f.dstPort),
      tsSec: time.tsSec,
      tsUsec: time.tsUsec,
      protoType,
      captureId: f.captureId === -1 ? null : f.captureId,
      authKey: f.authKey,
      payload,
      compressed: f.compressed,
      correlationId: f.correlationId,
      vlan: f.vlan === -1 ? null : f.vlan,
      nodeName: f.nodeName,
      extraCorrelation: f.extraCorrelation,
    },
  };
}

function ipv4At(buf: Buffer, at: number): string {
  return `${buf[at]}.${buf[at + 1]}.${buf[at + 2]}.${buf[at + 3]}`;
}
