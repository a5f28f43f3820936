import { describe, expect, it } from 'vitest';
import { itemOf } from '../correlate/items.ts';
import { rtcpToJson, type RtcpPacket, type RtcpReportBlock } from '../hep/rtcp.ts';
import { audioOf, isPrivate, mediaStreams, reportStats, rttFromLsr, type LegReport, type LegSdp, type ReportStats } from './streams.ts';

const sdp = (ip: string, port: number, formats: string, extra = ''): string =>
  `v=0\r\no=- 1 1 IN IP4 ${ip}\r\ns=-\r\nc=IN IP4 ${ip}\r\nt=0 0\r\nm=audio ${port} RTP/AVP ${formats}\r\na=rtpmap:101 telephone-event/8000\r\n${extra}`;

let reportSeq = 0;
const report = (leg: number, srcIp: string, srcPort: number, over: Partial<ReportStats> = {}): LegReport => ({
  leg, id: `r${++reportSeq}`, srcIp, srcPort, stats: { ssrc: 1, jitterMs: 2, fractionLost: 0, packetsLost: 0, rttMs: null, mos: 4.4, ...over }, rtcp: null,
});

/** A report block of RFC 3550 §6.4.1 as the receiver writes it: fraction lost /256, cumulative lost, extended highest seq. */
const block = (over: Partial<RtcpReportBlock> = {}): RtcpReportBlock => ({
  ssrc: 0x5e0b3d11, fractionLost: 0, packetsLost: 0, highestSeq: 1000, jitter: 40, lsr: 0, dlsr: 0, ...over,
});

/**
 * An RTCP packet as the collector stores it (heplify's JSON, rtcpToJson) read back as the group
 * view reads it (correlate/items.ts): the same fields as on the wire.
 */
function rtcp(id: string, leg: number, srcIp: string, srcPort: number, p: RtcpPacket): LegReport {
  const info = itemOf(5, JSON.stringify(rtcpToJson([p])));
  return { leg, id, srcIp, srcPort, stats: info.report && reportStats(info.report, 0, 8000, 'PCMA'), rtcp: info.rtcp };
}
/** An SR of a sender that has sent `packets` RTP packets so far, with `blocks` of what it received. */
const sr = (ssrc: number, packets: number, blocks: RtcpReportBlock[]): RtcpPacket =>
  ({ type: 'sr', ssrc, sender: { ntpSec: 3_950_000_000, ntpFrac: 0, rtpTs: packets * 160, packets, octets: packets * 160 }, reports: blocks });
const rr = (ssrc: number, blocks: RtcpReportBlock[]): RtcpPacket => ({ type: 'rr', ssrc, reports: blocks });

describe('audioOf', () => {
  it('reads the first audio stream: address, port, codec by static payload type', () => {
    expect(audioOf(sdp('10.0.1.10', 30000, '8 0 101'), 8000)).toEqual({
      ip: '10.0.1.10', port: 30000, formats: ['8', '0', '101'], codec: 'PCMA', clockHz: 8000, direction: 'sendrecv',
    });
  });

  it('names a dynamic payload type by its rtpmap and clock', () => {
    expect(audioOf(sdp('10.0.1.10', 30000, '111', 'a=rtpmap:111 opus/48000/2\r\n'), 8000)).toMatchObject({ codec: 'OPUS', clockHz: 48000 });
  });
});

describe('reportStats', () => {
  it('turns RTCP units into ms and 0–1 and estimates the MOS from the interval loss', () => {
    const s = reportStats({ ssrc: 9, jitter: 160, jitterIsMs: false, fractionLost: 26 / 256, packetsLost: 51, rttMs: null, lsr: 0, dlsr: 0, mos: null }, 0, 8000, 'PCMA');
    expect(s).toMatchObject({ ssrc: 9, jitterMs: 20, fractionLost: 0.1016, packetsLost: 51, rttMs: null });
    expect(s.mos).toBeGreaterThan(3);
    expect(s.mos).toBeLessThan(3.6);
  });

  it('computes the round trip A − LSR − DLSR from the capture time (RFC 3550 §6.4.1)', () => {
    // Capture at Unix 1764931200.5 s; the SR it refers to left 0.6 s earlier, held 0.5 s (DLSR): RTT 100 ms.
    const at = 1764931200.5e6;
    const ntp = (us: number) => {
      const sec = Math.floor(us / 1e6) + 2208988800;
      return (((sec & 0xffff) << 16) | Math.floor(((us % 1e6) / 1e6) * 65536)) >>> 0;
    };
    expect(rttFromLsr(at, ntp(at - 600_000), 0x8000)).toBeCloseTo(100, 0);
    expect(rttFromLsr(at, 0, 0)).toBeNull();
  });
});

