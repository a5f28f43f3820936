/**
 * Legs of one call through an SBC that shares nothing between them: a new Call-ID, no X-CID,
 * Session-ID or correlation id (Kamailio trace_mode=1). Only inferred matching
 * (correlate/inferred.ts) on the box the scenario declares in `inferredBoxes` can join them:
 *
 *   Alice ─► SBC ─► carrier    A-leg +441632960123 → +442079460000 (E.164)
 *                              B-leg 01632960123 → 00442079460000 (national caller, international callee)
 *
 * inferred-sbc:       the SBC looks up a route for 300 ms, then sends the B-leg: one call
 * inferred-unrelated: the SBC rejects Alice's first call (503, no B-leg); she dials again 60 s later,
 *                     and that call's B-leg joins its own A-leg, not the first call with the same numbers
 */
import { kamailioTracer, ScenarioBuilder, type Node } from './builder.ts';
import { Dialog } from './dialog.ts';
import { AGENT, finish, node, office } from './nodes.ts';
import { bridged, linked } from './shared-ids.ts';
import type { Scenario } from './types.ts';

/** The SBC's routing lookup before its B-leg INVITE, ms: well inside the default 2 s window. */
const ROUTE_MS = 300;

/** The SBC of each scenario: an address of its own, so that its box links no other scenario's calls. */
const SBC_IP = { linked: '10.0.0.14', unrelated: '10.0.0.15' };

interface Sbc {
  b: ScenarioBuilder;
  box: Node;
  carrier: Node;
  /** A new call from Alice to the SBC, numbers in E.164. */
  aLeg(): Dialog;
  /** A new call from the SBC to the carrier, numbers rewritten to the carrier's formats. */
  bLeg(): Dialog;
}

function sbc(base: number, seed: number, ip: string): Sbc {
  const { alice } = office();
  const box = node('SBC', ip, AGENT.opensipsSbc);
  const carrier = node('Carrier', '203.0.113.50', AGENT.carrier);
  const b = new ScenarioBuilder(base, seed, [kamailioTracer(box, 14)]);
  return {
    b, box, carrier,
    aLeg: () => new Dialog(b, { callId: b.callId(alice), path: [alice, box], sides: ['caller'],
      from: { user: '+441632960123', display: 'Alice' }, to: { user: '+442079460000' } }),
    bLeg: () => new Dialog(b, { callId: b.callId(box), path: [box, carrier], sides: ['callee'],
      from: { user: '01632960123' }, to: { user: '00442079460000', domain: 'carrier.example.net' } }),
  };
}

export const inferredSbc: Scenario = {
  name: 'inferred-sbc',
  title: 'SBC legs sharing no value, joined by inferred matching',
  description: 'Alice calls +44 20 7946 0000 through an SBC that gives the B-leg its own Call-ID and adds no header; 300 ms after '
    + 'her INVITE reached it, the SBC sends the B-leg to the carrier with both numbers rewritten (01632…, 0044…). Configured as an '
    + 'inferred box, the SBC ties the legs by time and numbers alone.',
  inferredBoxes: [`${SBC_IP.linked}:5060`],
  build(base) {
    const s = sbc(base, 1001, SBC_IP.linked);
    const p = { ...s, a: s.aLeg(), out: s.bLeg() };
    bridged(s.b, p.a, p.out, {}, ROUTE_MS); // 13
    return linked(p, 'inferred');
  },
};

export const inferredUnrelated: Scenario = {
  name: 'inferred-unrelated',
  title: 'Same numbers through the SBC a minute apart: not one call',
  description: 'The SBC finds no route for Alice\'s call to +44 20 7946 0000 and answers 503 with Retry-After: 60; she dials again a '
    + 'minute later and this time the SBC sends a B-leg. The B-leg has the same numbers as both of Alice\'s calls, but the first '
    + 'reached the SBC 60 s earlier, far outside the window: it stays a call of its own.',
  inferredBoxes: [`${SBC_IP.unrelated}:5060`],
  build(base) {
    const s = sbc(base, 1002, SBC_IP.unrelated);
    const first = s.aLeg();
    const inv = first.invite({ sdp: 'sendrecv' }); // 1
    first.respond(inv, 100, 'Trying'); // 1
    s.b.wait(ROUTE_MS);
    first.respond(inv, 503, 'Service Unavailable', { headers: ['Retry-After: 60'] }); // 2: 503, ACK
    s.b.wait(60_000);
    const again = s.aLeg();
    const out = s.bLeg();
    bridged(s.b, again, out, {}, ROUTE_MS); // 13
    return finish(s.b, {
      groups: [
        { callIds: [first.callId], legs: [{ callId: first.callId, role: 'original', linkRules: [] }] },
        {
          callIds: [again.callId, out.callId],
          legs: [
            { callId: again.callId, role: 'b2b-inbound', linkRules: [] },
            // Left the SBC 300 ms after the second call reached it: that call's B-leg, not the first's.
            { callId: out.callId, role: 'b2b-outbound', linkRules: ['inferred'] },
          ],
        },
      ],
      messageCount: 17,
    }, [s.box, s.carrier]);
  },
};
