import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EEP3_MAGIC, HEP3_MAGIC, PROTO_TYPE } from './chunks.ts';
import { decodeHep } from './decode.ts';
import { encodeHep1, encodeHep2, encodeHep3 } from './encode.ts';
import { HepStreamFramer } from './framing.ts';
import { formatIpv4, formatIpv6, parseIpv6 } from './inet.ts';
import type { HepDecodeResult, HepEncodeInput, HepRecord, HepRejection } from './types.ts';

const REASONS: ReadonlySet<HepRejection> = new Set<HepRejection>([
  'short-header', 'bad-magic', 'bad-version', 'length-mismatch', 'chunk-overrun', 'bad-chunk-size',
  'missing-addresses', 'missing-payload', 'bad-compression', 'decompressed-too-large', 'bad-family', 'bad-auth-key',
]);

function expectWellFormed(result: HepDecodeResult): void {
  if (result.ok) expect(Buffer.isBuffer(result.record.payload)).toBe(true);
  else expect(REASONS.has(result.reason)).toBe(true);
}

const bytes = (maxLength: number) => fc.uint8Array({ maxLength }).map((a) => Buffer.from(a));
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
/** Chunk strings: any code points, but no trailing NUL, which the decoder drops on purpose. */
const text = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.endsWith('\0'));

/** Any record the HEP3 encoder can carry, addresses already in the decoder's canonical text. */
const recordArb: fc.Arbitrary<HepRecord> = fc
  .record({
    family: fc.constantFrom('ipv4' as const, 'ipv6' as const),
    src: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    dst: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    ipProtocol: fc.integer({ min: 0, max: 255 }),
    srcPort: u16,
    dstPort: u16,
    tsSec: u32,
    tsUsec: fc.integer({ min: 0, max: 999_999 }),
    protoType: fc.oneof(fc.constant(PROTO_TYPE.sip), fc.integer({ min: 0, max: 255 })),
    captureId: fc.option(u32),
    authKey: fc.option(text),
    payload: bytes(600),
    compressed: fc.boolean(),
    correlationId: fc.option(text),
    vlan: fc.option(u16),
    nodeName: fc.option(text),
    extraCorrelation: fc.option(fc.dictionary(text, text, { maxKeys: 4, noNullPrototype: true })),
  })
  // A SIP payload must be non-empty, and one that starts with "{" may be unwrapped as OpenSIPS JSON.
  .filter((r) => r.protoType !== PROTO_TYPE.sip || (r.payload.length > 0 && r.payload[0] !== 0x7b))
  .map(({ src, dst, ...r }) => {
    const format = r.family === 'ipv4' ? (b: Uint8Array) => formatIpv4(b.subarray(0, 4)) : formatIpv6;
    return { version: 3 as const, ...r, srcIp: format(src), dstIp: format(dst) };
  });

function inputOf(record: HepRecord, compress: 'gzip' | 'zlib'): HepEncodeInput {
  const { version: _version, compressed, ...rest } = record;
  return { ...rest, compress: compressed ? compress : false };
}

