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
  PROTO_TYPE,
  VALUE_TYPE_SIZE,
  VENDOR,
  describeChunk,
} from './chunks.ts';
import { formatIpv4, formatIpv6 } from './inet.ts';
import { decodeHepLegacy } from './legacy.ts';
import {
  decompressPayload,
  normalizeTime,
  parseExtraCorrelation,
  readChunkString,
  reject,
  unwrapOpensipsJson,
} from './payload.ts';
import type { HepDecodeResult, HepRecord } from './types.ts';

/** First byte of a HEPv1 / HEPv2 packet: hp_v (Kamailio hep.h struct hep_hdr). */
const LEGACY_VERSIONS: ReadonlySet<number> = new Set([1, 2]);

/**
 * Decodes one HEP packet (a UDP datagram, or one frame from HepStreamFramer).
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
export function decodeHep(buf: Buffer): HepDecodeResult {
  if (buf.length === 0) return reject('short-header', 'empty packet');
  if (LEGACY_VERSIONS.has(buf[0])) return decodeHepLegacy(buf);

  const idLength = HEP3_MAGIC.length;
  const id = buf.subarray(0, idLength);
  if (id.length < idLength) {
    const couldBeId = HEP3_MAGIC.subarray(0, id.length).equals(id) || EEP3_MAGIC.subarray(0, id.length).equals(id);
    return couldBeId ? reject('short-header', `${buf.length} bytes`) : reject('bad-magic');
  }
  if (id.equals(HEP3_MAGIC) || id.equals(EEP3_MAGIC)) return decodeHep3(buf);
  // "HEPx"/"EEPx": the HEP family, but a version this decoder does not know.
  if (id.subarray(0, 3).equals(HEP3_MAGIC.subarray(0, 3)) || id.subarray(0, 3).equals(EEP3_MAGIC.subarray(0, 3))) {
    return reject('bad-version', `id ${JSON.stringify(id.toString('latin1'))}`);
  }
  return reject('bad-magic', `first bytes ${id.toString('hex')}`);
}

/** Chunks read into the record whose values have a fixed size; their size is enforced. */
const SIZE_CHECKED: ReadonlySet<number> = new Set([
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
]);

/** What the chunks said, before the record is checked for completeness. */
interface Hep3Fields {
  family?: number;
  ipProtocol?: number;
  srcIp4?: Uint8Array;
  dstIp4?: Uint8Array;
  srcIp6?: Uint8Array;
  dstIp6?: Uint8Array;
  srcPort?: number;
  dstPort?: number;
  tsSec?: number;
  tsUsec?: number;
  protoType?: number;
  captureId?: number;
  authKey?: string;
  payload?: { bytes: Uint8Array; compressed: boolean };
  correlationId?: string;
  vlan?: number;
  nodeName?: string;
  extraCorrelation?: Record<string, string> | null;
}

function decodeHep3(buf: Buffer): HepDecodeResult {
  if (buf.length < HEP3_HEADER_BYTES) return reject('short-header', `${buf.length} bytes`);
  const total = buf.readUInt16BE(4); // spec: counts the whole packet, header included
  if (total !== buf.length) {
    return reject('length-mismatch', `header says ${total} bytes, packet has ${buf.length}`);
  }

  const f: Hep3Fields = {};
  for (let off = HEP3_HEADER_BYTES; off < buf.length; ) {
    if (buf.length - off < CHUNK_HEADER_BYTES) {
      return reject('chunk-overrun', `${buf.length - off} stray bytes at offset ${off}`);
    }
    const vendor = buf.readUInt16BE(off);
    const type = buf.readUInt16BE(off + 2);
    const length = buf.readUInt16BE(off + 4); // includes the 6-byte chunk header
    if (length < CHUNK_HEADER_BYTES || off + length > buf.length) {
      return reject('chunk-overrun', `chunk ${describeChunk(type)} at offset ${off} has length ${length}`);
    }
    const value = buf.subarray(off + CHUNK_HEADER_BYTES, off + length);
    off += length;
    if (vendor !== VENDOR.generic) continue;

    const spec = GENERIC_CHUNKS.get(type);
    if (!spec) continue;
    const size = VALUE_TYPE_SIZE[spec.type];
    if (size !== undefined && SIZE_CHECKED.has(type) && value.length !== size) {
      return reject('bad-chunk-size', `chunk ${describeChunk(type)} has ${value.length} value bytes, expected ${size}`);
    }
    readChunk(f, type, value);
  }
  return finishHep3(f);
}

