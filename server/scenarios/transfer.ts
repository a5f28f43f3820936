/**
 * Transfers through the main proxy (pivot 10.0.0.5).
 *
 * Attended (RFC 5589 §7):            Blind (RFC 5589 §6):
 *   leg 1  Alice → proxy → Bob          leg 1  Alice → proxy → Bob
 *   leg 2  Alice → proxy → Carol        REFER Bob → Alice (Refer-To: Carol)
 *   REFER Alice → Bob, Refer-To:        leg 2  Alice → proxy → Carol
 *     Carol?Replaces=<leg 2>
 *   leg 3  Bob → proxy → Carol, Replaces: <leg 2>
 */
import { kamailioTracer, opensipsTracer, ScenarioBuilder, type Node, type Tracer } from './builder.ts';
import { Dialog } from './dialog.ts';
import { AGENT, finish, office } from './nodes.ts';
import { sipfrag } from './sip-text.ts';
import type { Scenario, ScenarioRun } from './types.ts';

const NOTIFY_HEADERS = (state: string): string[] => ['Event: refer', `Subscription-State: ${state}`];

/** The attended transfer; `tracer` decides what the proxy sends (given the three Call-IDs). */
function attended(base: number, seed: number, proxyAgent: string, tracer: (proxy: Node, ids: string[]) => Tracer, replacementRules: ('hep-correlation-id' | 'replaces')[]): ScenarioRun {
  const { alice, bob, carol } = office();
  const proxy: Node = { ...office().proxy, agent: proxyAgent };
  const ids: string[] = [];
  const b = new ScenarioBuilder(base, seed, []);
  ids.push(b.callId(alice), b.callId(alice), b.callId(bob));
  b.tracers.push(tracer(proxy, ids));
  const leg1 = new Dialog(b, { callId: ids[0], path: [alice, proxy, bob], sides: ['caller', 'callee'], from: { user: 'alice', display: 'Alice' }, to: { user: 'bob' } });
  const leg2 = new Dialog(b, { callId: ids[1], path: [alice, proxy, carol], sides: ['caller', 'callee'], from: { user: 'alice', display: 'Alice' }, to: { user: 'carol' } });

  leg1.establish(2500); // 9
  b.wait(15_000);
  const hold = leg1.request('INVITE', 'fwd', { sdp: 'sendonly' }); // 3
  leg1.respond(hold, 200, 'OK', { sdp: 'recvonly' }); // 2
  leg1.ack(hold); // 2
  b.wait(1_000);
  leg2.establish(4000); // 9: the consultation call
  b.wait(12_000);
  const replaces = `${leg2.callId};to-tag=${leg2.toTag};from-tag=${leg2.fromTag}`;
  const refer = leg1.request('REFER', 'fwd', { headers: [ // 2
    `Refer-To: <sip:carol@example.com?Replaces=${encodeURIComponent(replaces)}>`,
    'Referred-By: <sip:alice@example.com>',
  ] });
  leg1.respond(refer, 202, 'Accepted'); // 2
  const n1 = leg1.request('NOTIFY', 'rev', { body: sipfrag('SIP/2.0 100 Trying'), headers: NOTIFY_HEADERS('active;expires=60') }); // 2
  leg1.respond(n1, 200, 'OK'); // 2
  const leg3 = new Dialog(b, { callId: ids[2], path: [bob, proxy, carol], sides: ['caller', 'callee'], from: { user: 'bob' }, to: { user: 'carol' },
    headers: [`Replaces: ${replaces}`, 'Referred-By: <sip:alice@example.com>'] });
  const inv3 = leg3.invite({ sdp: 'sendrecv' }); // 3
  leg3.respond(inv3, 200, 'OK', { sdp: 'sendrecv' }); // 2
  leg3.ack(inv3); // 2
  leg2.hangup('rev'); // 4: Carol ends the replaced dialog
  const n2 = leg1.request('NOTIFY', 'rev', { body: sipfrag('SIP/2.0 200 OK'), headers: NOTIFY_HEADERS('terminated;reason=noresource') }); // 2
  leg1.respond(n2, 200, 'OK'); // 2
  leg1.hangup('fwd'); // 4
  b.wait(90_000);
  leg3.hangup('fwd'); // 4
  return finish(b, {
    groups: [{
      callIds: ids,
      legs: [
        { callId: ids[0], role: 'original', linkRules: [] },
        { callId: ids[1], role: 'consultation', linkRules: ['refer-replaces'] },
        { callId: ids[2], role: 'replacement', linkRules: replacementRules },
      ],
    }],
    // 9 + 7 + 9 + 4 (REFER/202) + 4 (NOTIFY/200) + 7 + 4 + 4 + 4 + 4
    messageCount: 56,
  }, [proxy]);
}