describe('decodeHep under fuzzing', () => {
  it('never throws on random bytes and either decodes or names a known rejection', () => {
    fc.assert(fc.property(bytes(300), (b) => expectWellFormed(decodeHep(b))), { numRuns: 2000 });
  });

  it('never throws on random chunks behind a valid HEP3 header', () => {
    fc.assert(
      fc.property(bytes(300), fc.constantFrom(HEP3_MAGIC, EEP3_MAGIC), (body, id) => {
        const header = Buffer.alloc(6);
        id.copy(header);
        header.writeUInt16BE(6 + body.length, 4);
        expectWellFormed(decodeHep(Buffer.concat([header, body])));
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on random bytes behind a HEPv1/v2 first byte', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 2), bytes(80), (v, rest) => expectWellFormed(decodeHep(Buffer.concat([Buffer.of(v), rest])))),
      { numRuns: 1000 },
    );
  });

  it('never throws on valid packets with bytes flipped, cut off or inserted', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    );
    fc.assert(
      fc.property(recordArb, fc.constantFrom('gzip' as const, 'zlib' as const), fc.array(mutation, { minLength: 1, maxLength: 4 }), (record, z, mutations) => {
        let packet = encodeHep3(inputOf(record, z));
        for (const m of mutations) {
          const at = m.at % (packet.length + 1);
          if (m.kind === 'flip' && at < packet.length) packet[at] = m.value;
          else if (m.kind === 'cut') packet = packet.subarray(0, at);
          else if (m.kind === 'insert') packet = Buffer.concat([packet.subarray(0, at), Buffer.of(m.value), packet.subarray(at)]);
        }
        expectWellFormed(decodeHep(packet));
      }),
      { numRuns: 1000 },
    );
  });

  it('with an auth key and a small inflate bound, accepts a record exactly when its key matches and its payload fits', () => {
    fc.assert(
      fc.property(recordArb, fc.constantFrom('gzip' as const, 'zlib' as const), text, fc.boolean(), fc.integer({ min: 1, max: 700 }), (record, z, other, same, max) => {
        // Half the time the record's own key (when it has one), so that acceptance is exercised too.
        const key = same && record.authKey !== null ? record.authKey : other;
        const result = decodeHep(encodeHep3(inputOf(record, z)), { authKey: key, maxDecompressedBytes: max });
        expectWellFormed(result);
        if (record.authKey !== key) expect(result).toMatchObject({ ok: false, reason: 'bad-auth-key' });
        else if (record.compressed && record.payload.length > max) expect(result).toMatchObject({ ok: false, reason: 'decompressed-too-large' });
        else expect(result).toEqual({ ok: true, record });
      }),
      { numRuns: 500 },
    );
  });

  it('decodes what encodeHep3 wrote back into the same record', () => {
    fc.assert(
      fc.property(recordArb, fc.constantFrom('gzip' as const, 'zlib' as const), (record, z) => {
        expect(decodeHep(encodeHep3(inputOf(record, z)))).toEqual({ ok: true, record });
      }),
      { numRuns: 500 },
    );
  });

  it('decodes what encodeHep2 and encodeHep1 wrote back into the same fields', () => {
    fc.assert(
      fc.property(recordArb, fc.boolean(), (r, v2) => {
        const captureId = (r.captureId ?? 0) & 0xffff; // v2 captid is a u16
        const payload = r.payload.length > 0 ? r.payload : Buffer.from('x');
        const input = { ...r, payload, captureId };
        const result = decodeHep(v2 ? encodeHep2(input) : encodeHep1(input));
        expect(result).toMatchObject({
          ok: true,
          record: {
            version: v2 ? 2 : 1, family: r.family, srcIp: r.srcIp, dstIp: r.dstIp, srcPort: r.srcPort, dstPort: r.dstPort,
            ipProtocol: r.ipProtocol, tsSec: v2 ? r.tsSec : 0, tsUsec: v2 ? r.tsUsec : 0, captureId: v2 ? captureId : null, payload,
          },
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('IPv6 text under fuzzing', () => {
  it('parses any RFC 4291 text form, and its RFC 5952 text parses to the same bytes', () => {
    fc.assert(
      fc.property(fc.ipV6(), (textForm) => {
        const parsed = parseIpv6(textForm);
        expect(parsed).not.toBeNull();
        expect(parseIpv6(formatIpv6(parsed!))).toEqual(parsed);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('HepStreamFramer under fuzzing', () => {
  /** Garbage that holds no id, so each run of it costs exactly one resync. */
  const garbage = bytes(60).filter((g) => g.indexOf(HEP3_MAGIC) < 0 && g.indexOf(EEP3_MAGIC) < 0);

  it('yields the same frames and rejections however the stream is split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(garbage, recordArb), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (parts, cutSeeds) => {
          const packets = parts.map(([, r]) => encodeHep3(inputOf(r, 'gzip')));
          const stream = Buffer.concat(parts.flatMap(([g], i) => [g, packets[i]]));
          const cuts = [...new Set(cutSeeds.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const pieces = [0, ...cuts].map((from, i) => stream.subarray(from, [...cuts, stream.length][i]));

          const framer = new HepStreamFramer();
          const frames: Buffer[] = [];
          let rejections = 0;
          for (const piece of pieces) {
            const out = framer.push(piece);
            frames.push(...out.frames);
            rejections += out.rejections.length;
            expect(framer.pending).toBeLessThanOrEqual(HepStreamFramer.MAX_HELD_BYTES);
          }
          expect(frames.map((f) => f.toString('hex'))).toEqual(packets.map((p) => p.toString('hex')));
          expect(rejections).toBe(parts.filter(([g]) => g.length > 0).length);
          expect(framer.pending).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws and stays bounded on random bytes split at random points', () => {
    fc.assert(
      fc.property(fc.array(bytes(200), { maxLength: 10 }), (pieces) => {
        const framer = new HepStreamFramer();
        for (const piece of pieces) {
          framer.push(piece);
          expect(framer.pending).toBeLessThanOrEqual(HepStreamFramer.MAX_HELD_BYTES);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
