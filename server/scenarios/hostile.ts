/**
 * Hostile input for the UI's XSS test: markup in the From display name, the User-Agent and a
 * custom header of an otherwise ordinary call. All of it is valid SIP (a quoted display name
 * may hold '<' and '>', RFC 3261 §25.1 quoted-string).
 */
import { opensipsTracer, ScenarioBuilder } from './builder.ts';
import { Dialog } from './dialog.ts';
import { finish, office } from './nodes.ts';
import type { Scenario } from './types.ts';

export const SCRIPT_PAYLOAD = '<script>window.__pwned=1</script>';
export const IMG_PAYLOAD = '<img src=x onerror="window.__pwned=1">';

export const hostileCall: Scenario = {
  name: 'hostile',
  title: 'Hostile SIP content (markup in headers)',
  description: `From display name ${SCRIPT_PAYLOAD}, User-Agent ${IMG_PAYLOAD}, and an X-Note header with both: the UI must show them as text.`,
  build(base) {
    const office1 = office();
    const alice = { ...office1.alice, agent: IMG_PAYLOAD };
    const { bob, proxy } = office1;
    const b = new ScenarioBuilder(base, 701, [opensipsTracer(proxy, 1)]);
    const d = new Dialog(b, { callId: b.callId(alice), path: [alice, proxy, bob], sides: ['caller', 'callee'],
      from: { user: 'alice', display: SCRIPT_PAYLOAD }, to: { user: 'bob' }, headers: [`X-Note: ${SCRIPT_PAYLOAD}${IMG_PAYLOAD}`] });
    d.establish(2000);
    b.wait(30_000);
    d.hangup('fwd');
    return finish(b, {
      groups: [{ callIds: [d.callId], legs: [{ callId: d.callId, role: 'original', linkRules: [] }] }],
      messageCount: 13,
    }, [proxy]);
  },
};
