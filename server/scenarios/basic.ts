/**
 * Single calls through one proxy: answered, rejected, cancelled, held and resumed.
 *
 *   Alice 10.0.1.10 ──► Main proxy 10.0.0.5 ──► Bob 10.0.1.20
 *   (caller side)        (pivot)                 (callee side)
 */
import { kamailioTracer, opensipsTracer, ScenarioBuilder } from './builder.ts';
import { Dialog } from './dialog.ts';
import { AGENT, finish, office } from './nodes.ts';
import type { Scenario } from './types.ts';

export const basicCall: Scenario = {
  name: 'basic-call',
  title: 'Basic call through one proxy',
  description: 'Alice calls Bob through OpenSIPS (0x0011 = Call-ID on every message); Bob answers, Alice hangs up after a minute. '
    + 'The proxy traces its in and out copies in the same microsecond, so ties are ordered by cause.',
  build(base) {
    const { alice, bob, proxy } = office();
    // proc 0: the proxy relays within the µs it traced the incoming copy (equal timestamps).
    const b = new ScenarioBuilder(base, 101, [opensipsTracer(proxy, 1)], { wire: [150, 900], proc: [0, 0] });
    const d = new Dialog(b, { callId: b.callId(alice), path: [alice, proxy, bob], sides: ['caller', 'callee'], from: { user: 'alice', display: 'Alice' }, to: { user: 'bob' } });
    d.establish(3200);
    b.wait(60_000);
    d.hangup('fwd');
    return finish(b, {
      groups: [{ callIds: [d.callId], legs: [{ callId: d.callId, role: 'original', linkRules: [] }] }],
      messageCount: 13,
      sides: ['caller', 'caller', 'callee', 'callee', 'caller', 'callee', 'caller', 'caller', 'callee', 'caller', 'callee', 'callee', 'caller'],
      labels: ['INVITE', '100 Trying', 'INVITE', '180 Ringing', '180 Ringing', '200 OK', '200 OK', 'ACK', 'ACK', 'BYE', 'BYE', '200 OK', '200 OK'],
      kpi: { legs: [{ disposition: 'answered', finalStatus: 200, setupMs: 3_250, problems: [] }] },
    }, [proxy]);
  },
};

export const rejectedCall: Scenario = {
  name: 'rejected-486',
  title: 'Call rejected with 486 Busy Here',
  description: 'Bob rings, then rejects with 486; each hop ACKs the 486 it receives (RFC 3261 §17.1.1.3).',
  build(base) {
    const { alice, bob, proxy } = office();
    const b = new ScenarioBuilder(base, 102, [opensipsTracer(proxy, 1)]);
    const d = new Dialog(b, { callId: b.callId(alice), path: [alice, proxy, bob], sides: ['caller', 'callee'], from: { user: 'alice', display: 'Alice' }, to: { user: 'bob' } });
    const inv = d.invite({ sdp: 'sendrecv' });
    b.wait(45);
    d.respond(inv, 180, 'Ringing');
    b.wait(4_000);
    d.respond(inv, 486, 'Busy Here');
    return finish(b, {
      groups: [{ callIds: [d.callId], legs: [{ callId: d.callId, role: 'original', linkRules: [] }] }],
      messageCount: 9,
      labels: ['INVITE', '100 Trying', 'INVITE', '180 Ringing', '180 Ringing', '486 Busy Here', 'ACK', '486 Busy Here', 'ACK'],
      kpi: { legs: [{ disposition: 'busy', finalStatus: 486, pddMs: 45, problems: [] }] },
    }, [proxy]);
  },
};

export const cancelledCall: Scenario = {
  name: 'cancelled-487',
  title: 'Cancelled call (CANCEL / 487)',
  description: 'Alice gives up while Bob rings: CANCEL hop by hop, 200 to each CANCEL, 487 Request Terminated, hop-by-hop ACKs.',
  build(base) {
    const { alice, bob, proxy } = office();
    const b = new ScenarioBuilder(base, 103, [opensipsTracer(proxy, 1)]);
    const d = new Dialog(b, { callId: b.callId(alice), path: [alice, proxy, bob], sides: ['caller', 'callee'], from: { user: 'alice', display: 'Alice' }, to: { user: 'bob' } });
    const inv = d.invite({ sdp: 'sendrecv' });
    b.wait(60);
    d.respond(inv, 180, 'Ringing');
    b.wait(8_000);
    d.cancel(inv);
    return finish(b, {
      groups: [{ callIds: [d.callId], legs: [{ callId: d.callId, role: 'original', linkRules: [] }] }],
      messageCount: 13,
      labels: ['INVITE', '100 Trying', 'INVITE', '180 Ringing', '180 Ringing', 'CANCEL', '200 OK', 'CANCEL', '200 OK',
        '487 Request Terminated', 'ACK', '487 Request Terminated', 'ACK'],
      kpi: { legs: [{ disposition: 'cancelled', finalStatus: 487, pddMs: 60, problems: [] }] },
    }, [proxy]);
  },
};

export const holdResume: Scenario = {
  name: 'hold-resume',
  title: 'Re-INVITE hold and resume',
  description: 'Traced by Kamailio trace_mode=1 (no 0x0011). Alice holds (sendonly) and resumes; her ACK to the hold 200 is late, '
    + 'so Bob retransmits the 200 once (RFC 3261 §13.3.1.4) and the proxy relays it again. Bob hangs up.',
  build(base) {
    const { alice, bob } = office();
    const proxy = { ...office().proxy, agent: AGENT.kamailio };
    const b = new ScenarioBuilder(base, 104, [kamailioTracer(proxy, 2001)]);
    const d = new Dialog(b, { callId: b.callId(alice), path: [alice, proxy, bob], sides: ['caller', 'callee'], from: { user: 'alice', display: 'Alice' }, to: { user: 'bob' } });
    d.establish(2500);
    b.wait(20_000);
    const hold = d.request('INVITE', 'fwd', { sdp: 'sendonly' });
    const ok = d.respond(hold, 200, 'OK', { sdp: 'recvonly' });
    b.wait(500); // T1: no ACK yet, the UAS retransmits its 2xx
    d.resend(ok);
    d.ack(hold);
    b.wait(30_000);
    const resume = d.request('INVITE', 'fwd', { sdp: 'sendrecv' });
    d.respond(resume, 200, 'OK', { sdp: 'sendrecv' });
    d.ack(resume);
    b.wait(40_000);
    d.hangup('rev');
    // 9 setup + hold (3 INVITE/100 + 2 200 + 2 retransmitted 200 + 2 ACK) + resume 7 + BYE 4
    return finish(b, {
      groups: [{ callIds: [d.callId], legs: [{ callId: d.callId, role: 'original', linkRules: [] }] }],
      messageCount: 29,
      retransmissions: 2,
      // The retransmitted 200 answers a re-INVITE: no missing-ack, which is of the initial INVITE's 2xx.
      kpi: { legs: [{ disposition: 'answered', finalStatus: 200, setupMs: 2_550, problems: [{ code: 'retransmissions', at: '200 OK' }] }] },
    }, [proxy]);
  },
};
