import { gunzipSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CHUNK, HEP3_MAX_BYTES, PROTO_TYPE } from './chunks.ts';
import { decodeHep } from './decode.ts';
import { encodeHep3 } from './encode.ts';
import { SPEC_EXAMPLE, SPEC_EXAMPLE_RECORD, makeInput } from '../testing/hep.ts';

/** [vendor, type, value] of each chunk of a well-formed HEP3 packet, in wire order. */
function chunksOf(packet: Buffer): [number, number, Buffer][] {
  const out: [number, number, Buffer][] = [];
  for (let off = 6; off < packet.length; ) {
    const length = packet.readUInt16BE(off + 4);
    out.push([packet.readUInt16BE(off), packet.readUInt16BE(off + 2), packet.subarray(off + 6, off + length)]);
    off += length;
  }
  return out;
}

describe('encodeHep3', () => {
  it('writes the spec example byte for byte', () => {
    expect(encodeHep3(SPEC_EXAMPLE_RECORD).equals(SPEC_EXAMPLE)).toBe(true);
  });

  it('orders chunks as OpenSIPS does, optional ones before the payload', () => {
    const packet = encodeHep3(makeInput({
      correlationId: 'c@h', authKey: 'k', vlan: 3, nodeName: 'n', extraCorrelation: { net: '1' },
    }));
    expect(chunksOf(packet).map(([, type]) => type)).toEqual([
      CHUNK.ipFamily, CHUNK.ipProtocol, CHUNK.srcPort, CHUNK.dstPort, CHUNK.tsSec, CHUNK.tsUsec,
      CHUNK.protoType, CHUNK.captureId, CHUNK.srcIp4, CHUNK.dstIp4, CHUNK.correlationId, CHUNK.authKey,
      CHUNK.vlan, CHUNK.nodeName, CHUNK.extraCorrelation, CHUNK.payload,
    ]);
    expect(chunksOf(packet).every(([vendor]) => vendor === 0)).toBe(true);
  });

  it('sends IPv6 addresses in chunks 0x0005 and 0x0006, family 10', () => {
    const chunks = chunksOf(encodeHep3(makeInput({ srcIp: '::1', dstIp: '2001:db8::2', captureId: null })));
    const types = chunks.map(([, type]) => type);
    expect(types).toContain(CHUNK.srcIp6);
    expect(types).not.toContain(CHUNK.srcIp4);
    expect(types).not.toContain(CHUNK.captureId);
    expect(chunks.find(([, type]) => type === CHUNK.ipFamily)?.[2]).toEqual(Buffer.of(10));
    expect(chunks.find(([, type]) => type === CHUNK.dstIp6)?.[2].toString('hex')).toBe('20010db8000000000000000000000002');
  });

  it.each([
    ['gzip', gunzipSync],
    ['zlib', inflateSync],
  ] as const)('puts a %s-compressed payload in chunk 0x0010', (compress, inflate) => {
    const input = makeInput({ compress });
    const chunks = chunksOf(encodeHep3(input));
    const [, type, value] = chunks[chunks.length - 1];
    expect(type).toBe(CHUNK.compressedPayload);
    expect(inflate(value).toString()).toBe(input.payload);
  });

  it('round-trips a record with every optional field through decodeHep', () => {
    const input = makeInput({
      family: 'ipv6', srcIp: '2001:db8::10', dstIp: '2001:db8::20', captureId: 7, authKey: 'myHep',
      correlationId: 'a-leg@host', vlan: 100, nodeName: 'edge-1', extraCorrelation: { net: '42', sip: 'x' },
      compress: 'gzip',
    });
    expect(decodeHep(encodeHep3(input))).toEqual({
      ok: true,
      record: {
        version: 3, family: 'ipv6', ipProtocol: input.ipProtocol, srcIp: '2001:db8::10', dstIp: '2001:db8::20',
        srcPort: input.srcPort, dstPort: input.dstPort, tsSec: input.tsSec, tsUsec: input.tsUsec,
        protoType: PROTO_TYPE.sip, captureId: 7, authKey: 'myHep', payload: Buffer.from(input.payload as string),
        compressed: true, correlationId: 'a-leg@host', vlan: 100, nodeName: 'edge-1',
        extraCorrelation: { net: '42', sip: 'x' },
      },
    });
  });

  it.each([
    ['an address that is not IPv4', { srcIp: '10.0.0.300' }],
    ['an IPv6 address under family ipv4', { family: 'ipv4' as const, srcIp: '::1' }],
    ['a port over 65535', { srcPort: 70_000 }],
    ['a negative timestamp', { tsSec: -1 }],
    ['a fractional protocol type', { protoType: 1.5 }],
    ['a payload that makes the packet longer than 65535 bytes', { payload: Buffer.alloc(HEP3_MAX_BYTES) }],
  ])('throws a RangeError on %s', (_name, overrides) => {
    expect(() => encodeHep3(makeInput(overrides))).toThrow(RangeError);
  });
});
