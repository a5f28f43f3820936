/**
 * Test fixtures for the HEP codec: byte tables and input factories. Imported by *.test.ts only.
 */
import { CHUNK_HEADER_BYTES, HEP3_HEADER_BYTES, HEP3_MAGIC, IP_PROTOCOL, PROTO_TYPE } from '../hep/chunks.ts';
import type { HepEncodeInput, HepRecord } from '../hep/types.ts';

/**
 * Bytes from a table written as text: hex byte pairs, and after `|` on each line a comment that
 * is ignored. Lets a fixture say what every field is.
 */
export function hexTable(table: string): Buffer {
  const hex = table
    .split('\n')
    .map((line) => line.split('|')[0])
    .join(' ')
    .replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(hex)) throw new Error(`bad hex table: ${hex}`);
  return Buffer.from(hex, 'hex');
}

/**
 * The worked example of HEP3 spec REV 37: IPv4/UDP 212.202.0.1:12010 → 82.116.0.211:5060,
 * 1313440459.120000 s, SIP, capture id 228, payload "INVITE sip:bob". Each row is one field; the
 * rows after the header are the 11 chunks: 7+7+8+8+10+10+7+10+10+10+20 = 107 bytes, + 6 = 113.
 */
export const SPEC_EXAMPLE_ROWS: readonly string[] = [
  '48 45 50 33                   | id "HEP3"',
  '00 71                         | total length 0x71 = 113',
  '00 00  00 01  00 07  02       | 0x0001 IP family: 2 = AF_INET                (7 bytes)',
  '00 00  00 02  00 07  11       | 0x0002 IP protocol: 0x11 = 17 UDP            (7)',
  '00 00  00 07  00 08  2e ea    | 0x0007 source port 0x2eea = 12010            (8)',
  '00 00  00 08  00 08  13 c4    | 0x0008 destination port 0x13c4 = 5060        (8)',
  '00 00  00 09  00 0a  4e 49 82 cb | 0x0009 seconds 0x4e4982cb = 1313440459    (10)',
  '00 00  00 0a  00 0a  00 01 d4 c0 | 0x000a microseconds 0x1d4c0 = 120000      (10)',
  '00 00  00 0b  00 07  01       | 0x000b protocol type 1 = SIP                 (7)',
  '00 00  00 0c  00 0a  00 00 00 e4 | 0x000c capture id 0xe4 = 228              (10)',
  '00 00  00 03  00 0a  d4 ca 00 01 | 0x0003 source IPv4 212.202.0.1            (10)',
  '00 00  00 04  00 0a  52 74 00 d3 | 0x0004 destination IPv4 82.116.0.211      (10)',
  '00 00  00 0f  00 14            | 0x000f payload, 6 + 14 bytes              (20)',
  '49 4e 56 49 54 45 20 73 69 70 3a 62 6f 62 | "INVITE sip:bob"',
];
export const SPEC_EXAMPLE = hexTable(SPEC_EXAMPLE_ROWS.join('\n'));

/** The record the spec example stands for. */
export const SPEC_EXAMPLE_RECORD: HepRecord = {
  version: 3,
  family: 'ipv4',
  ipProtocol: IP_PROTOCOL.udp,
  srcIp: '212.202.0.1',
  dstIp: '82.116.0.211',
  srcPort: 12010,
  dstPort: 5060,
  tsSec: 1313440459,
  tsUsec: 120000,
  protoType: PROTO_TYPE.sip,
  captureId: 228,
  authKey: null,
  payload: Buffer.from('INVITE sip:bob'),
  compressed: false,
  correlationId: null,
  vlan: null,
  nodeName: null,
  extraCorrelation: null,
};

/** Encoder input for a plausible SIP packet; override what a test is about. */
export function makeInput(overrides: Partial<HepEncodeInput> = {}): HepEncodeInput {
  return {
    ipProtocol: IP_PROTOCOL.udp,
    srcIp: '10.0.0.1',
    dstIp: '10.0.0.2',
    srcPort: 5060,
    dstPort: 5080,
    tsSec: 1_700_000_000,
    tsUsec: 123_456,
    protoType: PROTO_TYPE.sip,
    captureId: 2001,
    payload: 'OPTIONS sip:10.0.0.2 SIP/2.0\r\nCall-ID: abc@10.0.0.1\r\n\r\n',
    ...overrides,
  };
}

/** One chunk: vendor u16 | type u16 | length u16 (header + value) | value, unchecked. */
export function rawChunk(type: number, value: Buffer | string, vendor = 0): Buffer {
  const v = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const header = Buffer.alloc(CHUNK_HEADER_BYTES);
  header.writeUInt16BE(vendor, 0);
  header.writeUInt16BE(type, 2);
  header.writeUInt16BE(CHUNK_HEADER_BYTES + v.length, 4);
  return Buffer.concat([header, v]);
}

/** A HEP3 packet from chunks, with a correct total length: for packets the encoder won't build. */
export function rawPacket(...chunks: Buffer[]): Buffer {
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(HEP3_HEADER_BYTES);
  HEP3_MAGIC.copy(header);
  header.writeUInt16BE(HEP3_HEADER_BYTES + body.length, 4);
  return Buffer.concat([header, body]);
}

/** u8 / u16 / u32 big-endian values for rawChunk. */
export const be = {
  u8: (n: number) => Buffer.of(n),
  u16: (n: number) => {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(n);
    return b;
  },
  u32: (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  },
};
