/**
 * Legs tied by a value both carry, through a box that gives each leg its own Call-ID and sends
 * no HEP correlation id (Kamailio trace_mode=1):
 *
 *   Alice ─► box ─► carrier       A-leg [alice, box], B-leg [box, carrier]
 *
 * session-id:        RFC 7989 Session-ID, the UUIDs swapping sides between requests and answers
 * session-id-nil:    two unrelated calls whose Session-ID holds only nil UUIDs: two groups
 * icid:              P-Charging-Vector icid-value, quoted on one leg and bare on the other (IMS)
 * user-rule-header:  config rule "hdap" on X-HDAP-TraceId (configured in lower case)
 * user-rule-callid:  config rule "core-id": the Call-ID regex ^(\w+)-leg\d$ captures the same core id
 * user-rule-nomatch: config rule "strict-trace" whose regex does not match either value: two groups
 * xcid-chain:        Alice ─► box 1 ─► box 2 ─► carrier, each hop's X-CID naming the previous hop's Call-ID
 */
import { kamailioTracer, ScenarioBuilder, type Node } from './builder.ts';
import { Dialog } from './dialog.ts';
import { AGENT, finish, node, office } from './nodes.ts';
import type { ExpectedGroup, Scenario, ScenarioRun } from './types.ts';

/** RFC 7989 §4.2: the nil UUID, "not known yet". */
const NIL = '0'.repeat(32);

interface LegHeaders {
  /** Extra lines on the A-leg's and B-leg's initial INVITE. */
  aInvite?: string[];
  bInvite?: string[];
  /** Extra lines on the answers (180, 200) and on the ACKs of each leg. */
  answer?: string[];
  ack?: string[];
}

/** A bridged call through `box`: 13 messages (A 7, B 6); the box routes `routeMs` before its B-leg INVITE. */
export function bridged(b: ScenarioBuilder, a: Dialog, out: Dialog, h: LegHeaders, routeMs = 0): void {
  const inv1 = a.invite({ sdp: 'sendrecv', headers: h.aInvite }); // 1
  a.respond(inv1, 100, 'Trying'); // 1
  b.wait(routeMs);
  const inv2 = out.invite({ sdp: 'sendrecv', headers: h.bInvite }); // 1
  out.respond(inv2, 180, 'Ringing', { headers: h.answer }); // 1
  a.respond(inv1, 180, 'Ringing', { headers: h.answer }); // 1
  b.wait(3_000);
  out.respond(inv2, 200, 'OK', { sdp: 'sendrecv', headers: h.answer }); // 1
  out.ack(inv2, { headers: h.ack }); // 1
  a.respond(inv1, 200, 'OK', { sdp: 'sendrecv', headers: h.answer }); // 1
  a.ack(inv1, { headers: h.ack }); // 1
  b.wait(50_000);
  a.hangup('fwd'); // 2
  out.hangup('fwd'); // 2
}

export interface Pair {
  b: ScenarioBuilder;
  box: Node;
  carrier: Node;
  a: Dialog;
  out: Dialog;
}

/** Alice → box → carrier with the given Call-IDs (random when omitted). */
function pair(base: number, seed: number, boxName: string, callIds: [string?, string?] = []): Pair {
  const { alice } = office();
  const box = node(boxName, '10.0.0.12', AGENT.freeswitch);
  const carrier = node('Carrier', '203.0.113.50', AGENT.carrier);
  const b = new ScenarioBuilder(base, seed, [kamailioTracer(box, 12)]);
  const a = new Dialog(b, { callId: callIds[0] ?? b.callId(alice), path: [alice, box], sides: ['caller'], from: { user: 'alice', display: 'Alice' }, to: { user: '15550100' } });
  const out = new Dialog(b, { callId: callIds[1] ?? b.callId(box), path: [box, carrier], sides: ['callee'], from: { user: 'alice' }, to: { user: '15550100' } });
  return { b, box, carrier, a, out };
}

