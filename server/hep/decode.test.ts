import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CHUNK, HEP3_MAGIC, IP_PROTOCOL, PROTO_TYPE, VENDOR } from './chunks.ts';
import { MAX_DECOMPRESSED_BYTES } from './payload.ts';
import { decodeHep } from './decode.ts';
import { encodeHep2, encodeHep3 } from './encode.ts';
import { SPEC_EXAMPLE, SPEC_EXAMPLE_RECORD, SPEC_EXAMPLE_ROWS, be, hexTable, makeInput, rawChunk, rawPacket } from '../testing/hep.ts';
import type { DecodeOptions, HepDecodeResult, HepRecord } from './types.ts';

function expectRecord(result: HepDecodeResult): HepRecord {
  if (!result.ok) throw new Error(`expected a record, got rejection ${result.reason}: ${result.detail}`);
  return result.record;
}

/** The chunks of a valid IPv4 SIP packet, by id, so a test can drop or replace one. */
function validChunks(): Map<number, Buffer> {
  return new Map([
    [CHUNK.ipFamily, rawChunk(CHUNK.ipFamily, be.u8(2))],
    [CHUNK.ipProtocol, rawChunk(CHUNK.ipProtocol, be.u8(IP_PROTOCOL.udp))],
    [CHUNK.srcPort, rawChunk(CHUNK.srcPort, be.u16(5060))],
    [CHUNK.dstPort, rawChunk(CHUNK.dstPort, be.u16(5070))],
    [CHUNK.tsSec, rawChunk(CHUNK.tsSec, be.u32(1_700_000_000))],
    [CHUNK.tsUsec, rawChunk(CHUNK.tsUsec, be.u32(42))],
    [CHUNK.protoType, rawChunk(CHUNK.protoType, be.u8(PROTO_TYPE.sip))],
    [CHUNK.srcIp4, rawChunk(CHUNK.srcIp4, Buffer.of(127, 0, 0, 1))],
    [CHUNK.dstIp4, rawChunk(CHUNK.dstIp4, Buffer.of(127, 0, 0, 2))],
    [CHUNK.payload, rawChunk(CHUNK.payload, 'BYE sip:x SIP/2.0\r\n\r\n')],
  ]);
}

function packetWith(edit: (chunks: Map<number, Buffer>) => void, ...extra: Buffer[]): Buffer {
  const chunks = validChunks();
  edit(chunks);
  return rawPacket(...chunks.values(), ...extra);
}

describe('decodeHep on the HEP3 spec example', () => {
  it('the example table has chunks whose sizes add up to the 113 bytes its header announces', () => {
    expect(SPEC_EXAMPLE.length).toBe(113);
    expect(SPEC_EXAMPLE.readUInt16BE(4)).toBe(113);
    const chunkSizes = SPEC_EXAMPLE_ROWS.slice(2, -1).map((row) => hexTable(row).readUInt16BE(4));
    expect(chunkSizes).toEqual([7, 7, 8, 8, 10, 10, 7, 10, 10, 10, 20]);
    expect(6 + chunkSizes.reduce((a, b) => a + b, 0)).toBe(113);
  });

  it('decodes every field of the spec example', () => {
    expect(expectRecord(decodeHep(SPEC_EXAMPLE))).toEqual(SPEC_EXAMPLE_RECORD);
  });

  it('accepts the older "EEP3" id as well as "HEP3"', () => {
    const eep = Buffer.from(SPEC_EXAMPLE);
    eep.write('EEP3', 0, 'latin1');
    expect(expectRecord(decodeHep(eep))).toEqual(SPEC_EXAMPLE_RECORD);
  });

  it('returns the payload as a view into the packet, not a copy (the hot path reads it at once)', () => {
    const packet = Buffer.from(SPEC_EXAMPLE);
    const record = expectRecord(decodeHep(packet));
    expect(record.payload.buffer).toBe(packet.buffer);
    packet.fill(0);
    expect(record.payload.toString()).not.toBe('INVITE sip:bob');
  });
});

/** A gzip bomb: 64 MiB of one byte, about 64 KiB compressed (deflate tops out near 1030:1). */
const BOMB = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x41), { level: 9 });

