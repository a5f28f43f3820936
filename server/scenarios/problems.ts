/**
 * One call per problem code of server/kpi/codes.ts and per disposition the library's other calls
 * do not show, each with the KPIs it must yield (expected.kpi). basic.ts covers answered,
 * busy (rejected-486), cancelled and retransmissions (hold-resume).
 *
 *   Alice 10.0.1.10 ──► Main proxy 10.0.0.5 ──► Bob 10.0.1.20 / a PBX / a carrier
 *   (caller side)        (pivot, traces both)     (callee side)
 *
 * Problems name the first message that showed them, written here as its arrow label.
 */
import { opensipsTracer, ScenarioBuilder, type Node, type Sent } from './builder.ts';
import { Dialog } from './dialog.ts';
import { AGENT, finish, node, office } from './nodes.ts';
import type { Scenario } from './types.ts';

/** The office call Alice → proxy → `callee`, traced by the proxy (0x0011 = Call-ID). */
function officeCall(base: number, seed: number, callee?: Node): { b: ScenarioBuilder; d: Dialog; proxy: Node } {
  const o = office();
  const b = new ScenarioBuilder(base, seed, [opensipsTracer(o.proxy, 1)]);
  const d = new Dialog(b, { callId: b.callId(o.alice), path: [o.alice, o.proxy, callee ?? o.bob], sides: ['caller', 'callee'], from: { user: 'alice', display: 'Alice' }, to: { user: 'bob' } });
  return { b, d, proxy: o.proxy };
}

/** The last message sent on the hop from → to, to retransmit it with Dialog.resend. */
function lastSent(b: ScenarioBuilder, d: Dialog, from: Node, to: Node, side: 'caller' | 'callee'): Sent {
  const p = b.packets.findLast((x) => x.srcIp === from.ip && x.dstIp === to.ip);
  if (!p) throw new RangeError(`nothing sent ${from.name} → ${to.name}`);
  return { from, to, text: String(p.payload), callId: d.callId, side };
}

const oneLeg = (d: Dialog) => [{ callIds: [d.callId], legs: [{ callId: d.callId, role: 'original' as const, linkRules: [] }] }];

export const missingAck: Scenario = {
  name: 'missing-ack',
  title: 'Missing ACK: the 200 OK retransmitted three times',
  description: 'Bob answers, but Alice\'s ACKs never reach the proxy until the fourth 200 OK: Bob retransmits his 2xx at T1, 2×T1 '
    + 'and 4×T1 (RFC 3261 §13.3.1.4). Bob hangs up after 20 s.',
  build(base) {
    const { b, d, proxy } = officeCall(base, 1601);
    const inv = d.invite({ sdp: 'sendrecv' });
    b.wait(40);
    d.respond(inv, 180, 'Ringing');
    b.wait(2_500);
    const ok = d.respond(inv, 200, 'OK', { sdp: 'sendrecv' });
    for (const ms of [500, 1_000, 2_000]) {
      b.wait(ms);
      d.resend(ok);
    }
    d.ack(inv);
    b.wait(20_000);
    d.hangup('rev');
    return finish(b, {
      groups: oneLeg(d),
      // INVITE ×2, 100, 180 ×2, 200 ×2, three resent 200s ×2, ACK ×2, BYE ×2, 200 ×2
      messageCount: 19,
      retransmissions: 6,
      kpi: { legs: [{ disposition: 'answered', finalStatus: 200, pddMs: 40, setupMs: 2_540,
        problems: [{ code: 'retransmissions', at: '200 OK' }, { code: 'missing-ack', at: '200 OK' }] }] },
    }, [proxy]);
  },
};

export const noFinalResponse: Scenario = {
  name: 'no-final-response',
  title: 'No final response: the capture ends while Bob rings',
  description: 'Bob\'s phone rings, then the proxy that traces the call goes down: no final response, no CANCEL. Without a clock the '
    + 'call is in progress; 64×T1 after the INVITE (Timer B) it has failed with no-final-response.',
  build(base) {
    const { b, d, proxy } = officeCall(base, 1602);
    const inv = d.invite({ sdp: 'sendrecv' });
    b.wait(60);
    d.respond(inv, 180, 'Ringing');
    return finish(b, {
      groups: oneLeg(d),
      messageCount: 5,
      kpi: {
        legs: [{ disposition: 'in-progress', finalStatus: null, pddMs: 60, problems: [] }],
        timedOut: { disposition: 'failed', problems: ['no-final-response'] },
      },
    }, [proxy]);
  },
};

