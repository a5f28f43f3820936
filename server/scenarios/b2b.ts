/**
 * Back-to-back user agents: each leg has its own Call-ID, tied by a B2B key, a header or a suffix.
 *
 * queue:     caller → OpenSIPS call_center/b2b ─► media server (welcome), media server (queue music), agent
 * b2b:       Alice → OpenSIPS b2b_logic ─► carrier                (0x0011 = the B2B key on both legs)
 * loop:      Alice → proxy → media server (B2B) → proxy → Bob     (X-CID on the looped leg)
 * suffix:    Alice → B2BUA ─► carrier, B-leg Call-ID "<A>_b2b-1"  (hepgen.js b2bcall style)
 */
import { kamailioTracer, opensipsTracer, ScenarioBuilder } from './builder.ts';
import { Dialog } from './dialog.ts';
import { AGENT, finish, node, office } from './nodes.ts';
import type { Scenario } from './types.ts';

export const queueCall: Scenario = {
  name: 'queue',
  title: 'Call queue: media-server playback legs, then the agent',
  description: 'A customer calls support; OpenSIPS call_center (b2b_logic, traced with scope "b" and the caller\'s Call-ID forced '
    + 'as correlation id) plays the welcome message and the queue music from a media server, then bridges an agent.',
  build(base) {
    const caller = node('Customer', '198.51.100.77', AGENT.asterisk);
    const cc = node('Call center', '10.0.0.5', AGENT.opensips);
    const ms = node('Media server', '10.0.0.30', AGENT.freeswitch);
    const agent = node('Agent', '10.0.3.40', AGENT.yealink);
    const b = new ScenarioBuilder(base, 401, []);
    const ids = [b.callId(caller), b.callId(cc), b.callId(cc), b.callId(cc)];
    b.tracers.push(opensipsTracer(cc, 1, { forced: () => ids[0] }));
    const inbound = new Dialog(b, { callId: ids[0], path: [caller, cc], sides: ['caller'], from: { user: '4155550101' }, to: { user: 'support' } });
    const welcome = new Dialog(b, { callId: ids[1], path: [cc, ms], sides: ['callee'], from: { user: 'support' }, to: { user: 'queue-welcome' } });
    const music = new Dialog(b, { callId: ids[2], path: [cc, ms], sides: ['callee'], from: { user: 'support' }, to: { user: 'queue-moh' } });
    const toAgent = new Dialog(b, { callId: ids[3], path: [cc, agent], sides: ['callee'], from: { user: '4155550101' }, to: { user: 'agent-1001' } });

    const inv = inbound.invite({ sdp: 'sendrecv' }); // 1
    inbound.respond(inv, 100, 'Trying'); // 1
    const w = welcome.invite({ sdp: 'sendrecv' }); // 1
    welcome.respond(w, 200, 'OK', { sdp: 'sendrecv' }); // 1
    welcome.ack(w); // 1
    inbound.respond(inv, 200, 'OK', { sdp: 'sendrecv' }); // 1
    inbound.ack(inv); // 1
    b.wait(8_000);
    welcome.hangup('rev'); // 2: playback done
    const m = music.invite({ sdp: 'sendrecv' }); // 1
    music.respond(m, 200, 'OK', { sdp: 'sendrecv' }); // 1
    music.ack(m); // 1
    const re1 = inbound.request('INVITE', 'rev', { sdp: 'sendrecv' }); // 1
    inbound.respond(re1, 200, 'OK', { sdp: 'sendrecv' }); // 1
    inbound.ack(re1); // 1
    b.wait(25_000);
    const a = toAgent.invite({ sdp: 'sendrecv' }); // 1
    toAgent.respond(a, 180, 'Ringing'); // 1
    b.wait(3_000);
    toAgent.respond(a, 200, 'OK', { sdp: 'sendrecv' }); // 1
    toAgent.ack(a); // 1
    music.hangup('fwd'); // 2
    const re2 = inbound.request('INVITE', 'rev', { sdp: 'sendrecv' }); // 1
    inbound.respond(re2, 200, 'OK', { sdp: 'sendrecv' }); // 1
    inbound.ack(re2); // 1
    b.wait(120_000);
    inbound.hangup('fwd'); // 2
    toAgent.hangup('fwd'); // 2
    return finish(b, {
      groups: [{
        callIds: ids,
        legs: [
          { callId: ids[0], role: 'b2b-inbound', linkRules: [] },
          { callId: ids[1], role: 'media-server', linkRules: ['hep-correlation-id'] },
          { callId: ids[2], role: 'media-server', linkRules: ['hep-correlation-id'] },
          { callId: ids[3], role: 'b2b-outbound', linkRules: ['hep-correlation-id'] },
        ],
      }],
      // 2 + 3 + 2 + 2 + 3 + 3 + 4 + 2 + 3 + 2 + 2
      messageCount: 28,
    }, [cc, ms]);
  },
};

/** A→box→carrier B2B call: invite, 183 early media, 200, ACKs, BYE from the caller. 14 messages. */
function b2bCall(b: ScenarioBuilder, inbound: Dialog, outbound: Dialog): void {
  const inv1 = inbound.invite({ sdp: 'sendrecv' });
  inbound.respond(inv1, 100, 'Trying');
  const inv2 = outbound.invite({ sdp: 'sendrecv' });
  outbound.respond(inv2, 100, 'Trying');
  b.wait(900);
  outbound.respond(inv2, 183, 'Session Progress', { sdp: 'sendrecv' });
  inbound.respond(inv1, 183, 'Session Progress', { sdp: 'sendrecv' });
  b.wait(4_000);
  outbound.respond(inv2, 200, 'OK', { sdp: 'sendrecv' });
  outbound.ack(inv2);
  inbound.respond(inv1, 200, 'OK', { sdp: 'sendrecv' });
  inbound.ack(inv1);
  b.wait(95_000);
  inbound.hangup('fwd');
  outbound.hangup('fwd');
}