function readChunk(f: Hep3Fields, type: number, value: Buffer): void {
  switch (type) {
    case CHUNK.ipFamily: f.family = value[0]; break;
    case CHUNK.ipProtocol: f.ipProtocol = value[0]; break;
    case CHUNK.srcIp4: f.srcIp4 = value; break;
    case CHUNK.dstIp4: f.dstIp4 = value; break;
    case CHUNK.srcIp6: f.srcIp6 = value; break;
    case CHUNK.dstIp6: f.dstIp6 = value; break;
    case CHUNK.srcPort: f.srcPort = value.readUInt16BE(0); break;
    case CHUNK.dstPort: f.dstPort = value.readUInt16BE(0); break;
    case CHUNK.tsSec: f.tsSec = value.readUInt32BE(0); break;
    case CHUNK.tsUsec: f.tsUsec = value.readUInt32BE(0); break;
    case CHUNK.protoType: f.protoType = value[0]; break;
    case CHUNK.captureId: f.captureId = value.readUInt32BE(0); break;
    case CHUNK.authKey: f.authKey = readChunkString(value); break;
    case CHUNK.payload: f.payload = { bytes: value, compressed: false }; break;
    case CHUNK.compressedPayload: f.payload = { bytes: value, compressed: true }; break;
    case CHUNK.correlationId: f.correlationId = readChunkString(value); break;
    case CHUNK.vlan: f.vlan = value.readUInt16BE(0); break;
    case CHUNK.nodeName: f.nodeName = readChunkString(value); break;
    // A malformed type-101 chunk is ignored (null), not a reason to refuse the packet.
    case CHUNK.extraCorrelation: f.extraCorrelation = parseExtraCorrelation(value); break;
    default: break; // known to the table but not part of HepRecord (MOS, MACs, ...)
  }
}

function finishHep3(f: Hep3Fields): HepDecodeResult {
  let family: HepRecord['family'];
  if (f.family === undefined) {
    // No 0x0001 chunk: a complete pair of address chunks tells the family.
    if (f.srcIp4 && f.dstIp4) family = 'ipv4';
    else if (f.srcIp6 && f.dstIp6) family = 'ipv6';
    else return reject('missing-addresses', `no chunk ${describeChunk(CHUNK.ipFamily)} and no complete address pair`);
  } else if (f.family === ADDRESS_FAMILY.ipv4) {
    family = 'ipv4';
  } else if (f.family === ADDRESS_FAMILY.ipv6) {
    family = 'ipv6';
  } else {
    return reject('bad-family', `family ${f.family}`);
  }

  const [src, dst] = family === 'ipv4' ? [f.srcIp4, f.dstIp4] : [f.srcIp6, f.dstIp6];
  if (!src || !dst) {
    const [srcId, dstId] = family === 'ipv4' ? [CHUNK.srcIp4, CHUNK.dstIp4] : [CHUNK.srcIp6, CHUNK.dstIp6];
    return reject('missing-addresses', `${family} needs chunks ${describeChunk(srcId)} and ${describeChunk(dstId)}`);
  }
  const format = family === 'ipv4' ? formatIpv4 : formatIpv6;

  if (!f.payload) {
    return reject('missing-payload', `no chunk ${describeChunk(CHUNK.payload)} or ${describeChunk(CHUNK.compressedPayload)}`);
  }
  let payload: Buffer;
  if (f.payload.compressed) {
    const inflated = decompressPayload(f.payload.bytes);
    if (!Buffer.isBuffer(inflated)) return inflated;
    payload = inflated;
  } else {
    payload = Buffer.from(f.payload.bytes); // a copy: the record must not pin the socket's buffer
  }
  const protoType = f.protoType ?? PROTO_TYPE.reserved;
  if (protoType === PROTO_TYPE.sip) {
    payload = unwrapOpensipsJson(payload);
    if (payload.length === 0) return reject('missing-payload', 'empty SIP payload');
  }

  return {
    ok: true,
    record: {
      version: 3,
      family,
      ipProtocol: f.ipProtocol ?? 0,
      srcIp: format(src),
      dstIp: format(dst),
      srcPort: f.srcPort ?? 0,
      dstPort: f.dstPort ?? 0,
      ...normalizeTime(f.tsSec ?? 0, f.tsUsec ?? 0),
      protoType,
      captureId: f.captureId ?? null,
      authKey: f.authKey ?? null,
      payload,
      compressed: f.payload.compressed,
      correlationId: f.correlationId ?? null,
      vlan: f.vlan ?? null,
      nodeName: f.nodeName ?? null,
      extraCorrelation: f.extraCorrelation ?? null,
    },
  };
}
