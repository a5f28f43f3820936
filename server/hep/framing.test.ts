import { describe, expect, it } from 'vitest';
import { HEP3_MAX_BYTES } from './chunks.ts';
import { encodeHep3 } from './encode.ts';
import { SPEC_EXAMPLE, makeInput } from '../testing/hep.ts';
import { decodeHep } from './decode.ts';
import { HepStreamFramer, walkHep3Chunks, type FramerOutput } from './framing.ts';

const A = SPEC_EXAMPLE; // 113 bytes
const B = encodeHep3(makeInput({ correlationId: 'second@host' }));
const C = (() => {
  const eep = Buffer.from(encodeHep3(makeInput({ payload: 'third' })));
  eep.write('EEP3', 0, 'latin1');
  return eep;
})();

/** Feeds every piece to one framer and joins what came out. */
function feed(pieces: Buffer[], framer = new HepStreamFramer()): FramerOutput & { framer: HepStreamFramer } {
  const all: FramerOutput = { frames: [], rejections: [], skipped: 0 };
  for (const piece of pieces) {
    const out = framer.push(piece);
    all.frames.push(...out.frames);
    all.rejections.push(...out.rejections);
    all.skipped += out.skipped;
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

/** A copy of `frame` whose length field (u16 at offset 4) says `length`. */
function withLength(frame: Buffer, length: number): Buffer {
  const copy = Buffer.from(frame);
  copy.writeUInt16BE(length, 4);
  return copy;
}

/** What one framer makes of `stream` cut in two at `at`, in comparable form. */
function cutAt(stream: Buffer, at: number) {
  const { frames, rejections, skipped, framer } = feed([stream.subarray(0, at), stream.subarray(at)]);
  return { frames: hex(frames), reasons: rejections.map((r) => r.reason), skipped, pending: framer.pending };
}

describe('HepStreamFramer with a false length field', () => {
  // Each stream: A with a false length | B | C. A's chunks (SPEC_EXAMPLE) end at byte 113.
  const cases: [string, Buffer][] = [
    ['too long (A says 153: B would be swallowed)', withLength(A, A.length + 40)],
    ['too long, up to the u16 maximum', withLength(A, HEP3_MAX_BYTES)],
    ['too short, ending inside a chunk (A says 100: its payload chunk runs to 113)', withLength(A, 100)],
    ['zero', withLength(A, 0)],
  ];

  for (const [name, bad] of cases) {
    it(`refuses a length field ${name} once, drops the frame and yields the frames after it, at any split`, () => {
      const stream = Buffer.concat([bad, B, C]);
      const whole = cutAt(stream, stream.length);
      expect(whole).toEqual({ frames: hex([B, C]), reasons: ['length-mismatch'], skipped: A.length, pending: 0 });
      for (let at = 0; at <= stream.length; at++) expect(cutAt(stream, at), `split at ${at}`).toEqual(whole);
    });
  }

  it('finds a too-long length from the bytes already held, without waiting for the length it claims', () => {
    const framer = new HepStreamFramer();
    const out = framer.push(Buffer.concat([withLength(A, HEP3_MAX_BYTES), B]));
    expect(hex(out.frames)).toEqual(hex([B]));
    expect(out.rejections.map((r) => r.reason)).toEqual(['length-mismatch']);
    expect(out.skipped).toBe(A.length);
    expect(framer.pending).toBe(0);
  });

  it('finds the next frame 4 bytes into it, before a whole chunk header of it is held', () => {
    const framer = new HepStreamFramer();
    expect(framer.push(Buffer.concat([withLength(A, A.length + 40), B.subarray(0, 4)])).rejections.map((r) => r.reason)).toEqual(['length-mismatch']);
    expect(hex(framer.push(B.subarray(4)).frames)).toEqual(hex([B]));
  });

  it('cuts a frame whose too-short length ends on a chunk boundary; decodeHep refuses it and the rest resynchronises', () => {
    // A says 93: its chunks up to 0x0004 tile that exactly; the payload chunk (0x000f) is left over.
    const { frames, rejections, skipped } = feed([Buffer.concat([withLength(A, 93), B])]);
    expect(frames).toHaveLength(2);
    expect(decodeHep(frames[0])).toMatchObject({ ok: false, reason: 'missing-payload' });
    expect(frames[1].equals(B)).toBe(true);
    expect(rejections.map((r) => r.reason)).toEqual(['bad-magic']);
    expect(skipped).toBe(A.length - 93);
  });

  it('holds a frame whose chunks are consistent so far while the rest is on its way', () => {
    const framer = new HepStreamFramer();
    const out = framer.push(B.subarray(0, B.length - 3));
    expect(out).toEqual({ frames: [], rejections: [], skipped: 0 });
    expect(framer.pending).toBe(B.length - 3);
  });
});

describe('walkHep3Chunks', () => {
  it('says ok when the chunks tile the frame exactly', () => {
    expect(walkHep3Chunks(A, 0, A.length)).toEqual({ status: 'ok' });
  });

  it('says partial, with where to look next, when a chunk header is not held yet', () => {
    expect(walkHep3Chunks(A.subarray(0, 15), 0, A.length)).toEqual({ status: 'partial', next: 13 });
  });

  it('says false-length for a chunk length under 6', () => {
    const bad = Buffer.from(A);
    bad.writeUInt16BE(5, 6 + 4);
    expect(walkHep3Chunks(bad, 0, bad.length).status).toBe('false-length');
  });

  it('says false-length when 1 to 5 bytes are left after the last chunk', () => {
    for (let extra = 1; extra < 6; extra++) expect(walkHep3Chunks(Buffer.concat([A, Buffer.alloc(extra)]), 0, A.length + extra).status).toBe('false-length');
  });
});
