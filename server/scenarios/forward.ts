/**
 * Forwarded and redirected calls: the new call names no Call-ID, only the target the caller first
 * tried, so it is matched to a recent INVITE from the same caller (correlate/window.ts).
 *
 * history-info: Alice → PBX (A, to bob); PBX → Bob's phone (B) rings 20 s, is cancelled;
 *               PBX → carrier (C, to Bob's mobile) with History-Info: bob;index=1, mobile;index=1.1
 * diversion:    Alice → PBX (A, to bob); PBX → carrier at once (C) with Diversion: bob;reason=unconditional
 * redirect:     Alice → proxy → Bob (A): 302 Contact bob@198.51.100.99; Alice → proxy → that Contact (B)
 * unrelated:    the same numbers and headers, but the second call comes 65 s after the first: two groups
 */
import { kamailioTracer, ScenarioBuilder } from './builder.ts';
import { Dialog } from './dialog.ts';
import { AGENT, finish, node, office } from './nodes.ts';
import type { Scenario } from './types.ts';

const MOBILE = '447700900123';

export const forwardHistoryInfo: Scenario = {
  name: 'forward-history-info',
  title: 'Call forwarded on no answer by a PBX (History-Info)',
  description: 'Alice calls Bob through an Asterisk PBX; Bob\'s phone rings 20 s unanswered, the PBX cancels it and forwards the call '
    + 'to Bob\'s mobile over the carrier on a new Call-ID whose History-Info (RFC 7044) names bob as index 1.',
  build(base) {
    const { alice, bob } = office();
    const pbx = node('PBX', '10.0.0.8', AGENT.asterisk);
    const carrier = node('Carrier', '203.0.113.50', AGENT.carrier);
    const b = new ScenarioBuilder(base, 801, [kamailioTracer(pbx, 8)]);
    const a = new Dialog(b, { callId: b.callId(alice), path: [alice, pbx], sides: ['caller'], from: { user: 'alice', display: 'Alice' }, to: { user: 'bob' } });
    const desk = new Dialog(b, { callId: b.callId(pbx), path: [pbx, bob], sides: ['callee'], from: { user: 'alice', display: 'Alice' }, to: { user: 'bob' } });
    const mobile = new Dialog(b, { callId: b.callId(pbx), path: [pbx, carrier], sides: ['callee'], from: { user: 'alice', display: 'Alice' },
      to: { user: MOBILE, domain: 'carrier.example.net' },
      headers: [`History-Info: <sip:bob@example.com>;index=1, <sip:${MOBILE}@carrier.example.net?Reason=SIP%3Bcause%3D408>;index=1.1;mp=1`] });
    const inv1 = a.invite({ sdp: 'sendrecv' }); // 1
    a.respond(inv1, 100, 'Trying'); // 1
    const inv2 = desk.invite({ sdp: 'sendrecv' }); // 1
    desk.respond(inv2, 180, 'Ringing'); // 1
    a.respond(inv1, 180, 'Ringing'); // 1
    b.wait(20_000);
    desk.cancel(inv2); // 4: CANCEL, 200, 487, ACK
    const inv3 = mobile.invite({ sdp: 'sendrecv' }); // 1
    mobile.respond(inv3, 180, 'Ringing'); // 1
    b.wait(4_000);
    mobile.respond(inv3, 200, 'OK', { sdp: 'sendrecv' }); // 1
    mobile.ack(inv3); // 1
    a.respond(inv1, 200, 'OK', { sdp: 'sendrecv' }); // 1
    a.ack(inv1); // 1
    b.wait(60_000);
    a.hangup('fwd'); // 2
    mobile.hangup('fwd'); // 2
    return finish(b, {
      groups: [{
        callIds: [a.callId, desk.callId, mobile.callId],
        legs: [
          { callId: a.callId, role: 'original', linkRules: [] },
          { callId: desk.callId, role: 'leg', linkRules: [] },
          // Its History-Info names bob, the target of both earlier legs from alice: one call.
          { callId: mobile.callId, role: 'leg', linkRules: ['history-info'] },
        ],
      }],
      // A 7, B 6, C 6
      messageCount: 19,
    }, [pbx, carrier]);
  },
};

