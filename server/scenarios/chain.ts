/**
 * A chain of proxies: customer PBX → SBC → main proxy → carrier (one Call-ID, pivot = the SBC).
 *
 *   PBX 198.51.100.20 ─► SBC 10.0.0.2 ─► Main proxy 10.0.0.5 ─► Carrier 203.0.113.50
 *      caller side         callee side       callee side
 *
 * partial: the SBC traces both sides (capture id 10), the proxy only its callee side
 *          (trace(...,"c") — capture id 20): every hop is captured once.
 * full:    both trace both sides: the SBC ↔ proxy hop reaches the collector twice, from two
 *          capture ids, the proxy's copy a fraction of a millisecond after the SBC's.
 */
import { opensipsTracer, ScenarioBuilder, type Node, type Tracer } from './builder.ts';
import { Dialog } from './dialog.ts';
import { AGENT, finish, node } from './nodes.ts';
import type { Scenario, ScenarioRun } from './types.ts';

function chain(base: number, seed: number, full: boolean): ScenarioRun {
  const pbx = node('Customer PBX', '198.51.100.20', AGENT.asterisk);
  const sbc = node('SBC', '10.0.0.2', AGENT.opensipsSbc);
  const proxy = node('Main proxy', '10.0.0.5', AGENT.opensips);
  const carrier = node('Carrier', '203.0.113.50', AGENT.carrier);
  const calleeSideOnly = (from: Node, to: Node): boolean => (from === proxy && to === carrier) || (from === carrier && to === proxy);
  const tracers: Tracer[] = [opensipsTracer(sbc, 10), opensipsTracer(proxy, 20, full ? {} : { traces: calleeSideOnly })];
  const b = new ScenarioBuilder(base, seed, tracers);
  const d = new Dialog(b, { callId: b.callId(pbx), path: [pbx, sbc, proxy, carrier], sides: ['caller', 'callee', 'callee'],
    from: { user: '4155550123', domain: 'pbx.customer.example' }, to: { user: '442079460000' } });
  const inv = d.invite({ sdp: 'sendrecv' }); // 5: INVITE, 100, INVITE, 100, INVITE
  b.wait(1_200);
  d.respond(inv, 183, 'Session Progress', { sdp: 'sendrecv' }); // 3
  b.wait(5_000);
  d.respond(inv, 200, 'OK', { sdp: 'sendrecv' }); // 3
  d.ack(inv); // 3
  b.wait(180_000);
  d.hangup('fwd'); // 6
  return finish(b, {
    groups: [{ callIds: [d.callId], legs: [{ callId: d.callId, role: 'original', linkRules: [] }] }],
    messageCount: 20,
    labels: ['INVITE', '100 Trying', 'INVITE', '100 Trying', 'INVITE', '183 Session Progress', '183 Session Progress', '183 Session Progress',
      '200 OK', '200 OK', '200 OK', 'ACK', 'ACK', 'ACK', 'BYE', 'BYE', 'BYE', '200 OK', '200 OK', '200 OK'],
  }, [sbc, proxy, carrier]);
}

export const chainPartial: Scenario = {
  name: 'chain-partial',
  title: 'SBC → proxy → carrier, partial tracing (no duplicates)',
  description: 'The SBC traces both of its sides, the main proxy only its callee side, so each hop is captured exactly once.',
  build: (base) => chain(base, 501, false),
};

export const chainFull: Scenario = {
  name: 'chain-full',
  title: 'SBC → proxy → carrier, full tracing (SBC ↔ proxy hop captured twice)',
  description: 'Both servers trace both sides: the 7 messages of the SBC ↔ proxy hop arrive twice, from capture ids 10 and 20, '
    + 'a little apart, and are drawn once with both capture points.',
  build: (base) => chain(base, 502, true),
};