export const timeout408: Scenario = {
  name: 'timeout-408',
  title: 'No answer: 408 Request Timeout after 30 s of ringing',
  description: 'Bob\'s phone rings for 30 s, then its no-answer timer ends the call with 408 Request Timeout, ACKed hop by hop.',
  build(base) {
    const { b, d, proxy } = officeCall(base, 1603);
    const inv = d.invite({ sdp: 'sendrecv' });
    b.wait(50);
    d.respond(inv, 180, 'Ringing');
    b.wait(30_000);
    d.respond(inv, 408, 'Request Timeout');
    return finish(b, {
      groups: oneLeg(d),
      messageCount: 9,
      kpi: { legs: [{ disposition: 'no-answer', finalStatus: 408, pddMs: 50, problems: [{ code: 'timeout-408', at: '408 Request Timeout' }] }] },
    }, [proxy]);
  },
};

export const serverError503: Scenario = {
  name: 'server-error-503',
  title: 'Carrier failure: 503 Service Unavailable',
  description: 'Alice calls out through the proxy; the carrier is overloaded and answers 503 Service Unavailable at once.',
  build(base) {
    const { b, d, proxy } = officeCall(base, 1604, node('Carrier', '198.51.100.20', AGENT.carrier));
    const inv = d.invite({ sdp: 'sendrecv' });
    b.wait(120);
    d.respond(inv, 503, 'Service Unavailable', { headers: ['Retry-After: 30'] });
    return finish(b, {
      groups: oneLeg(d),
      messageCount: 7,
      kpi: { legs: [{ disposition: 'failed', finalStatus: 503, pddMs: 120, problems: [{ code: 'server-error-5xx', at: '503 Service Unavailable' }] }] },
    }, [proxy]);
  },
};

export const decline603: Scenario = {
  name: 'decline-603',
  title: 'Call declined: 603 Decline',
  description: 'Bob sees who calls and declines while it rings: 603 Decline, a global failure (RFC 3261 §21.6.2), ACKed hop by hop.',
  build(base) {
    const { b, d, proxy } = officeCall(base, 1605);
    const inv = d.invite({ sdp: 'sendrecv' });
    b.wait(45);
    d.respond(inv, 180, 'Ringing');
    b.wait(2_000);
    d.respond(inv, 603, 'Decline');
    return finish(b, {
      groups: oneLeg(d),
      messageCount: 9,
      kpi: { legs: [{ disposition: 'rejected', finalStatus: 603, pddMs: 45, problems: [{ code: 'call-failure-6xx', at: '603 Decline' }] }] },
    }, [proxy]);
  },
};

export const sdpRejected488: Scenario = {
  name: 'sdp-rejected-488',
  title: 'Offer refused: 488 Not Acceptable Here',
  description: 'Bob\'s phone has no codec in common with Alice\'s offer and refuses it at once with 488, ACKed hop by hop.',
  build(base) {
    const { b, d, proxy } = officeCall(base, 1606);
    const inv = d.invite({ sdp: 'sendrecv' });
    b.wait(30);
    d.respond(inv, 488, 'Not Acceptable Here', { headers: ['Warning: 305 bob.example.com "Incompatible media format"'] });
    return finish(b, {
      groups: oneLeg(d),
      messageCount: 7,
      kpi: { legs: [{ disposition: 'rejected', finalStatus: 488, pddMs: 30, problems: [{ code: 'sdp-rejected-488', at: '488 Not Acceptable Here' }] }] },
    }, [proxy]);
  },
};

export const glare491: Scenario = {
  name: 'glare-491',
  title: 'Re-INVITE glare: 491 Request Pending',
  description: 'Alice and Bob both put the call on hold at once: each re-INVITE meets the other\'s and both are answered 491 Request '
    + 'Pending (RFC 3261 §14.1). Alice, who owns the Call-ID, tries again 2.1–4 s later and succeeds.',
  build(base) {
    const { b, d, proxy } = officeCall(base, 1607);
    d.establish(1_500);
    b.wait(10_000);
    const fromAlice = d.request('INVITE', 'fwd', { sdp: 'sendonly' });
    const fromBob = d.request('INVITE', 'rev', { sdp: 'sendonly' });
    d.respond(fromAlice, 491, 'Request Pending');
    d.respond(fromBob, 491, 'Request Pending');
    b.wait(2_500);
    const retry = d.request('INVITE', 'fwd', { sdp: 'sendonly' });
    d.respond(retry, 200, 'OK', { sdp: 'recvonly' });
    d.ack(retry);
    b.wait(15_000);
    d.hangup('fwd');
    return finish(b, {
      groups: oneLeg(d),
      // setup 9; two re-INVITEs (2 + 100 each), each 491 ×2 with its ACK ×2; the retry 3 + 200 ×2 + ACK ×2; BYE and 200 ×2 each
      messageCount: 9 + 6 + 8 + 7 + 4,
      kpi: { legs: [{ disposition: 'answered', finalStatus: 200, setupMs: 1_500, problems: [{ code: 'glare-491', at: '491 Request Pending' }] }] },
    }, [proxy]);
  },
};

