/**
 * One-way audio at a glance: a call whose media panel raises every flag the SDP and RTCP allow
 * (server/media/streams.ts), each on the message that shows it.
 *
 *   Alice 203.0.113.10 (NAT; her SDP says 192.168.1.20) ──► SBC 198.51.100.5 (OpenSIPS B2B) ──► Carrier 198.51.100.20
 *   A-leg                                                                                        B-leg (X-CID)
 *
 *   A-leg  caller → callee  private-sdp: the INVITE's c= is private, its source public
 *          callee → caller  no-packets: Alice's SRs (a captagent on her LAN) count up but carry no
 *                           reception block; the SBC's audio goes to 192.168.1.20 and never arrives
 *   B-leg  caller → callee  no-rtcp (the carrier sends none), codec-mismatch (its 200 answers G729,
 *                           not offered), hold: the carrier's re-INVITE a=sendonly, the SBC's 200 a=recvonly
 *          callee → caller  codec-mismatch
 */
import { IP_PROTOCOL, PROTO_TYPE } from '../hep/chunks.ts';
import { encodeRtcp, rtcpToJson, type RtcpPacket, type RtcpReportBlock } from '../hep/rtcp.ts';
import type { HepEncodeInput } from '../hep/types.ts';
import { audioOf } from '../media/streams.ts';
import { opensipsTracer, ScenarioBuilder } from './builder.ts';
import { Dialog } from './dialog.ts';
import { AGENT, finish, node } from './nodes.ts';
import type { Body } from './sip-text.ts';
import type { Scenario } from './types.ts';

/** The SBC's OpenSIPS capture id, its rtpengine's, and the captagent's on Alice's LAN. */
const SBC_CAPTURE = 102;
const RTPENGINE_CAPTURE = 2202;
const LAN_CAPTAGENT_CAPTURE = 2302;
/** Alice's phone on her LAN, behind the NAT whose public address sends her SIP. */
const ALICE_LAN_IP = '192.168.1.20';
const ALICE_RTP_PORT = 16000;
const CARRIER_RTP_PORT = 20000;
/** RTP packets in 5 s of 20 ms audio: what each SR's count rises by. */
const PACKETS_PER_REPORT = 250;

/** An SDP body of one audio stream: `formats` the payload types offered, with their rtpmaps. */
function audioSdp(ip: string, port: number, formats: Record<number, string>, direction: string, version: number): Body {
  const pts = Object.keys(formats);
  const text = [
    'v=0', `o=- 4711 ${version} IN IP4 ${ip}`, 's=-', `c=IN IP4 ${ip}`, 't=0 0',
    `m=audio ${port} RTP/AVP ${pts.join(' ')}`, ...pts.map((pt) => `a=rtpmap:${pt} ${formats[Number(pt)]}`),
    'a=ptime:20', `a=${direction}`, '',
  ].join('\r\n');
  return { type: 'application/sdp', text };
}