/** The expectation of a linked pair: the B-leg joined by `rule`, B2B roles. */
export function linked(p: Pair, rule: ExpectedGroup['legs'][number]['linkRules'][number]): ScenarioRun {
  return finish(p.b, {
    groups: [{
      callIds: [p.a.callId, p.out.callId],
      legs: [
        { callId: p.a.callId, role: 'b2b-inbound', linkRules: [] },
        { callId: p.out.callId, role: 'b2b-outbound', linkRules: [rule] },
      ],
    }],
    messageCount: 13,
  }, [p.box, p.carrier]);
}

/** The expectation of a pair that nothing links: two groups of one leg. */
function apart(p: Pair): ScenarioRun {
  return finish(p.b, {
    groups: [p.a, p.out].map((d) => ({ callIds: [d.callId], legs: [{ callId: d.callId, role: 'original' as const, linkRules: [] }] })),
    messageCount: 13,
  }, [p.box, p.carrier]);
}

export const sessionId: Scenario = {
  name: 'session-id',
  title: 'B2BUA legs tied by RFC 7989 Session-ID',
  description: 'Alice\'s INVITE carries her UUID with a nil remote UUID, which the SBC passes on to the B-leg; the carrier answers with '
    + 'its own UUID and Alice\'s as remote, and the ACKs carry them the other way round.',
  build(base) {
    const p = pair(base, 901, 'SBC');
    const alice = p.b.hex(32);
    const carrier = p.b.hex(32);
    bridged(p.b, p.a, p.out, {
      aInvite: [`Session-ID: ${alice};remote=${NIL}`], bInvite: [`Session-ID: ${alice};remote=${NIL}`],
      answer: [`Session-ID: ${carrier};remote=${alice}`], ack: [`Session-ID: ${alice};remote=${carrier}`],
    });
    return linked(p, 'session-id');
  },
};

export const sessionIdNil: Scenario = {
  name: 'session-id-nil',
  title: 'Session-ID with nil UUIDs only: links nothing',
  description: 'The box sends Session-ID with two nil UUIDs ("not known") on both legs, and nothing else ties them: nil names no '
    + 'session, so the legs stay two calls.',
  build(base) {
    const p = pair(base, 902, 'Box without Session-ID support');
    const nil = [`Session-ID: ${NIL};remote=${NIL}`];
    bridged(p.b, p.a, p.out, { aInvite: nil, bInvite: nil, answer: nil, ack: nil });
    return apart(p);
  },
};

export const icid: Scenario = {
  name: 'icid',
  title: 'IMS legs tied by the P-Charging-Vector icid-value',
  description: 'An IMS application server bridges two legs; the only value they share is the icid-value of P-Charging-Vector '
    + '(RFC 7315), quoted on the A-leg, bare and followed by other parameters on the B-leg.',
  build(base) {
    const p = pair(base, 903, 'IMS AS');
    const id = `AyretyU0dm+6O2IrT5tAFrbHLso=${p.b.int(100_000_000, 999_999_999)}`;
    bridged(p.b, p.a, p.out, {
      aInvite: [`P-Charging-Vector: icid-value="${id}";orig-ioi=home1.net`],
      bInvite: [`P-Charging-Vector: icid-value=${id};icid-generated-at=192.0.2.8;orig-ioi=home1.net;term-ioi=carrier.net`],
    });
    return linked(p, 'icid');
  },
};

export const userRuleHeader: Scenario = {
  name: 'user-rule-header',
  title: 'Legs tied by an operator rule on X-HDAP-TraceId',
  description: 'The config file\'s rule "hdap" reads the X-HDAP-TraceId header (configured in lower case); both legs carry the '
    + 'same trace id, written with different capitals.',
  correlationRules: [{ name: 'hdap', header: 'x-hdap-traceid' }],
  build(base) {
    const p = pair(base, 904, 'HDAP box');
    const trace = `hdap-${p.b.hex(16)}`;
    bridged(p.b, p.a, p.out, { aInvite: [`X-HDAP-TraceId: ${trace}`], bInvite: [`X-HDAP-TRACEID: ${trace}`] });
    return linked(p, 'user');
  },
};

