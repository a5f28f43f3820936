/**
 * Big groups for performance work: hours of keepalives and session-timer refreshes in one dialog.
 *
 *   Alice 10.0.1.10 ──► Main proxy 10.0.0.5 ──► Carrier 203.0.113.50
 */
import { opensipsTracer, ScenarioBuilder } from './builder.ts';
import { Dialog } from './dialog.ts';
import { AGENT, finish, node, office } from './nodes.ts';
import type { Scenario, ScenarioRun } from './types.ts';

/** RFC 4028 session timer: the refresher refreshes at half the interval. */
const SESSION_EXPIRES_S = 120;
const TIMER = [`Session-Expires: ${SESSION_EXPIRES_S};refresher=uac`, 'Supported: timer'];

function longDialog(base: number, seed: number): { b: ScenarioBuilder; d: Dialog; proxy: ReturnType<typeof office>['proxy']; carrier: ReturnType<typeof node> } {
  const { alice, proxy } = office();
  const carrier = node('Carrier', '203.0.113.50', AGENT.carrier);
  const b = new ScenarioBuilder(base, seed, [opensipsTracer(proxy, 1)]);
  const d = new Dialog(b, { callId: b.callId(alice), path: [alice, proxy, carrier], sides: ['caller', 'callee'], from: { user: 'alice', display: 'Alice' }, to: { user: '18005550199' } });
  d.establish(4000, { headers: TIMER }); // 9
  return { b, d, proxy, carrier };
}

/** In-dialog OPTIONS keepalive from Alice (4 messages through the proxy). */
function ping(d: Dialog): void {
  d.respond(d.request('OPTIONS', 'fwd'), 200, 'OK');
}

/** Session refresh by re-INVITE with SDP (7 messages: INVITE, 100, INVITE, 200 ×2, ACK ×2). */
function reinvite(d: Dialog): void {
  const t = d.request('INVITE', 'fwd', { sdp: 'sendrecv', headers: TIMER });
  d.respond(t, 200, 'OK', { sdp: 'sendrecv', headers: TIMER });
  d.ack(t);
}

export const longCall: Scenario = {
  name: 'long-call',
  title: 'Four-hour call: session-timer refreshes and OPTIONS keepalives',
  description: 'One call of 4 hours: an in-dialog OPTIONS every 5 s, a session refresh every 60 s (UPDATE, and a re-INVITE on the '
    + 'hour), Session-Expires 120 s. 11,545 messages in one dialog.',
  build(base): ScenarioRun {
    const { b, d, proxy, carrier } = longDialog(base, 601);
    const ticks = (4 * 3600) / 5; // 2880 five-second ticks
    for (let k = 1; k <= ticks; k++) {
      b.wait(5_000);
      if (k % 720 === 0) reinvite(d); // every hour: 4 × 7
      else if (k % 12 === 0) d.respond(d.request('UPDATE', 'fwd', { headers: TIMER }), 200, 'OK', { headers: TIMER }); // 236 × 4
      else ping(d); // 2640 × 4
    }
    d.hangup('fwd'); // 4
    return finish(b, {
      groups: [{ callIds: [d.callId], legs: [{ callId: d.callId, role: 'original', linkRules: [] }] }],
      // 9 + 2640 × 4 + 236 × 4 + 4 × 7 + 4
      messageCount: 11_545,
    }, [proxy, carrier]);
  },
};

export const largeGroup: Scenario = {
  name: 'large-20k',
  title: 'A group of exactly 20,000 messages',
  description: 'One call with a re-INVITE and 4,995 OPTIONS keepalives a second apart: 20,000 messages, for the UI\'s large-flow test.',
  build(base): ScenarioRun {
    const { b, d, proxy, carrier } = longDialog(base, 602);
    b.wait(1_000);
    reinvite(d);
    for (let k = 0; k < 4_995; k++) {
      b.wait(1_000);
      ping(d);
    }
    d.hangup('rev');
    return finish(b, {
      groups: [{ callIds: [d.callId], legs: [{ callId: d.callId, role: 'original', linkRules: [] }] }],
      // 9 + 7 + 4995 × 4 + 4
      messageCount: 20_000,
    }, [proxy, carrier]);
  },
};