export const forwardDiversion: Scenario = {
  name: 'forward-diversion',
  title: 'Call forwarded unconditionally by a PBX (Diversion)',
  description: 'Alice calls Bob, who forwards all calls; the PBX places the onward call to the carrier at once, on a new Call-ID '
    + 'with Diversion: <sip:bob@example.com>;reason=unconditional (RFC 5806).',
  build(base) {
    const { alice } = office();
    const pbx = node('PBX', '10.0.0.8', AGENT.asterisk);
    const carrier = node('Carrier', '203.0.113.50', AGENT.carrier);
    const b = new ScenarioBuilder(base, 802, [kamailioTracer(pbx, 8)]);
    const a = new Dialog(b, { callId: b.callId(alice), path: [alice, pbx], sides: ['caller'], from: { user: 'alice', display: 'Alice' }, to: { user: 'bob' } });
    const out = new Dialog(b, { callId: b.callId(pbx), path: [pbx, carrier], sides: ['callee'], from: { user: 'alice', display: 'Alice' },
      to: { user: MOBILE, domain: 'carrier.example.net' },
      headers: ['Diversion: "Bob" <sip:bob@example.com>;reason=unconditional;counter=1;privacy=off'] });
    const inv1 = a.invite({ sdp: 'sendrecv' }); // 1
    a.respond(inv1, 100, 'Trying'); // 1
    const inv2 = out.invite({ sdp: 'sendrecv' }); // 1
    out.respond(inv2, 180, 'Ringing'); // 1
    a.respond(inv1, 180, 'Ringing'); // 1
    b.wait(3_000);
    out.respond(inv2, 200, 'OK', { sdp: 'sendrecv' }); // 1
    out.ack(inv2); // 1
    a.respond(inv1, 200, 'OK', { sdp: 'sendrecv' }); // 1
    a.ack(inv1); // 1
    b.wait(45_000);
    a.hangup('fwd'); // 2
    out.hangup('fwd'); // 2
    return finish(b, {
      groups: [{
        callIds: [a.callId, out.callId],
        legs: [
          { callId: a.callId, role: 'original', linkRules: [] },
          { callId: out.callId, role: 'leg', linkRules: ['diversion'] },
        ],
      }],
      // A 7, C 6
      messageCount: 13,
    }, [pbx, carrier]);
  },
};

export const redirect: Scenario = {
  name: 'redirect',
  title: 'Call redirected by a 302 and placed again to the Contact',
  description: 'Alice calls Bob through the proxy; Bob\'s phone answers 302 Moved Temporarily with Contact <sip:bob@198.51.100.99:5060> '
    + '(his softphone); Alice places a new call, on a new Call-ID, to that Contact.',
  build(base) {
    const { alice, bob, proxy } = office();
    const soft = node('Bob (softphone)', '198.51.100.99', AGENT.grandstream);
    const b = new ScenarioBuilder(base, 803, [kamailioTracer(proxy, 5)]);
    const first = new Dialog(b, { callId: b.callId(alice), path: [alice, proxy, bob], sides: ['caller', 'callee'], from: { user: 'alice', display: 'Alice' }, to: { user: 'bob' } });
    const inv = first.invite({ sdp: 'sendrecv' }); // 3: INVITE, 100, INVITE
    first.respond(inv, 302, 'Moved Temporarily', { headers: [`Contact: <sip:bob@${soft.ip}:5060>;expires=60`] }); // 4: 302 and ACK per hop
    b.wait(40);
    const again = new Dialog(b, { callId: b.callId(alice), path: [alice, proxy, soft], sides: ['caller', 'callee'], from: { user: 'alice', display: 'Alice' },
      to: { user: 'bob', domain: soft.ip } });
    again.establish(2_000); // 9
    b.wait(30_000);
    again.hangup('fwd'); // 4
    return finish(b, {
      groups: [{
        callIds: [first.callId, again.callId],
        legs: [
          { callId: first.callId, role: 'original', linkRules: [] },
          { callId: again.callId, role: 'leg', linkRules: ['redirect'] },
        ],
      }],
      messageCount: 20,
    }, [proxy]);
  },
};

export const forwardUnrelated: Scenario = {
  name: 'forward-unrelated',
  title: 'Same numbers a minute apart: not a forward, not a redirect',
  description: 'Alice calls Bob, who answers 302 to the carrier number; 65 s later Alice calls that number with Diversion and '
    + 'History-Info naming bob. Every header matches, but the second call is outside every window: two separate calls.',
  build(base) {
    const { alice, bob, proxy } = office();
    const carrier = node('Carrier', '203.0.113.50', AGENT.carrier);
    const b = new ScenarioBuilder(base, 804, [kamailioTracer(proxy, 5)]);
    const first = new Dialog(b, { callId: b.callId(alice), path: [alice, proxy, bob], sides: ['caller', 'callee'], from: { user: 'alice' }, to: { user: 'bob' } });
    const inv = first.invite({ sdp: 'sendrecv' }); // 3
    first.respond(inv, 302, 'Moved Temporarily', { headers: [`Contact: <sip:${MOBILE}@${carrier.ip}:5060>`] }); // 4
    b.wait(65_000);
    const later = new Dialog(b, { callId: b.callId(alice), path: [alice, proxy, carrier], sides: ['caller', 'callee'], from: { user: 'alice' },
      to: { user: MOBILE, domain: carrier.ip },
      headers: ['Diversion: <sip:bob@example.com>;reason=unconditional;counter=1', `History-Info: <sip:bob@example.com>;index=1, <sip:${MOBILE}@${carrier.ip}>;index=1.1`] });
    later.establish(2_000); // 9
    b.wait(20_000);
    later.hangup('fwd'); // 4
    return finish(b, {
      groups: [
        { callIds: [first.callId], legs: [{ callId: first.callId, role: 'original', linkRules: [] }] },
        { callIds: [later.callId], legs: [{ callId: later.callId, role: 'original', linkRules: [] }] },
      ],
      messageCount: 20,
    }, [proxy, carrier]);
  },
};