describe('decodeHep rejections', () => {
  const cases: [string, Buffer, string, DecodeOptions?][] = [
    ['an empty packet', Buffer.alloc(0), 'short-header'],
    ['a 5-byte HEP3 header', Buffer.from('HEP3\x00', 'latin1'), 'short-header'],
    ['2 bytes that begin "HEP3"', Buffer.from('HE', 'latin1'), 'short-header'],
    ['text that is not HEP', Buffer.from('GET / HTTP/1.1\r\n\r\n'), 'bad-magic'],
    ['3 bytes that are not an id', Buffer.from('abc'), 'bad-magic'],
    ['"HEP4"', Buffer.concat([Buffer.from('HEP4'), SPEC_EXAMPLE.subarray(4)]), 'bad-version'],
    ['a total length one short of the packet', withTotal(SPEC_EXAMPLE, 112), 'length-mismatch'],
    ['a total length past the packet', withTotal(SPEC_EXAMPLE, 200), 'length-mismatch'],
    ['a total length under the header size', withTotal(Buffer.from('HEP3\x00\x06', 'latin1'), 3), 'length-mismatch'],
    ['a chunk length under the 6-byte chunk header', packetWith(() => {}, hexTable('00 00 00 11 00 05 | vendor 0, type 0x0011, length 5: under its own header')), 'chunk-overrun'],
    ['a chunk running past the end', packetWith(() => {}, hexTable('00 00 00 11 00 20 61 62 | length 0x20 = 32, but only 8 bytes remain')), 'chunk-overrun'],
    ['3 stray bytes after the last chunk', packetWith(() => {}, hexTable('00 00 00 | half a chunk header')), 'chunk-overrun'],
    ['a 3-byte source port', packetWith((c) => c.set(CHUNK.srcPort, rawChunk(CHUNK.srcPort, Buffer.of(0, 1, 2)))), 'bad-chunk-size'],
    ['a 5-byte IPv4 address', packetWith((c) => c.set(CHUNK.srcIp4, rawChunk(CHUNK.srcIp4, Buffer.alloc(5)))), 'bad-chunk-size'],
    ['a 2-byte capture id', packetWith(() => {}, rawChunk(CHUNK.captureId, be.u16(7))), 'bad-chunk-size'],
    ['no destination address', packetWith((c) => c.delete(CHUNK.dstIp4)), 'missing-addresses'],
    ['family IPv6 with IPv4 addresses', packetWith((c) => c.set(CHUNK.ipFamily, rawChunk(CHUNK.ipFamily, be.u8(10)))), 'missing-addresses'],
    ['no family and no addresses', packetWith((c) => { c.delete(CHUNK.ipFamily); c.delete(CHUNK.srcIp4); }), 'missing-addresses'],
    ['no payload chunk', packetWith((c) => c.delete(CHUNK.payload)), 'missing-payload'],
    ['an empty SIP payload', packetWith((c) => c.set(CHUNK.payload, rawChunk(CHUNK.payload, ''))), 'missing-payload'],
    ['a compressed payload that is not deflate', packetWith((c) => c.set(CHUNK.payload, rawChunk(CHUNK.compressedPayload, Buffer.from([0x1f, 0x8b, 1, 2, 3])))), 'bad-compression'],
    ['an empty compressed payload', packetWith((c) => c.set(CHUNK.payload, rawChunk(CHUNK.compressedPayload, ''))), 'bad-compression'],
    ['family 7', packetWith((c) => c.set(CHUNK.ipFamily, rawChunk(CHUNK.ipFamily, be.u8(7)))), 'bad-family'],
    ['a gzip bomb (64 KiB expanding to 64 MiB)', packetWith((c) => c.set(CHUNK.payload, rawChunk(CHUNK.compressedPayload, BOMB))), 'decompressed-too-large'],
    ['a payload expanding one byte past the bound', packetWith((c) => c.set(CHUNK.payload, rawChunk(CHUNK.compressedPayload, deflateSync(Buffer.alloc(1001, 0x41))))), 'decompressed-too-large', { maxDecompressedBytes: 1000 }],
    ['no auth key when one is required', packetWith(() => {}), 'bad-auth-key', { authKey: 'secret' }],
    ['another auth key', packetWith(() => {}, rawChunk(CHUNK.authKey, 'guess')), 'bad-auth-key', { authKey: 'secret' }],
    ['a HEPv2 packet (no auth key chunk) when a key is required', encodeHep2(makeInput()), 'bad-auth-key', { authKey: 'secret' }],
  ];

  it.each(cases)('refuses %s as %s', (_name, packet, reason, options) => {
    const result = decodeHep(packet, options);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe(reason);
  });

  it('names every rejection reason of the contract in at least one case', () => {
    const all = ['short-header', 'bad-magic', 'bad-version', 'length-mismatch', 'chunk-overrun', 'bad-chunk-size',
      'missing-addresses', 'missing-payload', 'bad-compression', 'decompressed-too-large', 'bad-family', 'bad-auth-key'];
    expect(new Set(cases.map((c) => c[2]))).toEqual(new Set(all));
  });

  it('explains a rejection in its detail', () => {
    const result = decodeHep(withTotal(SPEC_EXAMPLE, 112));
    expect(result).toEqual({ ok: false, reason: 'length-mismatch', detail: 'header says 112 bytes, packet has 113' });
  });
});