export const attendedTransferOpensips: Scenario = {
  name: 'attended-transfer-opensips',
  title: 'Attended transfer traced by OpenSIPS (forced correlation id)',
  description: 'Alice calls Bob, holds, consults Carol, then REFERs Bob to Carol with Replaces; Bob\'s INVITE with Replaces takes over '
    + 'the consultation. OpenSIPS traces with trace("tid","d","sip",,,$var(corr)): the replacement call carries 0x0011 = '
    + 'the first call\'s Call-ID, every other message its own Call-ID.',
  build: (base) => attended(base, 201, AGENT.opensips, (proxy, ids) => opensipsTracer(proxy, 1, { forced: (id) => (id === ids[2] ? ids[0] : null) }), ['hep-correlation-id', 'replaces']),
};

export const attendedTransferKamailio: Scenario = {
  name: 'attended-transfer-kamailio',
  title: 'Attended transfer traced by Kamailio trace_mode=1',
  description: 'The same transfer as Kamailio mirrors it with trace_mode=1: no 0x0011 at all, so only the REFER\'s Refer-To '
    + 'Replaces and the INVITE\'s Replaces header link the three calls.',
  build: (base) => attended(base, 202, AGENT.kamailio, (proxy) => kamailioTracer(proxy, 2001), ['replaces']),
};

export const blindTransfer: Scenario = {
  name: 'blind-transfer',
  title: 'Blind transfer (REFER, new INVITE to the target)',
  description: 'Alice calls Bob; Bob REFERs Alice to Carol without Replaces; Alice places a new call to Carol with Referred-By: Bob '
    + 'and reports progress in NOTIFYs. Nothing in the new call names the old one: it is matched by who calls whom, and when.',
  build(base) {
    const { alice, bob, carol, proxy } = office();
    const b = new ScenarioBuilder(base, 203, [opensipsTracer(proxy, 1)]);
    const leg1 = new Dialog(b, { callId: b.callId(alice), path: [alice, proxy, bob], sides: ['caller', 'callee'], from: { user: 'alice', display: 'Alice' }, to: { user: 'bob' } });
    leg1.establish(2000); // 9
    b.wait(20_000);
    const refer = leg1.request('REFER', 'rev', { headers: ['Refer-To: <sip:carol@example.com>', 'Referred-By: <sip:bob@example.com>'] }); // 2
    leg1.respond(refer, 202, 'Accepted'); // 2
    const n1 = leg1.request('NOTIFY', 'fwd', { body: sipfrag('SIP/2.0 100 Trying'), headers: NOTIFY_HEADERS('active;expires=60') }); // 2
    leg1.respond(n1, 200, 'OK'); // 2
    b.wait(150);
    const leg2 = new Dialog(b, { callId: b.callId(alice), path: [alice, proxy, carol], sides: ['caller', 'callee'], from: { user: 'alice', display: 'Alice' }, to: { user: 'carol' },
      headers: ['Referred-By: <sip:bob@example.com>'] });
    leg2.establish(3500); // 9
    const n2 = leg1.request('NOTIFY', 'fwd', { body: sipfrag('SIP/2.0 200 OK'), headers: NOTIFY_HEADERS('terminated;reason=noresource') }); // 2
    leg1.respond(n2, 200, 'OK'); // 2
    leg1.hangup('rev'); // 4
    b.wait(60_000);
    leg2.hangup('fwd'); // 4
    return finish(b, {
      groups: [{
        callIds: [leg1.callId, leg2.callId],
        legs: [
          { callId: leg1.callId, role: 'original', linkRules: [] },
          { callId: leg2.callId, role: 'blind-transfer', linkRules: ['blind-transfer'] },
        ],
      }],
      messageCount: 38,
    }, [proxy]);
  },
};
