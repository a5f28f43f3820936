/** Random input never throws out of the capture layer: it is read, or refused with a reason. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PacketExtractor } from './extract.ts';
import { LINKTYPE } from './numbers.ts';
import { CaptureReader, NotCaptureError } from './reader.ts';
import { pcapFile, pcapngFile } from '../testing/pcap.ts';

const LINK_TYPES = Object.values(LINKTYPE);

describe('fuzz', () => {
  it('the extractor never throws on random frames of any supported link type', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LINK_TYPES), fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }), (linkType, frames) => {
        const x = new PacketExtractor({ sip: () => {}, hep: () => {} });
        frames.forEach((f, i) => x.packet({ ts: i, linkType, data: Buffer.from(f), interfaceId: 0, origLen: f.length }));
        x.finish();
      }),
      { numRuns: 500 },
    );
  });

  it('the reader never throws on random bytes after a capture header: it reads or stops with a reason', () => {
    const headers = [pcapFile({ linkType: 1, packets: [] }), pcapngFile({ sections: [{ interfaces: [{ linkType: 1 }], packets: [] }] })];
    fc.assert(
      fc.property(fc.constantFrom(...headers), fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 1, max: 64 }), (head, tail, chunk) => {
        const file = Buffer.concat([head, Buffer.from(tail)]);
        const r = new CaptureReader(() => {});
        for (let o = 0; o < file.length; o += chunk) r.push(file.subarray(o, o + chunk));
        const stop = r.end();
        if (stop) expect(stop.offset).toBeLessThanOrEqual(file.length);
      }),
      { numRuns: 500 },
    );
  });

  it('random leading bytes are refused as not a capture, or read as one', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 64 }), (bytes) => {
        const r = new CaptureReader(() => {});
        try {
          r.push(Buffer.from(bytes));
          r.end();
        } catch (err) {
          expect(err).toBeInstanceOf(NotCaptureError);
        }
      }),
    );
  });
});