export const oneWayAudio: Scenario = {
  name: 'one-way-audio',
  title: 'One-way audio: private SDP address, silent stream, codec mismatch, hold',
  description: 'Alice, behind a NAT, offers a private media address: the SBC\'s audio never reaches her (her RTCP says she receives '
    + 'nothing). The carrier answers G729, which was not offered, sends no RTCP, and puts the call on hold.',
  build(base) {
    const alice = node('Alice', '203.0.113.10', AGENT.yealink, 41234);
    // One SBC, two B2B legs: each leg's own RTP ports, so a node object per leg.
    const sbcA = node('SBC', '198.51.100.5', AGENT.opensipsSbc);
    const sbcB = node('SBC', '198.51.100.5', AGENT.opensipsSbc);
    const carrier = node('Carrier', '198.51.100.20', AGENT.carrier);
    const b = new ScenarioBuilder(base, 1502, [opensipsTracer(sbcA, SBC_CAPTURE), opensipsTracer(sbcB, SBC_CAPTURE)]);
    const a = new Dialog(b, { callId: b.callId(alice), path: [alice, sbcA], sides: ['caller'], from: { user: 'alice', display: 'Alice' }, to: { user: '+15550100' } });
    const out = new Dialog(b, { callId: b.callId(sbcB), path: [sbcB, carrier], sides: ['callee'], from: { user: 'alice' }, to: { user: '+15550100' }, headers: [`X-CID: ${a.callId}`] });
    const g729 = { 18: 'G729/8000', 101: 'telephone-event/8000' };

    const inv = a.invite({ body: audioSdp(ALICE_LAN_IP, ALICE_RTP_PORT, { 0: 'PCMU/8000', 8: 'PCMA/8000', 101: 'telephone-event/8000' }, 'sendrecv', 1) });
    a.respond(inv, 100, 'Trying');
    const invB = out.invite({ sdp: 'sendrecv' });
    b.wait(80);
    out.respond(invB, 180, 'Ringing');
    a.respond(inv, 180, 'Ringing');
    b.wait(3000);
    out.respond(invB, 200, 'OK', { body: audioSdp(carrier.ip, CARRIER_RTP_PORT, g729, 'sendrecv', 1) });
    out.ack(invB);
    a.respond(inv, 200, 'OK', { sdp: 'sendrecv' });
    a.ack(inv);

    // The SBC's media addresses, from the SDP it sent on each leg.
    const sdpOf = (callId: string): { ip: string; port: number } => {
      const p = b.packets.find((x) => x.srcIp === sbcA.ip && String(x.payload).includes(`Call-ID: ${callId}`) && String(x.payload).includes('m=audio'));
      const side = audioOf(String(p!.payload), 8000)!;
      return { ip: side.ip!, port: side.port };
    };
    const sbcMediaA = sdpOf(a.callId);
    const sbcMediaB = sdpOf(out.callId);
    const ssrc = { alice: 0x3c4d5e6f, sbcA: 0x708192a3, sbcB: 0x8192a3b4, carrier: 0xb4c5d6e7 };
    const extra: HepEncodeInput[] = [];
    const rtcp = (capture: number, from: { ip: string; port: number }, to: { ip: string; port: number }, callId: string, payload: Buffer | string): void => {
      const ts = base + b.now();
      extra.push({
        ipProtocol: IP_PROTOCOL.udp, srcIp: from.ip, srcPort: from.port + 1, dstIp: to.ip, dstPort: to.port + 1,
        tsSec: Math.floor(ts / 1e6), tsUsec: ts % 1e6, protoType: PROTO_TYPE.rtcp, captureId: capture, payload, correlationId: callId,
      });
    };
    /** Report i (0-based) of a sender that has sent 5 s of audio more each time. */
    const sr = (reporter: number, i: number, blocks: RtcpReportBlock[]): RtcpPacket => ({
      type: 'sr', ssrc: reporter, reports: blocks,
      sender: { ntpSec: 3_950_000_000 + i * 5, ntpFrac: 0, rtpTs: PACKETS_PER_REPORT * 160 * (i + 1), packets: PACKETS_PER_REPORT * (i + 1), octets: PACKETS_PER_REPORT * 160 * (i + 1) },
    });
    const clean = (about: number, i: number): RtcpReportBlock[] => [{ ssrc: about, fractionLost: 0, packetsLost: 0, highestSeq: 3000 + PACKETS_PER_REPORT * (i + 1), jitter: 24, lsr: 0, dlsr: 0 }];
    const aliceLan = { ip: ALICE_LAN_IP, port: ALICE_RTP_PORT };
    const carrierMedia = { ip: carrier.ip, port: CARRIER_RTP_PORT };

    for (let i = 0; i < 6; i++) {
      b.wait(5000);
      // A-leg: the SBC's rtpengine (JSON) sends and hears Alice; Alice (binary, from her LAN) sends but hears no one.
      rtcp(RTPENGINE_CAPTURE, sbcMediaA, aliceLan, a.callId, JSON.stringify(rtcpToJson([sr(ssrc.sbcA, i, clean(ssrc.alice, i))])));
      rtcp(LAN_CAPTAGENT_CAPTURE, aliceLan, sbcMediaA, a.callId, encodeRtcp([sr(ssrc.alice, i, [])]));
      // B-leg: the SBC hears the carrier (an RR: after the hold it sends nothing); the carrier sends no RTCP.
      rtcp(RTPENGINE_CAPTURE, sbcMediaB, carrierMedia, out.callId, JSON.stringify(rtcpToJson([{ type: 'rr', ssrc: ssrc.sbcB, reports: clean(ssrc.carrier, i) }])));
      if (i === 1) {
        // The carrier holds: re-INVITE a=sendonly (music on hold), the SBC answers a=recvonly.
        const hold = out.request('INVITE', 'rev', { body: audioSdp(carrier.ip, CARRIER_RTP_PORT, g729, 'sendonly', 2) });
        out.respond(hold, 200, 'OK', { sdp: 'recvonly' });
        out.ack(hold);
      }
    }
    b.wait(1000);
    a.hangup('fwd');
    out.hangup('fwd');
    b.packets.push(...extra);
    return finish(b, {
      groups: [{
        callIds: [a.callId, out.callId],
        legs: [
          { callId: a.callId, role: 'b2b-inbound', linkRules: [] },
          { callId: out.callId, role: 'b2b-outbound', linkRules: ['header'] },
        ],
      }],
      // SIP: A-leg INVITE, 100, 180, 200, ACK, BYE, 200 (7) + B-leg INVITE, 180, 200, ACK, re-INVITE, 200, ACK, BYE, 200 (9);
      // RTCP: 6 rounds of 3 reports (18).
      messageCount: 7 + 9 + 18,
    }, [sbcA]);
  },
};