export const b2bKey: Scenario = {
  name: 'b2b',
  title: 'B2B call, legs correlated by the B2B key',
  description: 'OpenSIPS b2b_logic bridges Alice to a carrier; trace(...,"b",...,$var(b2b_key)) forces the B2B key as 0x0011 on '
    + 'every message of both legs, whose Call-IDs differ.',
  build(base) {
    const { alice } = office();
    const box = node('B2BUA', '10.0.0.6', AGENT.opensips);
    const carrier = node('Carrier', '203.0.113.50', AGENT.carrier);
    const b = new ScenarioBuilder(base, 402, []);
    const key = `B2B.${b.int(100, 999)}.${b.int(1_000_000, 9_999_999)}.${Math.floor(base / 1_000_000)}`;
    b.tracers.push(opensipsTracer(box, 3, { forced: () => key }));
    const a = new Dialog(b, { callId: b.callId(alice), path: [alice, box], sides: ['caller'], from: { user: 'alice', display: 'Alice' }, to: { user: '442079460000' } });
    const c = new Dialog(b, { callId: b.callId(box), path: [box, carrier], sides: ['callee'], from: { user: 'alice' }, to: { user: '442079460000' } });
    b2bCall(b, a, c);
    return finish(b, {
      groups: [{
        callIds: [a.callId, c.callId],
        legs: [
          { callId: a.callId, role: 'b2b-inbound', linkRules: [] },
          { callId: c.callId, role: 'b2b-outbound', linkRules: ['hep-correlation-id'] },
        ],
      }],
      messageCount: 14,
    }, [box, carrier]);
  },
};

export const b2bSuffix: Scenario = {
  name: 'b2b-suffix',
  title: 'B2B call with the "_b2b-1" Call-ID suffix',
  description: 'A B2BUA in the style of hepgen.js config/b2bcall.js: the B-leg Call-ID is the A-leg\'s plus "_b2b-1" and every '
    + 'packet carries the A-leg Call-ID as 0x0011.',
  build(base) {
    const { alice } = office();
    const box = node('B2BUA', '10.0.0.7', AGENT.freeswitch);
    const carrier = node('Carrier', '203.0.113.60', AGENT.carrier);
    const b = new ScenarioBuilder(base, 403, []);
    const aId = b.callId(alice);
    b.tracers.push(opensipsTracer(box, 2001, { forced: () => aId }));
    const a = new Dialog(b, { callId: aId, path: [alice, box], sides: ['caller'], from: { user: 'alice', display: 'Alice' }, to: { user: '15550100' } });
    const c = new Dialog(b, { callId: `${aId}_b2b-1`, path: [box, carrier], sides: ['callee'], from: { user: 'alice' }, to: { user: '15550100' } });
    b2bCall(b, a, c);
    return finish(b, {
      groups: [{
        callIds: [a.callId, c.callId],
        legs: [
          { callId: a.callId, role: 'b2b-inbound', linkRules: [] },
          { callId: c.callId, role: 'b2b-outbound', linkRules: ['b2b-suffix', 'hep-correlation-id'] },
        ],
      }],
      messageCount: 14,
    }, [box, carrier]);
  },
};

export const mediaServerLoop: Scenario = {
  name: 'media-server-loop',
  title: 'Call looped through an external media server acting as B2B',
  description: 'Kamailio (trace_mode=1, no 0x0011) sends Alice\'s call to a FreeSWITCH media server (recording), which places the '
    + 'onward call back through Kamailio to Bob with X-CID naming the first Call-ID.',
  build(base) {
    const { alice, bob } = office();
    const proxy = node('Main proxy', '10.0.0.5', AGENT.kamailio);
    const ms = node('Media server', '10.0.0.30', AGENT.freeswitch);
    const b = new ScenarioBuilder(base, 404, [kamailioTracer(proxy, 2001)]);
    const first = new Dialog(b, { callId: b.callId(alice), path: [alice, proxy, ms], sides: ['caller', 'callee'], from: { user: 'alice', display: 'Alice' }, to: { user: 'bob' } });
    const looped = new Dialog(b, { callId: b.callId(ms), path: [ms, proxy, bob], sides: ['caller', 'callee'], from: { user: 'alice', display: 'Alice' }, to: { user: 'bob' },
      headers: [`X-CID: ${first.callId}`] });
    const inv1 = first.invite({ sdp: 'sendrecv' }); // 3
    const inv2 = looped.invite({ sdp: 'sendrecv' }); // 3
    b.wait(50);
    looped.respond(inv2, 180, 'Ringing'); // 2
    first.respond(inv1, 180, 'Ringing'); // 2
    b.wait(3_000);
    looped.respond(inv2, 200, 'OK', { sdp: 'sendrecv' }); // 2
    looped.ack(inv2); // 2
    first.respond(inv1, 200, 'OK', { sdp: 'sendrecv' }); // 2
    first.ack(inv1); // 2
    b.wait(70_000);
    first.hangup('fwd'); // 4
    looped.hangup('fwd'); // 4
    return finish(b, {
      groups: [{
        callIds: [first.callId, looped.callId],
        legs: [
          { callId: first.callId, role: 'original', linkRules: [] },
          { callId: looped.callId, role: 'media-server', linkRules: ['header'] },
        ],
      }],
      messageCount: 26,
    }, [proxy, ms]);
  },
};
