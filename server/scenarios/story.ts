/**
 * The whole story of one call on one ladder: SIP, the SBC's script logs, its REST lookup, the TLS
 * connection's events and RTCP from both legs, one of them losing packets.
 *
 *   Alice 10.0.1.10:54321 ══TLS══► SBC 10.0.0.5:5061 │ 10.0.0.5:5060 ──► Bob 10.0.2.20
 *   (caller side)                   (OpenSIPS B2B: trace(..., "sip|xlog|rest"))   (callee side)
 *                                         │ GET /lookup?user=bob
 *                                         ▼ HTTP lookup 10.0.3.30:8080
 *
 * Non-SIP packets are written as OpenSIPS and rtpengine send them (story-fixtures.ts has the
 * byte tables): xlog and rest_client JSON from cJSON_Print with {"sip": Call-ID} as extra
 * correlation, the transport event with the connection id as 0x0011, RTCP from rtpengine
 * (--homer-protocol, JSON) on the A-leg and from a captagent (binary compound) on the B-leg.
 */
import { IP_PROTOCOL, PROTO_TYPE } from '../hep/chunks.ts';
import { encodeRtcp, rtcpToJson, type RtcpPacket } from '../hep/rtcp.ts';
import type { HepEncodeInput } from '../hep/types.ts';
import { audioOf } from '../media/streams.ts';
import { opensipsTracer, ScenarioBuilder, type Node } from './builder.ts';
import { Dialog } from './dialog.ts';
import { AGENT, finish, node } from './nodes.ts';
import type { Scenario } from './types.ts';

/** cJSON_Print of string parts, as proto_hep sends OpenSIPS payloads and extra correlations. */
export function cjsonPrint(parts: Record<string, string>): string {
  const body = Object.entries(parts).map(([k, v]) => `\t${JSON.stringify(k)}:\t${JSON.stringify(v)}`).join(',\n');
  return `{\n${body}\n}`;
}

/** The SBC's OpenSIPS capture id (hep_capture_id), and rtpengine's and the captagent's. */
const SBC_CAPTURE = 101;
const RTPENGINE_CAPTURE = 2201;
const CAPTAGENT_CAPTURE = 2301;

