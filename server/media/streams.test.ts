import { describe, expect, it } from 'vitest';
import { audioOf, isPrivate, mediaStreams, reportStats, rttFromLsr, type LegReport, type LegSdp } from './streams.ts';

const sdp = (ip: string, port: number, formats: string, extra = ''): string =>
  `v=0\r\no=- 1 1 IN IP4 ${ip}\r\ns=-\r\nc=IN IP4 ${ip}\r\nt=0 0\r\nm=audio ${port} RTP/AVP ${formats}\r\na=rtpmap:101 telephone-event/8000\r\n${extra}`;

const report = (leg: number, srcIp: string, srcPort: number, over: Partial<LegReport['stats']> = {}): LegReport => ({
  leg, srcIp, srcPort, stats: { ssrc: 1, jitterMs: 2, fractionLost: 0, packetsLost: 0, rttMs: null, mos: 4.4, ...over },
});

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
    offer: audioOf(sdp('10.0.1.10', 30000, '8 0'), 8000), offerSignalIp: '10.0.1.10',
    answer: audioOf(sdp('10.0.2.20', 40000, '8'), 8000), answerSignalIp: '10.0.2.20',
  };

  it('gives each direction its codec, addresses and report summary', () => {
    const streams = mediaStreams([leg], [
      report(0, '10.0.2.20', 40001, { ssrc: 5, jitterMs: 4, packetsLost: 10, mos: 4 }),
      report(0, '10.0.2.20', 40001, { ssrc: 5, jitterMs: 8, packetsLost: 30, mos: 3 }),
    ]);
    expect(streams).toEqual([
      { leg: 0, direction: 'caller-to-callee', ssrc: 5, src: '10.0.1.10:30000', dst: '10.0.2.20:40000', codec: 'PCMA', reports: 2, packetsLost: 30, jitterMaxMs: 8, jitterMeanMs: 6, rttMs: null, mos: 3.5, flags: [] },
      { leg: 0, direction: 'callee-to-caller', ssrc: null, src: '10.0.2.20:40000', dst: '10.0.1.10:30000', codec: 'PCMA', reports: 0, packetsLost: null, jitterMaxMs: null, jitterMeanMs: null, rttMs: null, mos: null, flags: ['no-rtcp'] },
    ]);
  });

  it('flags hold, a private SDP address behind public signalling, and a codec the offer did not have', () => {
    const held: LegSdp = {
      leg: 1,
      offer: audioOf(sdp('192.168.1.5', 30000, '0', 'a=sendonly\r\n'), 8000), offerSignalIp: '203.0.113.5',
      answer: audioOf(sdp('198.51.100.7', 40000, '18'), 8000), answerSignalIp: '198.51.100.7',
    };
    const [toCallee, toCaller] = mediaStreams([held], []);
    expect(toCallee.flags).toEqual(['no-rtcp', 'private-sdp', 'codec-mismatch']);
    expect(toCaller.flags).toEqual(['no-rtcp', 'sendonly', 'codec-mismatch']);
  });

  it('keeps a report no SDP explains as a stream of its own', () => {
    const [, , extra] = mediaStreams([leg], [report(0, '10.9.9.9', 5005, { ssrc: 77 })]);
    expect(extra).toMatchObject({ leg: 0, direction: 'unknown', ssrc: 77, dst: '10.9.9.9:5005', reports: 1 });
  });

  it('knows private address ranges', () => {
    for (const ip of ['10.1.2.3', '172.20.0.1', '192.168.0.1', '100.64.0.1', 'fd00::1']) expect(isPrivate(ip)).toBe(true);
    for (const ip of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2001:db8::1']) expect(isPrivate(ip)).toBe(false);
  });
});
