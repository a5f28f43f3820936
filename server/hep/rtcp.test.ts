import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hexTable } from '../testing/hep.ts';
import { decodeRtcp, encodeRtcp, rtcpToJson, type RtcpPacket } from './rtcp.ts';

/**
 * A compound packet as an RTP stack sends it at the end of a call (RFC 3550 §6.1: SR, SDES, BYE),
 * the SR carrying one reception report on the other side's stream.
 */
const COMPOUND = hexTable(`
81 c8 00 0c   | SR: V=2 P=0 RC=1, PT=200, length 12 words (52 bytes)
2b 7c 1f 0e   |   SSRC of sender 0x2b7c1f0e
e9 0d 4a 80   |   NTP timestamp, seconds
40 00 00 00   |   NTP timestamp, fraction (0.25 s)
00 01 f4 00   |   RTP timestamp 128000
00 00 01 f4   |   sender's packet count 500
00 01 38 80   |   sender's octet count 80000
5e 0b 3d 11   |   report block: SSRC_1 0x5e0b3d11
1a 00 00 33   |     fraction lost 26/256, cumulative lost 51
00 01 12 34   |     extended highest sequence 70196
00 00 00 a0   |     interarrival jitter 160 (20 ms at 8 kHz)
4a 80 20 00   |     LSR
00 00 80 00   |     DLSR 0x8000 = 0.5 s
81 ca 00 06   | SDES: SC=1, PT=202, length 6 words
2b 7c 1f 0e   |   chunk SSRC
01 0f 61 6c   |   CNAME, 15 bytes: "al
69 63 65 40   |   ice@
31 30 2e 30   |   10.0
2e 31 2e 31   |   .1.1
30 00 00 00   |   0", null item, padding
81 cb 00 03   | BYE: SC=1, PT=203, length 3 words
2b 7c 1f 0e   |   SSRC
06 68 61 6e   |   reason, 6 bytes: "han
67 75 70 00   |   gup", padding
`);

const PACKETS: RtcpPacket[] = [
  {
    type: 'sr', ssrc: 0x2b7c1f0e,
    sender: { ntpSec: 0xe90d4a80, ntpFrac: 0x40000000, rtpTs: 128000, packets: 500, octets: 80000 },
    reports: [{ ssrc: 0x5e0b3d11, fractionLost: 26, packetsLost: 51, highestSeq: 70196, jitter: 160, lsr: 0x4a802000, dlsr: 0x8000 }],
  },
  { type: 'sdes', chunks: [{ ssrc: 0x2b7c1f0e, items: [{ type: 1, text: 'alice@10.0.1.10' }] }] },
  { type: 'bye', ssrcs: [0x2b7c1f0e], reason: 'hangup' },
];

describe('RTCP compound packets (RFC 3550)', () => {
  it('decodes SR, SDES and BYE with every field', () => {
    expect(decodeRtcp(COMPOUND)).toEqual({ ok: true, packets: PACKETS });
  });

  it('encodes the same packets to the same bytes', () => {
    expect(encodeRtcp(PACKETS).equals(COMPOUND)).toBe(true);
  });

  it('round-trips any receiver report', () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const block = fc.record({
      ssrc: u32, fractionLost: fc.integer({ min: 0, max: 255 }), packetsLost: fc.integer({ min: -0x800000, max: 0x7fffff }),
      highestSeq: u32, jitter: u32, lsr: u32, dlsr: u32,
    });
    fc.assert(fc.property(u32, fc.array(block, { maxLength: 31 }), (ssrc, reports) => {
      const p: RtcpPacket[] = [{ type: 'rr', ssrc, reports }];
      expect(decodeRtcp(encodeRtcp(p))).toEqual({ ok: true, packets: p });
    }));
  });

  it('reads a negative cumulative loss (duplicates) as signed 24 bits', () => {
    const p: RtcpPacket[] = [{ type: 'rr', ssrc: 1, reports: [{ ssrc: 2, fractionLost: 0, packetsLost: -3, highestSeq: 1, jitter: 0, lsr: 0, dlsr: 0 }] }];
    const r = decodeRtcp(encodeRtcp(p));
    expect(r.ok && r.packets[0].type === 'rr' && r.packets[0].reports[0].packetsLost).toBe(-3);
  });

  it('names what is wrong with a malformed packet', () => {
    expect(decodeRtcp(Buffer.from([0x81]))).toEqual({ ok: false, reason: 'rtcp-short' });
    expect(decodeRtcp(Buffer.from([0x41, 0xc8, 0x00, 0x00]))).toEqual({ ok: false, reason: 'rtcp-bad-version' });
    expect(decodeRtcp(COMPOUND.subarray(0, 40))).toEqual({ ok: false, reason: 'rtcp-length-overrun' });
    // RC says 2 blocks, the length holds one.
    const twoBlocks = Buffer.from(COMPOUND.subarray(0, 52));
    twoBlocks[0] = 0x82;
    expect(decodeRtcp(twoBlocks)).toEqual({ ok: false, reason: 'rtcp-count-overrun' });
    expect(decodeRtcp(COMPOUND.subarray(52, 80))).toEqual({ ok: false, reason: 'rtcp-not-report' });
  });

  it('never throws on random bytes: each input decodes or is rejected by name', () => {
    const reasons = new Set(['rtcp-short', 'rtcp-bad-version', 'rtcp-length-overrun', 'rtcp-count-overrun', 'rtcp-not-report']);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (a) => {
      const r = decodeRtcp(Buffer.from(a));
      if (!r.ok) expect(reasons.has(r.reason)).toBe(true);
    }), { numRuns: 2000 });
  });

  it('writes the JSON heplify stores in hep_proto_5_default', () => {
    expect(rtcpToJson(PACKETS)).toEqual({
      type: 200, ssrc: 0x2b7c1f0e, report_count: 1,
      sender_information: { ntp_timestamp_sec: 0xe90d4a80, ntp_timestamp_usec: 0x40000000, rtp_timestamp: 128000, packets: 500, octets: 80000 },
      report_blocks: [{ source_ssrc: 0x5e0b3d11, fraction_lost: 26, packets_lost: 51, highest_seq_no: 70196, ia_jitter: 160, lsr: 0x4a802000, dlsr: 0x8000 }],
      sdes_ssrc: 0x2b7c1f0e,
    });
  });
});