export const wholeStory: Scenario = {
  name: 'whole-story',
  title: 'One call with its logs, REST lookup, TLS connection and RTCP',
  description: 'Alice calls over TLS to an OpenSIPS SBC that logs, asks an HTTP service where Bob is, and calls Bob on a new leg '
    + '(X-CID). rtpengine reports RTCP of the A-leg (clean), a captagent the B-leg (8 % loss, rising jitter).',
  build(base) {
    const alice = node('Alice', '10.0.1.10', AGENT.yealink, 54321);
    const sbcTls = node('SBC', '10.0.0.5', AGENT.opensipsSbc, 5061);
    const sbc = node('SBC', '10.0.0.5', AGENT.opensipsSbc);
    const bob = node('Bob', '10.0.2.20', AGENT.polycom);
    const http: Node = node('HTTP lookup', '10.0.3.30', 'curl', 8080);
    const b = new ScenarioBuilder(base, 1501, [opensipsTracer(sbcTls, SBC_CAPTURE), opensipsTracer(sbc, SBC_CAPTURE)]);
    const a = new Dialog(b, { callId: b.callId(alice), path: [alice, sbcTls], sides: ['caller'], from: { user: 'alice', display: 'Alice' }, to: { user: 'bob' } });
    const out = new Dialog(b, { callId: b.callId(sbc), path: [sbc, bob], sides: ['callee'], from: { user: 'alice' }, to: { user: 'bob' }, headers: [`X-CID: ${a.callId}`] });
    const at = (): { tsSec: number; tsUsec: number } => {
      const ts = base + b.now();
      return { tsSec: Math.floor(ts / 1e6), tsUsec: ts % 1e6 };
    };
    const extra: HepEncodeInput[] = [];
    const opensips = (protoType: number, from: Node, to: Node, payload: string, correlationId: string, sip: string | null): void => {
      extra.push({
        ipProtocol: protoType === PROTO_TYPE.net ? IP_PROTOCOL.idp : IP_PROTOCOL.tcp, srcIp: from.ip, srcPort: from.port, dstIp: to.ip, dstPort: to.port,
        ...at(), protoType, captureId: SBC_CAPTURE, payload, correlationId, extraCorrelation: sip === null ? null : { sip },
      });
    };
    const log = (level: string, text: string): void => opensips(PROTO_TYPE.log, sbcTls, sbcTls, cjsonPrint({ Event: level, text }), a.callId, a.callId);
    const tls = (event: string, message: string): void =>
      opensips(PROTO_TYPE.net, alice, sbcTls, cjsonPrint({ Protocol: 'TLS', Event: event, Status: 'SUCCESS', Message: message }), '7', null);

    tls('ACCEPTED', 'Connection accepted...');
    b.wait(35); // TLS handshake
    const inv = a.invite({ sdp: 'sendrecv' });
    a.respond(inv, 100, 'Trying');
    log('INFO', 'new call from alice to bob over TLS\n');
    b.wait(2);
    // rest_client traces request and reply together once the reply is in: one time for both.
    const corr = 'RESTCORRBD4AAEnQMmgAAAAAAZGd5GcqwU0=';
    opensips(PROTO_TYPE.rest, sbc, http, cjsonPrint({ first_line: 'GET /lookup?user=bob HTTP/1.1' }), corr, a.callId);
    b.wait(0.04);
    opensips(PROTO_TYPE.rest, http, sbc, cjsonPrint({ first_line: 'HTTP/1.1 200 OK', payload: '{"target":"sip:bob@10.0.2.20"}' }), corr, a.callId);
    log('NOTICE', 'lookup: bob is at 10.0.2.20\n');
    const invB = out.invite({ sdp: 'sendrecv' });
    b.wait(60);
    out.respond(invB, 180, 'Ringing');
    a.respond(inv, 180, 'Ringing');
    b.wait(2500);
    out.respond(invB, 200, 'OK', { sdp: 'sendrecv' });
    out.ack(invB);
    a.respond(inv, 200, 'OK', { sdp: 'sendrecv' });
    a.ack(inv);

    // Media addresses from the SDP just sent: the receiver of a stream sends its RTCP from RTP port + 1.
    const sdpOf = (callId: string, fromIp: string) => {
      const p = b.packets.find((x) => String(x.payload).includes(`Call-ID: ${callId}`) && x.srcIp === fromIp && String(x.payload).includes('m=audio'));
      return audioOf(String(p!.payload), 8000)!;
    };
    const aliceMedia = sdpOf(a.callId, alice.ip);
    const sbcMediaA = sdpOf(a.callId, sbc.ip);
    const sbcMediaB = sdpOf(out.callId, sbc.ip);
    const bobMedia = sdpOf(out.callId, bob.ip);
    const ssrc = { alice: 0x1a2b3c4d, sbcA: 0x5e6f7081, sbcB: 0x92a3b4c5, bob: 0xd6e7f809 };
    const rr = (reporter: number, about: number, i: number, fraction: number, jitter: number, lostPerReport: number): RtcpPacket[] => [
      { type: 'rr', ssrc: reporter, reports: [{ ssrc: about, fractionLost: fraction, packetsLost: lostPerReport * (i + 1), highestSeq: 250 * (i + 1), jitter, lsr: 0, dlsr: 0 }] },
      { type: 'sdes', chunks: [{ ssrc: reporter, items: [{ type: 1, text: `${reporter.toString(16)}@hepflow.demo` }] }] },
    ];
    const report = (capture: number, from: { ip: string | null; port: number }, to: { ip: string | null; port: number }, callId: string, payload: Buffer | string): void => {
      extra.push({
        ipProtocol: IP_PROTOCOL.udp, srcIp: from.ip!, srcPort: from.port + 1, dstIp: to.ip!, dstPort: to.port + 1, ...at(),
        protoType: PROTO_TYPE.rtcp, captureId: capture, payload, correlationId: callId,
      });
    };
    for (let i = 0; i < 6; i++) {
      b.wait(5000);
      // A-leg, rtpengine (JSON): clean both ways.
      report(RTPENGINE_CAPTURE, aliceMedia, sbcMediaA, a.callId, JSON.stringify(rtcpToJson(rr(ssrc.alice, ssrc.sbcA, i, 0, 40 + i, 0))));
      report(RTPENGINE_CAPTURE, sbcMediaA, aliceMedia, a.callId, JSON.stringify(rtcpToJson(rr(ssrc.sbcA, ssrc.alice, i, 0, 32, 0))));
      // B-leg, captagent (binary): Bob loses about 8 % of what the SBC sends, jitter rising.
      report(CAPTAGENT_CAPTURE, bobMedia, sbcMediaB, out.callId, encodeRtcp(rr(ssrc.bob, ssrc.sbcB, i, 20, 160 + 80 * i, 20)));
      report(CAPTAGENT_CAPTURE, sbcMediaB, bobMedia, out.callId, encodeRtcp(rr(ssrc.sbcB, ssrc.bob, i, 0, 48, 0)));
    }
    log('WARNING', 'B-leg RTCP: 8% loss from carrier side\n');
    b.wait(1000);
    a.hangup('fwd');
    out.hangup('fwd');
    b.wait(5);
    tls('CLOSED', 'Connection closed by peer');
    // The A-leg is TLS: OpenSIPS marks it with IP protocol 22 (tracer.c pipport2su).
    for (const p of b.packets) if (p.srcPort === alice.port || p.dstPort === alice.port) p.ipProtocol = IP_PROTOCOL.idp;
    b.packets.push(...extra);
    return finish(b, {
      groups: [{
        callIds: [a.callId, out.callId],
        legs: [
          { callId: a.callId, role: 'b2b-inbound', linkRules: [] },
          { callId: out.callId, role: 'b2b-outbound', linkRules: ['header'] },
        ],
      }],
      // SIP: A-leg INVITE, 100, 180, 200, ACK, BYE, 200 (7) + B-leg INVITE, 180, 200, ACK, BYE, 200 (6);
      // 2 transport events, 3 logs, 2 REST, 24 RTCP.
      messageCount: 13 + 2 + 3 + 2 + 24,
    }, [sbc, http]);
  },
};
