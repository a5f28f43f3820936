import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MessageMeta } from '../store/types.ts';
import { REST_REPLY_JSON, REST_REQUEST_JSON, RTPENGINE_RTCP_JSON, TRANSPORT_JSON, XLOG_JSON } from '../testing/story-fixtures.ts';
import { itemOf } from './items.ts';
import { buildStory, storyPayloadIds } from './story.ts';

let seq = 0;
function meta(over: Partial<MessageMeta>): MessageMeta {
  seq++;
  return {
    id: `m${seq}`, ts: seq * 1000, srcIp: '10.0.1.10', srcPort: 5060, dstIp: '10.0.2.20', dstPort: 5060, transport: 'udp',
    captureId: '101', hepCorrelationId: null, protoType: 1, callId: 'c1', method: null, status: null, reason: null,
    cseqNum: null, cseqMethod: null, fromUser: null, fromTag: null, toUser: null, toTag: null, ruriUser: null,
    userAgent: null, viaBranch: null, hasSdp: false, problems: null, ...over,
  };
}

describe('itemOf', () => {
  it('reads an OpenSIPS xlog line and its level', () => {
    expect(itemOf(100, XLOG_JSON)).toEqual({ kind: 'log', text: 'no route to bob: 404\n', level: 'error', httpStatus: null, report: null, rtcp: null });
  });

  it('reads a plain-text log, with a level when it starts with one', () => {
    expect(itemOf(100, 'WARNING: slow lookup')).toMatchObject({ kind: 'log', text: 'WARNING: slow lookup', level: 'warning' });
    expect(itemOf(100, 'routing to carrier B\n')).toMatchObject({ text: 'routing to carrier B', level: null });
  });

  it('reads REST first lines and a reply status, and a transport event as one line', () => {
    expect(itemOf(88, REST_REQUEST_JSON)).toMatchObject({ kind: 'rest', text: 'GET /lookup?user=bob HTTP/1.1', httpStatus: null });
    expect(itemOf(88, REST_REPLY_JSON)).toMatchObject({ kind: 'rest', text: 'HTTP/1.1 200 OK', httpStatus: 200 });
    expect(itemOf(89, TRANSPORT_JSON)).toMatchObject({ kind: 'transport', text: 'TLS ACCEPTED SUCCESS: Connection accepted...' });
  });

  it('reads the heplify RTCP fixture and a QoS report', () => {
    const heplify = '{"sender_information":{"ntp_timestamp_sec":3719322562,"ntp_timestamp_usec":3758534470,"rtp_timestamp":360902880,"packets":4017,"octets":642720},"ssrc":2543003035,"type":202,"report_count":1,"report_blocks":[{"source_ssrc":1393754395,"fraction_lost":0,"packets_lost":0,"highest_seq_no":29662,"ia_jitter":159,"lsr":0,"dlsr":0}],"report_blocks_xr":{"end_system_delay":11},"sdes_ssrc":2540000035}';
    expect(itemOf(5, heplify).report).toEqual({ ssrc: 1393754395, jitter: 159, jitterIsMs: false, fractionLost: 0, packetsLost: 0, rttMs: null, lsr: 0, dlsr: 0, mos: null });
    expect(itemOf(5, heplify).rtcp).toEqual({ senderPackets: 4017, blocks: 1, highestSeq: 29662 });
    expect(itemOf(5, RTPENGINE_RTCP_JSON).report).toMatchObject({ ssrc: 287454020, jitter: 80, fractionLost: 0.25, packetsLost: 3 });
    expect(itemOf(5, RTPENGINE_RTCP_JSON).rtcp).toEqual({ senderPackets: null, blocks: 1, highestSeq: 9 });
    expect(itemOf(34, '{"CORRELATION_ID":"c1","MOS":4.1,"JITTER":3,"PACKET_LOSS":7}').report).toMatchObject({ jitter: 3, jitterIsMs: true, packetsLost: 7, mos: 4.1 });
    expect(itemOf(35, 'VQSessionReport: CallTerm\r\nPacketLoss:NLR=5.0\r\nDelay:RTD=120 IAJ=12\r\nQualityEst:MOSCQ=3.9\r\n').report)
      .toMatchObject({ fractionLost: 0.05, rttMs: 120, jitter: 12, mos: 3.9 });
  });
});

