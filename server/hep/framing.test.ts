import { describe, expect, it } from 'vitest';
import { HEP3_MAX_BYTES } from './chunks.ts';
import { encodeHep3 } from './encode.ts';
import { SPEC_EXAMPLE, makeInput } from './fixtures.ts';
import { HepStreamFramer, type FramerOutput } from './framing.ts';

const A = SPEC_EXAMPLE; // 113 bytes
const B = encodeHep3(makeInput({ correlationId: 'second@host' }));
const C = (() => {
  const eep = Buffer.from(encodeHep3(makeInput({ payload: 'third' })));
  eep.write('EEP3', 0, 'latin1');
  return eep;
})();

/** Feeds every piece to one framer and joins what came out. */
function feed(pieces: Buffer[], framer = new HepStreamFramer()): FramerOutput & { framer: HepStreamFramer } {
  const all: FramerOutput = { frames: [], rejections: [] };
  for (const piece of pieces) {
    const out = framer.push(piece);
    all.frames.push(...out.frames);
    all.rejections.push(...out.rejections);
  }
  return { ...all, framer };
}

const hex = (frames: Buffer[]) => frames.map((f) => f.toString('hex'));

describe('HepStreamFramer', () => {
  it('yields each of several packets that arrive in one read', () => {
    const { frames, rejections, framer } = feed([Buffer.concat([A, B, C])]);
    expect(hex(frames)).toEqual(hex([A, B, C]));
    expect(rejections).toEqual([]);
    expect(framer.pending).toBe(0);
  });

  it('yields the same two packets whatever byte offset the stream is split at', () => {
    const stream = Buffer.concat([A, B]);
    for (let at = 0; at <= stream.length; at++) {
      const { frames, rejections, framer } = feed([stream.subarray(0, at), stream.subarray(at)]);
      expect(hex(frames), `split at ${at}`).toEqual(hex([A, B]));
      expect(rejections).toEqual([]);
      expect(framer.pending).toBe(0);
    }
  });

  it('assembles a packet delivered one byte at a time', () => {
    const bytes = [...Buffer.concat([A, C])].map((b) => Buffer.of(b));
    const { frames, rejections } = feed(bytes);
    expect(hex(frames)).toEqual(hex([A, C]));
    expect(rejections).toEqual([]);
  });

  it('holds back a partial frame and reports its size as pending', () => {
    const framer = new HepStreamFramer();
    expect(framer.push(A.subarray(0, 4)).frames).toEqual([]);
    expect(framer.pending).toBe(4);
    expect(framer.push(A.subarray(4, 50)).frames).toEqual([]);
    expect(framer.pending).toBe(50);
    expect(hex(framer.push(A.subarray(50)).frames)).toEqual(hex([A]));
    expect(framer.pending).toBe(0);
  });

  it('counts one bad-magic for a run of garbage between frames and finds the next frame', () => {
    const garbage = Buffer.from('this is not HEP, it is noise of 40 bytes');
    const { frames, rejections, framer } = feed([Buffer.concat([A, garbage, B])]);
    expect(hex(frames)).toEqual(hex([A, B]));
    expect(rejections.map((r) => r.reason)).toEqual(['bad-magic']);
    expect(framer.discardedBytes).toBe(garbage.length);
  });

  it('counts garbage split over many reads once, even when a read ends in the first bytes of an id', () => {
    // stream: A | "xxxx...HE" | "P" (garbage continues) | "zz" | B, in separate reads
    const pieces = [A, Buffer.from('xxxxxxxxHE'), Buffer.from('P'), Buffer.from('zz'), B.subarray(0, 2), B.subarray(2)];
    const { frames, rejections } = feed(pieces);
    expect(hex(frames)).toEqual(hex([A, B]));
    expect(rejections.map((r) => r.reason)).toEqual(['bad-magic']);
  });

  it('resynchronises on garbage before the first frame', () => {
    const { frames, rejections } = feed([Buffer.from('\r\n\r\n'), A]);
    expect(hex(frames)).toEqual(hex([A]));
    expect(rejections.map((r) => r.reason)).toEqual(['bad-magic']);
  });

  it('refuses a length field under 6 and resynchronises past it', () => {
    const shortLength = Buffer.from('HEP3\x00\x02', 'latin1');
    const { frames, rejections } = feed([Buffer.concat([shortLength, A])]);
    expect(hex(frames)).toEqual(hex([A]));
    expect(rejections.map((r) => r.reason)).toEqual(['length-mismatch']);
  });

  it('never holds more than one frame less one byte', () => {
    const big = encodeHep3(makeInput({ payload: Buffer.alloc(HEP3_MAX_BYTES - 200, 0x61) }));
    const framer = new HepStreamFramer();
    framer.push(big.subarray(0, big.length - 1));
    expect(framer.pending).toBe(big.length - 1);
    expect(framer.pending).toBeLessThanOrEqual(HepStreamFramer.MAX_HELD_BYTES);
    expect(framer.push(big.subarray(big.length - 1)).frames).toHaveLength(1);
  });

  it('keeps at most 3 bytes while hunting through garbage for an id', () => {
    const framer = new HepStreamFramer();
    framer.push(Buffer.alloc(5000, 0x41));
    expect(framer.pending).toBeLessThanOrEqual(3);
  });

  it('returns frames that are copies, not views of the pushed buffer', () => {
    const read = Buffer.from(A);
    const [frame] = new HepStreamFramer().push(read).frames;
    read.fill(0);
    expect(frame.equals(A)).toBe(true);
  });
});