export const userRuleCallId: Scenario = {
  name: 'user-rule-callid',
  title: 'Legs tied by an operator rule on the Call-ID',
  description: 'The box names its legs "<core>-leg1", "<core>-leg2"; the config file\'s rule "core-id" takes the core with the '
    + 'regex ^(\\w+)-leg\\d$ applied to the Call-ID.',
  correlationRules: [{ name: 'core-id', callId: true, regex: '^(\\w+)-leg\\d$' }],
  build(base) {
    const core = `CORE${Math.floor(base / 1_000_000)}x905`;
    return linked(pairWith(base, 905, [`${core}-leg1`, `${core}-leg2`]), 'user');
  },
};

function pairWith(base: number, seed: number, ids: [string, string]): Pair {
  const p = pair(base, seed, 'Core box', ids);
  bridged(p.b, p.a, p.out, {});
  return p;
}

export const userRuleNoMatch: Scenario = {
  name: 'user-rule-nomatch',
  title: 'Operator rule whose regex does not match: links nothing',
  description: 'The config file\'s rule "strict-trace" takes 8 hex digits after "trace=" in X-Trace; both legs carry the same X-Trace, '
    + 'but not in that form, so the rule names nothing and the legs stay two calls.',
  correlationRules: [{ name: 'strict-trace', header: 'X-Trace', regex: '^trace=([0-9a-f]{8})$' }],
  build(base) {
    const p = pair(base, 906, 'Trace box');
    bridged(p.b, p.a, p.out, { aInvite: ['X-Trace: trace=not-hex!'], bInvite: ['X-Trace: trace=not-hex!'] });
    return apart(p);
  },
};

export const xcidChain: Scenario = {
  name: 'xcid-chain',
  title: 'Two B2BUAs in a row, each naming only the previous hop\'s Call-ID',
  description: 'Alice → box 1 → box 2 → carrier: box 1\'s leg carries X-CID with Alice\'s Call-ID, box 2\'s leg X-CID with box 1\'s '
    + 'Call-ID. No leg names the first one from the last, yet all three are one call.',
  build(base) {
    const { alice } = office();
    const box1 = node('SBC', '10.0.0.2', AGENT.opensipsSbc);
    const box2 = node('PBX', '10.0.0.8', AGENT.asterisk);
    const carrier = node('Carrier', '203.0.113.50', AGENT.carrier);
    const b = new ScenarioBuilder(base, 907, [kamailioTracer(box1, 2), kamailioTracer(box2, 8, { traces: (from, to) => from === carrier || to === carrier })]);
    const to = { user: '15550100' };
    const a = new Dialog(b, { callId: b.callId(alice), path: [alice, box1], sides: ['caller'], from: { user: 'alice' }, to });
    const mid = new Dialog(b, { callId: b.callId(box1), path: [box1, box2], sides: ['callee'], from: { user: 'alice' }, to, headers: [`X-CID: ${a.callId}`] });
    const last = new Dialog(b, { callId: b.callId(box2), path: [box2, carrier], sides: ['callee'], from: { user: 'alice' }, to, headers: [`X-CID: ${mid.callId}`] });
    const inv1 = a.invite({ sdp: 'sendrecv' }); // 1
    a.respond(inv1, 100, 'Trying'); // 1
    const inv2 = mid.invite({ sdp: 'sendrecv' }); // 1
    mid.respond(inv2, 100, 'Trying'); // 1
    const inv3 = last.invite({ sdp: 'sendrecv' }); // 1
    b.wait(2_000);
    last.respond(inv3, 200, 'OK', { sdp: 'sendrecv' }); // 1
    last.ack(inv3); // 1
    mid.respond(inv2, 200, 'OK', { sdp: 'sendrecv' }); // 1
    mid.ack(inv2); // 1
    a.respond(inv1, 200, 'OK', { sdp: 'sendrecv' }); // 1
    a.ack(inv1); // 1
    b.wait(30_000);
    a.hangup('fwd'); // 2
    mid.hangup('fwd'); // 2
    last.hangup('fwd'); // 2
    return finish(b, {
      groups: [{
        callIds: [a.callId, mid.callId, last.callId],
        legs: [
          { callId: a.callId, role: 'b2b-inbound', linkRules: [] },
          { callId: mid.callId, role: 'b2b-outbound', linkRules: ['header'] },
          { callId: last.callId, role: 'b2b-outbound', linkRules: ['header'] },
        ],
      }],
      messageCount: 17,
    }, [box1, box2, carrier]);
  },
};
