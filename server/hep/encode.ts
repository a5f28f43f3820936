/**
 * HEP encoders, used by replay, the demo and tests. Pure. They throw RangeError on input that
 * cannot be encoded (bad address, number out of range, packet over 65535 bytes): their callers
 * build the input themselves, so such input is a programming error, unlike bytes off the wire.
 */
import { deflateSync, gzipSync } from 'node:zlib';
import {
  ADDRESS_FAMILY,
  CHUNK,
  CHUNK_HEADER_BYTES,
  HEP2_TIME_HDR_BYTES,
  HEP3_HEADER_BYTES,
  HEP3_MAGIC,
  HEP3_MAX_BYTES,
  HEP_LEGACY_HDR_BYTES,
  HEP_LEGACY_HDR_LEN_IPV4,
  HEP_LEGACY_HDR_LEN_IPV6,
  VENDOR,
} from './chunks.ts';
import { parseIpv4, parseIpv6 } from './inet.ts';
import type { HepEncodeInput } from './types.ts';

/**
 * Builds one HEP3 packet. Chunk order is OpenSIPS' (proto_hep hep.c): 0x0001, 0x0002, 0x0007,
 * 0x0008, 0x0009, 0x000a, 0x000b, 0x000c, then 0x0003/0x0004 or 0x0005/0x0006, then the optional
 * 0x0011, 0x000e, 0x0012, 0x0013, 101, and last the payload: 0x000f, or 0x0010 when `compress` is
 * 'gzip' (as OpenSIPS compresses) or 'zlib' (as captagent does). A null or absent optional field
 * sends no chunk.
 */
export function encodeHep3(input: HepEncodeInput): Buffer {
  const { family, src, dst } = addresses(input);
  const chunks: Buffer[] = [
    chunk(CHUNK.ipFamily, u8('ipFamily', ADDRESS_FAMILY[family])),
    chunk(CHUNK.ipProtocol, u8('ipProtocol', input.ipProtocol)),
    chunk(CHUNK.srcPort, u16('srcPort', input.srcPort)),
    chunk(CHUNK.dstPort, u16('dstPort', input.dstPort)),
    chunk(CHUNK.tsSec, u32('tsSec', input.tsSec)),
    chunk(CHUNK.tsUsec, u32('tsUsec', input.tsUsec)),
    chunk(CHUNK.protoType, u8('protoType', input.protoType)),
  ];
  if (input.captureId != null) chunks.push(chunk(CHUNK.captureId, u32('captureId', input.captureId)));
  if (family === 'ipv4') chunks.push(chunk(CHUNK.srcIp4, src), chunk(CHUNK.dstIp4, dst));
  else chunks.push(chunk(CHUNK.srcIp6, src), chunk(CHUNK.dstIp6, dst));
  if (input.correlationId != null) chunks.push(chunk(CHUNK.correlationId, utf8(input.correlationId)));
  if (input.authKey != null) chunks.push(chunk(CHUNK.authKey, utf8(input.authKey)));
  if (input.vlan != null) chunks.push(chunk(CHUNK.vlan, u16('vlan', input.vlan)));
  if (input.nodeName != null) chunks.push(chunk(CHUNK.nodeName, utf8(input.nodeName)));
  if (input.extraCorrelation != null) {
    chunks.push(chunk(CHUNK.extraCorrelation, utf8(JSON.stringify(input.extraCorrelation))));
  }
  const payload = typeof input.payload === 'string' ? utf8(input.payload) : input.payload;
  if (input.compress === 'gzip') chunks.push(chunk(CHUNK.compressedPayload, gzipSync(payload)));
  else if (input.compress === 'zlib') chunks.push(chunk(CHUNK.compressedPayload, deflateSync(payload)));
  else chunks.push(chunk(CHUNK.payload, payload));

  const total = HEP3_HEADER_BYTES + chunks.reduce((n, c) => n + c.length, 0);
  if (total > HEP3_MAX_BYTES) throw new RangeError(`HEP3 packet would be ${total} bytes, the limit is ${HEP3_MAX_BYTES}`);
  const header = Buffer.alloc(HEP3_HEADER_BYTES);
  HEP3_MAGIC.copy(header, 0);
  header.writeUInt16BE(total, 4);
  return Buffer.concat([header, ...chunks], total);
}