describe('mediaStreams', () => {
  //  Alice 10.0.1.10:30000 ──INVITE (offer)──▶ Bob 10.0.2.20:40000 (answer); RTCP from each receiver's port + 1.
  const leg: LegSdp = {
    leg: 0,
    offer: audioOf(sdp('10.0.1.10', 30000, '8 0'), 8000), offerSignalIp: '10.0.1.10', offerIds: { sdp: 'invite', direction: 'invite' },
    answer: audioOf(sdp('10.0.2.20', 40000, '8'), 8000), answerSignalIp: '10.0.2.20', answerIds: { sdp: 'ok', direction: 'ok' },
  };

  it('gives each direction its codec, addresses and report summary', () => {
    const streams = mediaStreams([leg], [
      report(0, '10.0.2.20', 40001, { ssrc: 5, jitterMs: 4, packetsLost: 10, mos: 4 }),
      report(0, '10.0.2.20', 40001, { ssrc: 5, jitterMs: 8, packetsLost: 30, mos: 3 }),
    ]);
    expect(streams).toEqual([
      { leg: 0, direction: 'caller-to-callee', ssrc: 5, src: '10.0.1.10:30000', dst: '10.0.2.20:40000', codec: 'PCMA', reports: 2, packetsLost: 30, jitterMaxMs: 8, jitterMeanMs: 6, rttMs: null, mos: 3.5, flags: [], causes: [] },
      { leg: 0, direction: 'callee-to-caller', ssrc: null, src: '10.0.2.20:40000', dst: '10.0.1.10:30000', codec: 'PCMA', reports: 0, packetsLost: null, jitterMaxMs: null, jitterMeanMs: null, rttMs: null, mos: null, flags: ['no-rtcp'], causes: [{ flag: 'no-rtcp', messageId: null }] },
    ]);
  });

  it('flags hold, a private SDP address behind public signalling, and a codec the offer did not have, each on the SDP that shows it', () => {
    // The caller's INVITE offers PCMU from a private address and is held later by a re-INVITE
    // (a=sendonly); the callee's 200 answers G729, which the offer did not have.
    const held: LegSdp = {
      leg: 1,
      offer: audioOf(sdp('192.168.1.5', 30000, '0', 'a=sendonly\r\n'), 8000), offerSignalIp: '203.0.113.5', offerIds: { sdp: 'invite', direction: 'reinvite' },
      answer: audioOf(sdp('198.51.100.7', 40000, '18'), 8000), answerSignalIp: '198.51.100.7', answerIds: { sdp: 'ok', direction: 'ok' },
    };
    const [toCallee, toCaller] = mediaStreams([held], []);
    expect(toCallee.flags).toEqual(['no-rtcp', 'private-sdp', 'codec-mismatch']);
    expect(toCallee.causes).toEqual([{ flag: 'no-rtcp', messageId: null }, { flag: 'private-sdp', messageId: 'invite' }, { flag: 'codec-mismatch', messageId: 'ok' }]);
    expect(toCaller.flags).toEqual(['no-rtcp', 'sendonly', 'codec-mismatch']);
    expect(toCaller.causes).toEqual([{ flag: 'no-rtcp', messageId: null }, { flag: 'sendonly', messageId: 'reinvite' }, { flag: 'codec-mismatch', messageId: 'ok' }]);
  });

  it('keeps a report no SDP explains as a stream of its own', () => {
    const [, , extra] = mediaStreams([leg], [report(0, '10.9.9.9', 5005, { ssrc: 77 })]);
    expect(extra).toMatchObject({ leg: 0, direction: 'unknown', ssrc: 77, dst: '10.9.9.9:5005', reports: 1 });
  });

  describe('no-packets: RTCP that says a stream carried nothing', () => {
    //  Alice 10.0.1.10:30000 (offer) ⇄ Bob 10.0.2.20:40000 (answer); each sends RTCP from RTP port + 1.
    //  Alice → Bob is reported by Bob (10.0.2.20:40001), Bob → Alice by Alice (10.0.1.10:30001);
    //  an SR of Alice's also counts what Alice sent (Alice → Bob), one of Bob's what Bob sent.
    const ALICE = 0x1a2b3c4d;
    const BOB = 0xd6e7f809;
    const fromAlice = (id: string, p: RtcpPacket) => rtcp(id, 0, '10.0.1.10', 30001, p);
    const fromBob = (id: string, p: RtcpPacket) => rtcp(id, 0, '10.0.2.20', 40001, p);
    const flagsOf = (reports: LegReport[]) => mediaStreams([leg], reports).map((s) => [s.direction, s.causes]);

    it('raises nothing while both sides send and receive', () => {
      expect(flagsOf([
        fromAlice('a1', sr(ALICE, 250, [block({ ssrc: BOB, highestSeq: 1250 })])), fromBob('b1', sr(BOB, 251, [block({ ssrc: ALICE, highestSeq: 2250 })])),
        fromAlice('a2', sr(ALICE, 500, [block({ ssrc: BOB, highestSeq: 1500 })])), fromBob('b2', sr(BOB, 502, [block({ ssrc: ALICE, highestSeq: 2500 })])),
      ])).toEqual([['caller-to-callee', []], ['callee-to-caller', []]]);
    });

    it('flags the stream whose receiver sends RTCP with no reception block (RC = 0): it heard no one, on its last report', () => {
      // Alice sends (her SRs count up) and Bob hears her; Alice's SRs carry no block: Bob's RTP never reaches her.
      const reports = [
        fromAlice('a1', sr(ALICE, 250, [])), fromBob('b1', sr(BOB, 250, [block({ ssrc: ALICE, highestSeq: 2250 })])),
        fromAlice('a2', sr(ALICE, 500, [])), fromBob('b2', sr(BOB, 500, [block({ ssrc: ALICE, highestSeq: 2500 })])),
      ];
      const streams = mediaStreams([leg], reports);
      expect(streams.map((s) => [s.direction, s.causes])).toEqual([
        ['caller-to-callee', []],
        ['callee-to-caller', [{ flag: 'no-packets', messageId: 'a2' }]],
      ]);
      // Alice's reports are reports on Bob → Alice all the same: not "no-rtcp", and no figures.
      expect(streams[1]).toMatchObject({ reports: 2, ssrc: null, jitterMeanMs: null, packetsLost: null, mos: null });
      // Nor are they a stream of their own.
      expect(streams).toHaveLength(2);
    });

    it('flags the stream every report of which says all its packets were lost in the interval (fraction lost 255/256)', () => {
      const flags = flagsOf([
        fromBob('b1', rr(BOB, [block({ ssrc: ALICE, fractionLost: 255, packetsLost: 250, highestSeq: 2250 })])),
        fromBob('b2', rr(BOB, [block({ ssrc: ALICE, fractionLost: 255, packetsLost: 500, highestSeq: 2500 })])),
      ]);
      expect(flags[0]).toEqual(['caller-to-callee', [{ flag: 'no-packets', messageId: 'b2' }]]);
      // One interval in which something arrived is enough not to say "nothing".
      expect(flagsOf([
        fromBob('b1', rr(BOB, [block({ ssrc: ALICE, fractionLost: 255, packetsLost: 250, highestSeq: 2250 })])),
        fromBob('b2', rr(BOB, [block({ ssrc: ALICE, fractionLost: 128, packetsLost: 375, highestSeq: 2500 })])),
      ])[0]).toEqual(['caller-to-callee', []]);
    });

    it('flags the stream whose receiver reports the same extended highest sequence number first and last: nothing arrived since', () => {
      // RFC 3550 A.3 computes no fraction when nothing was expected, so the loss says 0 %: the sequence number tells.
      const flags = flagsOf([
        fromBob('b1', rr(BOB, [block({ ssrc: ALICE, highestSeq: 2250 })])),
        fromBob('b2', rr(BOB, [block({ ssrc: ALICE, highestSeq: 2250 })])),
        fromBob('b3', rr(BOB, [block({ ssrc: ALICE, highestSeq: 2250 })])),
      ]);
      expect(flags[0]).toEqual(['caller-to-callee', [{ flag: 'no-packets', messageId: 'b3' }]]);
      // A single report proves nothing either way.
      expect(flagsOf([fromBob('b1', rr(BOB, [block({ ssrc: ALICE, highestSeq: 2250 })]))])[0]).toEqual(['caller-to-callee', []]);
    });

    it('flags the stream whose sender\'s SR packet count is 0, or does not rise between its first and last SR, on its last SR', () => {
      // Bob sends no RTCP (no-rtcp on Alice → Bob): Alice's own SRs say she sent nothing.
      expect(flagsOf([fromAlice('a1', sr(ALICE, 0, [block({ ssrc: BOB, highestSeq: 1250 })]))])[0])
        .toEqual(['caller-to-callee', [{ flag: 'no-rtcp', messageId: null }, { flag: 'no-packets', messageId: 'a1' }]]);
      expect(flagsOf([
        fromAlice('a1', sr(ALICE, 4017, [block({ ssrc: BOB, highestSeq: 1250 })])),
        fromAlice('a2', sr(ALICE, 4017, [block({ ssrc: BOB, highestSeq: 1500 })])),
      ])[0]).toEqual(['caller-to-callee', [{ flag: 'no-rtcp', messageId: null }, { flag: 'no-packets', messageId: 'a2' }]]);
      // Still counting up: sending. An RR alone says nothing of what its sender sent.
      expect(flagsOf([
        fromAlice('a1', sr(ALICE, 4017, [block({ ssrc: BOB, highestSeq: 1250 })])),
        fromAlice('a2', sr(ALICE, 4267, [block({ ssrc: BOB, highestSeq: 1500 })])),
        fromAlice('a3', rr(ALICE, [block({ ssrc: BOB, highestSeq: 1750 })])),
      ])[0]).toEqual(['caller-to-callee', [{ flag: 'no-rtcp', messageId: null }]]);
    });

    it('reads a QoS report of 100 % loss as nothing received', () => {
      expect(flagsOf([report(0, '10.0.2.20', 40001, { fractionLost: 1 })])[0]).toEqual(['caller-to-callee', [{ flag: 'no-packets', messageId: `r${reportSeq}` }]]);
    });
  });

  it('knows private address ranges', () => {
    for (const ip of ['10.1.2.3', '172.20.0.1', '192.168.0.1', '100.64.0.1', 'fd00::1']) expect(isPrivate(ip)).toBe(true);
    for (const ip of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2001:db8::1']) expect(isPrivate(ip)).toBe(false);
  });
});