function withTotal(packet: Buffer, total: number): Buffer {
  const copy = Buffer.from(packet);
  copy.writeUInt16BE(total, 4);
  return copy;
}

describe('decodeHep on HEP3 variants', () => {
  it('decodes IPv6 addresses into RFC 5952 text', () => {
    const packet = encodeHep3(makeInput({ srcIp: '2001:0db8:0000:0000:0000:0000:0000:0001', dstIp: 'fe80:0:0:a:0:0:0:1' }));
    const record = expectRecord(decodeHep(packet));
    expect(record).toMatchObject({ family: 'ipv6', srcIp: '2001:db8::1', dstIp: 'fe80:0:0:a::1' });
  });

  it('infers the family from the address chunks when chunk 0x0001 is missing', () => {
    const packet = packetWith((c) => c.delete(CHUNK.ipFamily));
    expect(expectRecord(decodeHep(packet))).toMatchObject({ family: 'ipv4', srcIp: '127.0.0.1' });
  });

  const sip = 'INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: zip@host\r\n\r\n';
  it.each([
    ['gzip, as OpenSIPS compresses', gzipSync(sip)],
    ['zlib, as captagent compresses', deflateSync(sip)],
    ['raw deflate', deflateRawSync(sip)],
  ])('inflates a payload compressed with %s', (_name, compressed) => {
    const packet = packetWith((c) => c.set(CHUNK.payload, rawChunk(CHUNK.compressedPayload, compressed)));
    const record = expectRecord(decodeHep(packet));
    expect(record.payload.toString()).toBe(sip);
    expect(record.compressed).toBe(true);
  });

  it('inflates a payload of exactly the bound whole', () => {
    const exact = Buffer.alloc(MAX_DECOMPRESSED_BYTES, 0x41);
    const packet = packetWith((c) => c.set(CHUNK.payload, rawChunk(CHUNK.compressedPayload, gzipSync(exact))));
    expect(expectRecord(decodeHep(packet)).payload.equals(exact)).toBe(true);
  });

  it('checks the auth key before inflating: a bomb or broken deflate from a sender without the key is refused for its key', () => {
    for (const compressed of [BOMB, Buffer.from([0x1f, 0x8b, 1, 2, 3])]) {
      const packet = packetWith((c) => c.set(CHUNK.payload, rawChunk(CHUNK.compressedPayload, compressed)), rawChunk(CHUNK.authKey, 'guess'));
      expect(decodeHep(packet, { authKey: 'secret' })).toEqual({ ok: false, reason: 'bad-auth-key', detail: 'auth key differs' });
    }
  });

  it('decodes a packet carrying the required auth key, and inflates it within the given bound', () => {
    const packet = encodeHep3(makeInput({ authKey: 'secret', payload: sip, compress: 'gzip' }));
    const record = expectRecord(decodeHep(packet, { authKey: 'secret', maxDecompressedBytes: sip.length }));
    expect(record).toMatchObject({ authKey: 'secret', compressed: true });
    expect(record.payload.toString()).toBe(sip);
    expect(decodeHep(packet, { authKey: 'secret', maxDecompressedBytes: sip.length - 1 })).toMatchObject({ ok: false, reason: 'decompressed-too-large' });
  });

  it('unwraps the {"payload": ...} JSON that OpenSIPS sends for SIP with homer5_on=0', () => {
    const wrapped = JSON.stringify({ payload: sip });
    const record = expectRecord(decodeHep(encodeHep3(makeInput({ payload: wrapped }))));
    expect(record.payload.toString()).toBe(sip);
  });

  it('keeps a JSON payload as sent when the protocol type is not SIP', () => {
    const json = JSON.stringify({ payload: 'not sip' });
    const record = expectRecord(decodeHep(encodeHep3(makeInput({ protoType: PROTO_TYPE.log, payload: json }))));
    expect(record.payload.toString()).toBe(json);
  });

  it('keeps a SIP payload that starts with "{" but is not JSON with a string payload', () => {
    for (const text of ['{not json', '{"payload":7}', '{"other":"x"}']) {
      const record = expectRecord(decodeHep(encodeHep3(makeInput({ payload: text }))));
      expect(record.payload.toString()).toBe(text);
    }
  });

  it('reads the OpenSIPS type-101 extra correlation, keeping its string values', () => {
    const packet = packetWith(() => {}, rawChunk(CHUNK.extraCorrelation, '{"net":"12345","sip":"c@h","n":7}'));
    expect(expectRecord(decodeHep(packet)).extraCorrelation).toEqual({ net: '12345', sip: 'c@h' });
  });

  it('ignores a type-101 chunk that is not a JSON object, and keeps the packet', () => {
    for (const bad of ['{"net":', '["a"]', 'null', '']) {
      const packet = packetWith(() => {}, rawChunk(CHUNK.extraCorrelation, bad));
      expect(expectRecord(decodeHep(packet)).extraCorrelation).toBeNull();
    }
  });

  it('skips vendor chunks even when their type number is a generic one', () => {
    const opensipsChunk = rawChunk(CHUNK.correlationId, 'vendor-data', VENDOR.opensips);
    const record = expectRecord(decodeHep(packetWith(() => {}, opensipsChunk)));
    expect(record.correlationId).toBeNull();
  });

  it('skips unknown generic chunks and unused ones of any size', () => {
    const unknown = rawChunk(0x0099, Buffer.alloc(9));
    const mosOfOddSize = rawChunk(CHUNK.mos, Buffer.alloc(3));
    expect(decodeHep(packetWith(() => {}, unknown, mosOfOddSize)).ok).toBe(true);
  });

  it('reads auth key, correlation id, VLAN and node name', () => {
    const packet = packetWith(
      () => {},
      rawChunk(CHUNK.authKey, 'myHep'),
      rawChunk(CHUNK.correlationId, 'a-leg@host'),
      rawChunk(CHUNK.vlan, be.u16(42)),
      rawChunk(CHUNK.nodeName, 'node1'),
      rawChunk(CHUNK.captureId, be.u32(0xdeadbeef)),
    );
    expect(expectRecord(decodeHep(packet))).toMatchObject({
      authKey: 'myHep', correlationId: 'a-leg@host', vlan: 42, nodeName: 'node1', captureId: 0xdeadbeef,
    });
  });

  it('drops the trailing NUL that C agents count in a string chunk', () => {
    const packet = packetWith(() => {}, rawChunk(CHUNK.correlationId, 'callid@h\0'));
    expect(expectRecord(decodeHep(packet)).correlationId).toBe('callid@h');
  });

  it('accepts an empty payload for a non-SIP type, as OpenSIPS control packets have', () => {
    const packet = packetWith((c) => {
      c.set(CHUNK.protoType, rawChunk(CHUNK.protoType, be.u8(PROTO_TYPE.control)));
      c.set(CHUNK.payload, rawChunk(CHUNK.payload, ''));
    }, rawChunk(CHUNK.extraCorrelation, '{"sip":"a@h","dlg":"b"}'));
    const record = expectRecord(decodeHep(packet));
    expect(record.payload.length).toBe(0);
    expect(record.extraCorrelation).toEqual({ sip: 'a@h', dlg: 'b' });
  });

  it('reads missing ports, time and protocols as 0 and missing optional fields as null', () => {
    const packet = rawPacket(
      rawChunk(CHUNK.srcIp4, Buffer.of(1, 2, 3, 4)),
      rawChunk(CHUNK.dstIp4, Buffer.of(5, 6, 7, 8)),
      rawChunk(CHUNK.payload, 'hello'),
    );
    expect(expectRecord(decodeHep(packet))).toEqual({
      version: 3, family: 'ipv4', ipProtocol: 0, srcIp: '1.2.3.4', dstIp: '5.6.7.8', srcPort: 0, dstPort: 0,
      tsSec: 0, tsUsec: 0, protoType: 0, captureId: null, authKey: null, payload: Buffer.from('hello'),
      compressed: false, correlationId: null, vlan: null, nodeName: null, extraCorrelation: null,
    });
  });

  it('carries a microsecond field of a million or more into the seconds', () => {
    const packet = packetWith((c) => c.set(CHUNK.tsUsec, rawChunk(CHUNK.tsUsec, be.u32(2_500_000))));
    expect(expectRecord(decodeHep(packet))).toMatchObject({ tsSec: 1_700_000_002, tsUsec: 500_000 });
  });

  it('keeps the last value of a chunk that appears twice', () => {
    const packet = packetWith(() => {}, rawChunk(CHUNK.dstPort, be.u16(9999)));
    expect(expectRecord(decodeHep(packet)).dstPort).toBe(9999);
  });

  it('decodes a packet that is a HEP3 header and nothing else as missing its addresses', () => {
    const packet = Buffer.concat([HEP3_MAGIC, be.u16(6)]);
    expect(decodeHep(packet)).toMatchObject({ ok: false, reason: 'missing-addresses' });
  });
});