export const bye481: Scenario = {
  name: 'bye-481',
  title: 'BYE answered 481: the far end lost the dialog',
  description: 'Bob\'s PBX restarts during the call; when Alice hangs up, it no longer knows the dialog and answers her BYE '
    + '481 Call/Transaction Does Not Exist, so the BYE never gets its 200.',
  build(base) {
    const { b, d, proxy } = officeCall(base, 1608, node('PBX', '10.0.2.40', AGENT.asterisk));
    d.establish(4_000);
    b.wait(30_000);
    const bye = d.request('BYE', 'fwd');
    d.respond(bye, 481, 'Call/Transaction Does Not Exist');
    const at = '481 Call/Transaction Does Not Exist';
    return finish(b, {
      groups: oneLeg(d),
      messageCount: 13,
      kpi: { legs: [{ disposition: 'answered', finalStatus: 200, setupMs: 4_000,
        problems: [{ code: 'call-leg-481', at }, { code: 'bye-without-200', at }] }] },
    }, [proxy]);
  },
};

export const longGap: Scenario = {
  name: 'long-gap',
  title: 'Long gap: a PBX silent for 6 s',
  description: 'The proxy relays Alice\'s INVITE to a PBX that says nothing for 6 s (a slow database look-up): the proxy retransmits '
    + 'the INVITE at 0.5, 1.5 and 3.5 s (Timer A, RFC 3261 §17.1.1.2) before the PBX rings and answers.',
  build(base) {
    const pbx = node('PBX', '10.0.2.30', AGENT.freeswitch);
    const { b, d, proxy } = officeCall(base, 1609, pbx);
    const inv = d.invite({ sdp: 'sendrecv' });
    const toPbx = lastSent(b, d, proxy, pbx, 'callee');
    for (const ms of [500, 1_000, 2_000]) {
      b.wait(ms);
      d.resend([toPbx]);
    }
    b.wait(2_500);
    d.respond(inv, 180, 'Ringing');
    b.wait(3_000);
    d.respond(inv, 200, 'OK', { sdp: 'sendrecv' });
    d.ack(inv);
    b.wait(30_000);
    d.hangup('fwd');
    return finish(b, {
      groups: oneLeg(d),
      // INVITE ×2 + 3 resent, 100, 180 ×2, 200 ×2, ACK ×2, BYE ×2, 200 ×2
      messageCount: 16,
      retransmissions: 3,
      kpi: { legs: [{ disposition: 'answered', finalStatus: 200, pddMs: 6_000, setupMs: 9_000,
        problems: [{ code: 'retransmissions', at: 'INVITE' }, { code: 'long-gap', at: '180 Ringing' }] }] },
    }, [proxy]);
  },
};

/** Alice's NAT: her phone's LAN address and the public one its packets leave from. */
const NAT = { lan: '192.168.1.20', public: '203.0.113.10', port: 41234 };

export const natMismatch: Scenario = {
  name: 'nat-mismatch',
  title: 'NAT: Via and Contact name a private address',
  description: 'Alice\'s phone, behind a NAT with no STUN or ALG, calls the SBC directly: its Via and Contact say 192.168.1.20, its '
    + 'packets come from 203.0.113.10. The call is answered; its INVITE is the first request whose addresses disagree.',
  build(base) {
    const alice = node('Alice', NAT.lan, AGENT.yealink);
    const sbc = node('SBC', '198.51.100.5', AGENT.opensipsSbc);
    const b = new ScenarioBuilder(base, 1610, [opensipsTracer(sbc, 102)]);
    const d = new Dialog(b, { callId: b.callId(alice), path: [alice, sbc], sides: ['caller'], from: { user: 'alice', display: 'Alice' }, to: { user: '+15550100' } });
    const inv = d.invite({ sdp: 'sendrecv' });
    d.respond(inv, 100, 'Trying');
    b.wait(200);
    d.respond(inv, 180, 'Ringing');
    b.wait(3_000);
    d.respond(inv, 200, 'OK', { sdp: 'sendrecv' });
    d.ack(inv);
    b.wait(20_000);
    d.hangup('fwd');
    // The NAT rewrites the packets' addresses, never the SIP text.
    for (const p of b.packets) {
      if (p.srcIp === NAT.lan) Object.assign(p, { srcIp: NAT.public, srcPort: NAT.port });
      if (p.dstIp === NAT.lan) Object.assign(p, { dstIp: NAT.public, dstPort: NAT.port });
    }
    return finish(b, {
      groups: oneLeg(d),
      messageCount: 7,
      kpi: {
        legs: [{ disposition: 'answered', finalStatus: 200, pddMs: 200, setupMs: 3_200, problems: [{ code: 'nat-mismatch', at: 'INVITE' }] }],
      },
    }, [sbc]);
  },
};

/** The library's problem calls, in the order of the codes they show. */
export const PROBLEM_SCENARIOS: readonly Scenario[] = [
  missingAck, noFinalResponse, timeout408, serverError503, decline603, bye481, glare491, sdpRejected488, longGap, natMismatch,
];
