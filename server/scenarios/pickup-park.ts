/**
 * Call pickup and call park / retrieve, as BLF phones do them through a proxy (pivot: the proxy).
 *
 * Pickup (IPv6 site):                      Park and retrieve:
 *   leg 1  Alice → proxy → Bob (ringing)     leg 1  Alice → proxy → Bob
 *   leg 2  Carol → proxy → Alice,            REFER Bob → Alice, Refer-To: park+701
 *          Replaces: <leg 1>;early-only      leg 2  Alice → proxy → park server (park+701)
 *   Alice CANCELs leg 1                      leg 3  Carol → proxy → Alice, Replaces: <leg 2>
 *
 * Directed pickup by dialog-event (RFC 4235) phones sends INVITE with Replaces of the early
 * dialog to the caller (RFC 3891 §3: only the UA that created an early dialog accepts its
 * replacement). Retrieval from a BLF-monitored orbit likewise replaces Alice's parked dialog.
 */
import { opensipsTracer, ScenarioBuilder } from './builder.ts';
import { Dialog } from './dialog.ts';
import { AGENT, finish, node, office } from './nodes.ts';
import { sipfrag } from './sip-text.ts';
import type { Scenario } from './types.ts';

export const callPickup: Scenario = {
  name: 'call-pickup',
  title: 'Call pickup (INVITE with Replaces of a ringing call, IPv6)',
  description: 'Alice calls Bob; while Bob rings, Carol picks the call up with an INVITE to Alice carrying Replaces ...;early-only. '
    + 'Alice accepts and cancels her ringing call to Bob. The site runs on IPv6.',
  build(base) {
    const alice = node('Alice', '2001:db8:10::10', AGENT.yealink);
    const bob = node('Bob', '2001:db8:10::20', AGENT.polycom);
    const carol = node('Carol', '2001:db8:10::30', AGENT.yealink);
    const proxy = node('Main proxy', '2001:db8::5', AGENT.opensips);
    const b = new ScenarioBuilder(base, 301, [opensipsTracer(proxy, 1)]);
    const leg1 = new Dialog(b, { callId: b.callId(alice), path: [alice, proxy, bob], sides: ['caller', 'callee'], from: { user: 'alice', display: 'Alice' }, to: { user: 'bob' } });
    const inv1 = leg1.invite({ sdp: 'sendrecv' }); // 3
    b.wait(40);
    leg1.respond(inv1, 180, 'Ringing'); // 2
    b.wait(6_000);
    const leg2 = new Dialog(b, { callId: b.callId(carol), path: [carol, proxy, alice], sides: ['caller', 'callee'], from: { user: 'carol' }, to: { user: 'alice' },
      headers: [`Replaces: ${leg1.callId};to-tag=${leg1.toTag};from-tag=${leg1.fromTag};early-only`] });
    const inv2 = leg2.invite({ sdp: 'sendrecv' }); // 3
    leg2.respond(inv2, 200, 'OK', { sdp: 'sendrecv' }); // 2
    leg2.ack(inv2); // 2
    leg1.cancel(inv1); // 8
    b.wait(45_000);
    leg2.hangup('fwd'); // 4
    return finish(b, {
      groups: [{
        callIds: [leg1.callId, leg2.callId],
        legs: [
          { callId: leg1.callId, role: 'original', linkRules: [] },
          { callId: leg2.callId, role: 'pickup', linkRules: ['replaces'] },
        ],
      }],
      messageCount: 24,
    }, [proxy]);
  },
};

export const parkRetrieve: Scenario = {
  name: 'park-retrieve',
  title: 'Call park and retrieval',
  description: 'Alice calls Bob; Bob parks her with a blind REFER to the orbit park+701; Alice calls the park server (music on hold); '
    + 'Carol, watching the orbit, retrieves the call with an INVITE to Alice that Replaces the parked dialog.',
  build(base) {
    const { alice, bob, carol, proxy } = office();
    const park = node('Park server', '10.0.0.40', AGENT.asterisk);
    const b = new ScenarioBuilder(base, 302, [opensipsTracer(proxy, 1)]);
    const leg1 = new Dialog(b, { callId: b.callId(alice), path: [alice, proxy, bob], sides: ['caller', 'callee'], from: { user: 'alice', display: 'Alice' }, to: { user: 'bob' } });
    leg1.establish(2200); // 9
    b.wait(30_000);
    const refer = leg1.request('REFER', 'rev', { headers: ['Refer-To: <sip:park+701@example.com>', 'Referred-By: <sip:bob@example.com>'] }); // 2
    leg1.respond(refer, 202, 'Accepted'); // 2
    b.wait(120);
    const leg2 = new Dialog(b, { callId: b.callId(alice), path: [alice, proxy, park], sides: ['caller', 'callee'], from: { user: 'alice', display: 'Alice' }, to: { user: 'park+701' },
      headers: ['Referred-By: <sip:bob@example.com>'] });
    const inv2 = leg2.invite({ sdp: 'sendrecv' }); // 3
    leg2.respond(inv2, 200, 'OK', { sdp: 'sendonly' }); // 2: music on hold
    leg2.ack(inv2); // 2
    const n = leg1.request('NOTIFY', 'fwd', { body: sipfrag('SIP/2.0 200 OK'), headers: ['Event: refer', 'Subscription-State: terminated;reason=noresource'] }); // 2
    leg1.respond(n, 200, 'OK'); // 2
    leg1.hangup('rev'); // 4
    b.wait(40_000);
    const leg3 = new Dialog(b, { callId: b.callId(carol), path: [carol, proxy, alice], sides: ['caller', 'callee'], from: { user: 'carol' }, to: { user: 'alice' },
      headers: [`Replaces: ${leg2.callId};to-tag=${leg2.toTag};from-tag=${leg2.fromTag}`] });
    const inv3 = leg3.invite({ sdp: 'sendrecv' }); // 3
    leg3.respond(inv3, 200, 'OK', { sdp: 'sendrecv' }); // 2
    leg3.ack(inv3); // 2
    leg2.hangup('fwd'); // 4: Alice leaves the park server
    b.wait(120_000);
    leg3.hangup('rev'); // 4
    return finish(b, {
      groups: [{
        callIds: [leg1.callId, leg2.callId, leg3.callId],
        legs: [
          { callId: leg1.callId, role: 'original', linkRules: [] },
          { callId: leg2.callId, role: 'park', linkRules: ['blind-transfer'] },
          { callId: leg3.callId, role: 'retrieve', linkRules: ['replaces'] },
        ],
      }],
      // 9 + 4 + 7 + 4 + 4 + 7 + 4 + 4
      messageCount: 43,
    }, [proxy, park]);
  },
};