/** Input to the HEPv1/v2 encoders: what those formats can carry. */
export type HepLegacyEncodeInput = Pick<
  HepEncodeInput,
  'family' | 'ipProtocol' | 'srcIp' | 'dstIp' | 'srcPort' | 'dstPort' | 'payload'
> & {
  /** v2 only; default 0. */
  tsSec?: number;
  /** v2 only; default 0. */
  tsUsec?: number;
  /** v2 only, u16; default 0. */
  captureId?: number | null;
};

/** Builds a HEPv1 packet as Kamailio siptrace does (hep_version 1): header, addresses, payload. */
export function encodeHep1(input: HepLegacyEncodeInput): Buffer {
  return encodeLegacy(1, input);
}

/**
 * Builds a HEPv2 packet as Kamailio siptrace does (hep_version 2): header, addresses, then the
 * 12-byte time header with tv_sec, tv_usec and captid little-endian and 2 zero padding bytes.
 */
export function encodeHep2(input: HepLegacyEncodeInput): Buffer {
  return encodeLegacy(2, input);
}

function encodeLegacy(version: 1 | 2, input: HepLegacyEncodeInput): Buffer {
  const { family, src, dst } = addresses(input);
  const headerLength = family === 'ipv4' ? HEP_LEGACY_HDR_LEN_IPV4 : HEP_LEGACY_HDR_LEN_IPV6;
  const head = Buffer.alloc(headerLength + (version === 2 ? HEP2_TIME_HDR_BYTES : 0));
  head[0] = version; // hp_v
  head[1] = headerLength; // hp_l
  head[2] = ADDRESS_FAMILY[family]; // hp_f
  head.writeUInt8(checkRange('ipProtocol', input.ipProtocol, 0xff), 3); // hp_p
  head.writeUInt16BE(checkRange('srcPort', input.srcPort, 0xffff), 4);
  head.writeUInt16BE(checkRange('dstPort', input.dstPort, 0xffff), 6);
  src.copy(head, HEP_LEGACY_HDR_BYTES);
  dst.copy(head, HEP_LEGACY_HDR_BYTES + src.length);
  if (version === 2) {
    head.writeUInt32LE(checkRange('tsSec', input.tsSec ?? 0, 0xffffffff), headerLength);
    head.writeUInt32LE(checkRange('tsUsec', input.tsUsec ?? 0, 0xffffffff), headerLength + 4);
    head.writeUInt16LE(checkRange('captureId', input.captureId ?? 0, 0xffff), headerLength + 8);
    // bytes headerLength+10 .. +11: struct padding, left zero
  }
  const payload = typeof input.payload === 'string' ? utf8(input.payload) : input.payload;
  return Buffer.concat([head, payload]);
}

function addresses(input: Pick<HepEncodeInput, 'family' | 'srcIp' | 'dstIp'>): {
  family: 'ipv4' | 'ipv6';
  src: Buffer;
  dst: Buffer;
} {
  const family = input.family ?? (input.srcIp.includes(':') ? 'ipv6' : 'ipv4');
  const parse = family === 'ipv4' ? parseIpv4 : parseIpv6;
  const src = parse(input.srcIp);
  const dst = parse(input.dstIp);
  if (!src) throw new RangeError(`srcIp ${JSON.stringify(input.srcIp)} is not an ${family} address`);
  if (!dst) throw new RangeError(`dstIp ${JSON.stringify(input.dstIp)} is not an ${family} address`);
  return { family, src, dst };
}

/** One vendor-0 chunk: vendor u16 | type u16 | length u16 (header included) | value. */
function chunk(type: number, value: Buffer): Buffer {
  const length = CHUNK_HEADER_BYTES + value.length;
  if (length > HEP3_MAX_BYTES) throw new RangeError(`chunk 0x${type.toString(16)} would be ${length} bytes`);
  const header = Buffer.alloc(CHUNK_HEADER_BYTES);
  header.writeUInt16BE(VENDOR.generic, 0);
  header.writeUInt16BE(type, 2);
  header.writeUInt16BE(length, 4);
  return Buffer.concat([header, value]);
}

function checkRange(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer in 0..${max}, got ${value}`);
  }
  return value;
}

function u8(name: string, value: number): Buffer {
  return Buffer.of(checkRange(name, value, 0xff));
}

function u16(name: string, value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(checkRange(name, value, 0xffff));
  return b;
}

function u32(name: string, value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(checkRange(name, value, 0xffffffff));
  return b;
}

function utf8(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}