describe('buildStory', () => {
  it('reads the payloads of non-SIP items, and per call the first and last SDP offer and answer only', () => {
    const ms = [
      meta({ method: 'INVITE' }), meta({ status: 183, hasSdp: true }), // an answer before any offer: not read
      meta({ method: 'INVITE', hasSdp: true }), meta({ protoType: 100 }), meta({ status: 200, hasSdp: true }),
      meta({ method: 'INVITE', hasSdp: true }), meta({ status: 200, hasSdp: true }), // a re-INVITE: replaced by the next
      meta({ method: 'INVITE', hasSdp: true }), meta({ status: 200, hasSdp: true }), // the last exchange
      meta({ callId: 'c2', method: 'INVITE', hasSdp: true }),
    ];
    expect(storyPayloadIds(ms).sort()).toEqual([ms[2].id, ms[3].id, ms[4].id, ms[7].id, ms[8].id, ms[9].id].sort());
  });

  it('flags the stream a hold re-INVITE stops, whoever sends it', () => {
    //  alice 10.0.1.10 ⇄ bob 10.0.2.20: INVITE/200 sendrecv, then bob re-INVITEs with a=sendonly, alice answers recvonly.
    const sdp = (ip: string, port: number, dir: string) => `X SIP/2.0\r\n\r\nv=0\r\nc=IN IP4 ${ip}\r\nm=audio ${port} RTP/AVP 0\r\na=${dir}\r\n`;
    const ms = [
      meta({ method: 'INVITE', hasSdp: true, srcIp: '10.0.1.10' }), meta({ status: 200, hasSdp: true, srcIp: '10.0.2.20' }),
      meta({ method: 'INVITE', hasSdp: true, srcIp: '10.0.2.20' }), meta({ status: 200, hasSdp: true, srcIp: '10.0.1.10' }),
    ];
    const payloads = new Map([
      [ms[0].id, sdp('10.0.1.10', 30000, 'sendrecv')], [ms[1].id, sdp('10.0.2.20', 40000, 'sendrecv')],
      [ms[2].id, sdp('10.0.2.20', 40000, 'sendonly')], [ms[3].id, sdp('10.0.1.10', 30000, 'recvonly')],
    ]);
    const { media } = buildStory(ms.map((m) => ({ m, leg: 0 })), payloads);
    expect(media.map((s) => [s.direction, s.flags])).toEqual([
      ['caller-to-callee', ['no-rtcp', 'recvonly', 'sendonly']], // alice receives only, bob sends only: alice → bob is stopped
      ['callee-to-caller', ['no-rtcp']],
    ]);
    // Each hold flag points at the message whose SDP says it: alice's 200 and bob's re-INVITE.
    expect(media[0].causes).toEqual([{ flag: 'no-rtcp', messageId: null }, { flag: 'recvonly', messageId: ms[3].id }, { flag: 'sendonly', messageId: ms[2].id }]);
  });

  it('reads an RTCP SR with no report block as a report on the stream its sender receives, which carried nothing', () => {
    //  alice 10.0.1.10:30000 ⇄ bob 10.0.2.20:40000; alice's SRs (from 30001) count what she sends and carry no block.
    const body = (ip: string, port: number) => `X SIP/2.0\r\n\r\nv=0\r\nc=IN IP4 ${ip}\r\nm=audio ${port} RTP/AVP 8\r\n`;
    const invite = meta({ method: 'INVITE', hasSdp: true });
    const ok = meta({ status: 200, hasSdp: true, srcIp: '10.0.2.20' });
    const srs = [250, 500].map(() => meta({ protoType: 5, srcIp: '10.0.1.10', srcPort: 30001 }));
    const json = (packets: number) => JSON.stringify({ type: 200, ssrc: 7, report_count: 0, report_blocks: [], sender_information: { ntp_timestamp_sec: 1, ntp_timestamp_usec: 0, rtp_timestamp: 0, packets, octets: packets * 160 } });
    const payloads = new Map([[invite.id, body('10.0.1.10', 30000)], [ok.id, body('10.0.2.20', 40000)], [srs[0].id, json(250)], [srs[1].id, json(500)]]);
    const story = buildStory([invite, ok, ...srs].map((m) => ({ m, leg: 0 })), payloads);
    expect(story.items.get(srs[1].id)).toMatchObject({ kind: 'rtcp', stats: null });
    expect(story.media.map((s) => [s.direction, s.reports, s.causes])).toEqual([
      ['caller-to-callee', 0, [{ flag: 'no-rtcp', messageId: null }]],
      ['callee-to-caller', 2, [{ flag: 'no-packets', messageId: srs[1].id }]],
    ]);
  });

  it('gives a REST reply the latency since the request of the same correlation', () => {
    const req = meta({ protoType: 88, hepCorrelationId: 'RESTCORRx', ts: 1_000_000 });
    const rpl = meta({ protoType: 88, hepCorrelationId: 'RESTCORRx', ts: 1_042_500 });
    const story = buildStory([req, rpl].map((m) => ({ m, leg: 0 })), new Map([[req.id, REST_REQUEST_JSON], [rpl.id, REST_REPLY_JSON]]));
    expect(story.items.get(req.id)).toMatchObject({ kind: 'rest', latencyMs: null });
    expect(story.items.get(rpl.id)).toMatchObject({ kind: 'rest', text: 'HTTP/1.1 200 OK', latencyMs: 42.5 });
  });

  it('gives RTCP reports figures in ms with the leg codec clock, and the leg a media summary', () => {
    const body = (ip: string, port: number) => `INVITE x SIP/2.0\r\n\r\nv=0\r\nc=IN IP4 ${ip}\r\nm=audio ${port} RTP/AVP 8\r\n`;
    const invite = meta({ method: 'INVITE', hasSdp: true });
    const ok = meta({ status: 200, hasSdp: true, srcIp: '10.0.2.20' });
    const rr = meta({ protoType: 5, srcIp: '10.0.2.20', srcPort: 40001 });
    const json = JSON.stringify({ type: 201, ssrc: 1, report_count: 1, report_blocks: [{ source_ssrc: 5, fraction_lost: 128, packets_lost: 40, highest_seq_no: 1, ia_jitter: 240, lsr: 0, dlsr: 0 }] });
    const payloads = new Map([[invite.id, body('10.0.1.10', 30000)], [ok.id, body('10.0.2.20', 40000)], [rr.id, json]]);
    const story = buildStory([invite, ok, rr].map((m) => ({ m, leg: 0 })), payloads);
    expect(story.items.get(rr.id)?.stats).toMatchObject({ ssrc: 5, jitterMs: 30, fractionLost: 0.5, packetsLost: 40 });
    expect(story.media[0]).toMatchObject({ direction: 'caller-to-callee', codec: 'PCMA', reports: 1, packetsLost: 40, jitterMaxMs: 30 });
    expect(story.media[0].mos!).toBeLessThan(2);
  });
});

describe('itemOf on hostile input', () => {
  it('never throws on random text or JSON of any type', () => {
    const text = fc.oneof(fc.string({ maxLength: 80 }), fc.json({ maxDepth: 3 }));
    fc.assert(fc.property(fc.constantFrom(5, 34, 35, 86, 88, 89, 100, 0x20, 7), text, (p, raw) => {
      const info = itemOf(p, raw);
      expect(info.kind).not.toBe('sip');
    }), { numRuns: 1000 });
  });
});
