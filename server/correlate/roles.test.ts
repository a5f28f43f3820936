import { describe, expect, it } from 'vitest';
import type { StoredLink, StoredMessage } from '../store/types.ts';
import { A, B, C, hop, makeLink, makeResponse, makeStored, P, T0 } from '../testing/correlate.ts';
import { legRoles, type LegFacts } from './roles.ts';

const S = 1_000_000;
const MS = { ip: '10.0.0.30', port: 5060 };
const BOX = { ip: '10.0.0.6', port: 5060 };
const CARRIER = { ip: '203.0.113.50', port: 5060 };
type Addr = { ip: string; port: number };

/** A leg: its initial INVITE along `path` at `t`, answered 200 at `answer` (null: never). */
function leg(callId: string, path: Addr[], t: number, answer: number | null, o: Partial<StoredMessage> = {}): StoredMessage[] {
  const out: StoredMessage[] = [];
  for (let i = 0; i < path.length - 1; i++) out.push(makeStored({ callId, ts: t + i, ...hop(path[i], path[i + 1]), ...o }));
  if (answer !== null) out.push(makeResponse(out[out.length - 1], 200, 'OK', { ts: answer }));
  return out;
}

function roles(legs: StoredMessage[][], links: StoredLink[]): string[] {
  const facts: LegFacts[] = legs.map((messages, index) => ({ index, callId: messages[0].callId, messages }));
  return legRoles(facts, links).map((r) => r.role);
}

describe('legRoles', () => {
  it('calls a lone leg the original call', () => {
    expect(legRoles([{ index: 0, callId: 'c1', messages: leg('c1', [A, P, B], T0, T0 + S) }], [])).toEqual([{ role: 'original', roleText: 'Original call' }]);
  });

  it('labels an attended transfer: original, consultation (named by the REFER), replacement (INVITE with Replaces)', () => {
    const legs = [leg('c1', [A, P, B], T0, T0 + S), leg('c2', [A, P, C], T0 + 10 * S, T0 + 12 * S), leg('c3', [B, P, C], T0 + 20 * S, T0 + 21 * S)];
    const links = [
      makeLink({ callId: 'c1', target: 'c2', rule: 'refer-replaces', ts: T0 + 19 * S }),
      makeLink({ callId: 'c3', target: 'c2', rule: 'replaces', ts: T0 + 20 * S }),
      makeLink({ callId: 'c3', target: 'c1', rule: 'hep-correlation-id', ts: T0 + 20 * S }),
    ];
    expect(roles(legs, links)).toEqual(['original', 'consultation', 'replacement']);
  });

  it('calls an INVITE with Replaces of a dialog not answered yet a pickup', () => {
    const legs = [leg('c1', [A, P, B], T0, null), leg('c2', [C, P, A], T0 + 5 * S, T0 + 6 * S)];
    expect(roles(legs, [makeLink({ callId: 'c2', target: 'c1', rule: 'replaces', value: 'c1;to-tag=b;from-tag=a' })])).toEqual(['original', 'pickup']);
  });

  it('calls an INVITE with Replaces;early-only a pickup even when the dialog was answered later', () => {
    const legs = [leg('c1', [A, P, B], T0, T0 + 9 * S), leg('c2', [C, P, A], T0 + 5 * S, T0 + 6 * S)];
    expect(roles(legs, [makeLink({ callId: 'c2', target: 'c1', rule: 'replaces', value: 'c1;to-tag=b;from-tag=a;early-only' })])[1]).toBe('pickup');
  });

  it('calls feature-code calls pickup, park and retrieve', () => {
    const legs = [leg('c1', [A, P, B], T0, T0 + S), leg('c2', [C, P, B], T0 + 5 * S, T0 + 6 * S, { ruriUser: '*8', toUser: '*8' }),
      leg('c3', [A, P, B], T0 + 7 * S, T0 + 8 * S, { ruriUser: 'park+701', toUser: 'park+701' }),
      leg('c4', [C, P, B], T0 + 9 * S, T0 + 10 * S, { ruriUser: 'unpark+701', toUser: 'unpark+701' })];
    expect(roles(legs, [])).toEqual(['original', 'pickup', 'park', 'retrieve']);
  });

  it('labels park and retrieve: a blind transfer to an orbit, then a Replaces of the parked dialog', () => {
    const legs = [leg('c1', [A, P, B], T0, T0 + S), leg('c2', [A, P, MS], T0 + 30 * S, T0 + 30 * S + 5, { toUser: 'park+701', ruriUser: 'park+701' }),
      leg('c3', [C, P, A], T0 + 70 * S, T0 + 71 * S)];
    const links = [makeLink({ callId: 'c2', target: 'c1', rule: 'blind-transfer' }), makeLink({ callId: 'c3', target: 'c2', rule: 'replaces' })];
    expect(roles(legs, links)).toEqual(['original', 'park', 'retrieve']);
  });

  it('calls a matched blind-transfer call blind-transfer', () => {
    const legs = [leg('c1', [A, P, B], T0, T0 + S), leg('c2', [A, P, C], T0 + 30 * S, T0 + 33 * S)];
    expect(roles(legs, [makeLink({ callId: 'c2', target: 'c1', rule: 'blind-transfer' })])).toEqual(['original', 'blind-transfer']);
  });

  it('labels B2B legs sharing a correlation id: inbound to the box, outbound from it', () => {
    const legs = [leg('a', [A, BOX], T0, T0 + 5 * S), leg('b', [BOX, CARRIER], T0 + 100, T0 + 5 * S - 10)];
    const links = [makeLink({ callId: 'a', target: 'B2B.1.2.3', rule: 'hep-correlation-id' }), makeLink({ callId: 'b', target: 'B2B.1.2.3', rule: 'hep-correlation-id' })];
    expect(roles(legs, links)).toEqual(['b2b-inbound', 'b2b-outbound']);
  });

  it('does not pair legs that share no B2B link, even when one starts where the other ends', () => {
    const legs = [leg('a', [A, BOX], T0, T0 + 5 * S), leg('b', [BOX, CARRIER], T0 + 100, T0 + 5 * S - 10)];
    expect(roles(legs, [])).toEqual(['original', 'leg']);
  });

  it('labels queue legs: media-server users are playback legs, the agent call is the outbound leg', () => {
    const legs = [leg('in', [A, BOX], T0, T0 + S), leg('w', [BOX, MS], T0 + 100, T0 + 200, { toUser: 'queue-welcome', ruriUser: 'queue-welcome' }),
      leg('ag', [BOX, C], T0 + 30 * S, T0 + 33 * S, { toUser: 'agent-1001', ruriUser: 'agent-1001' })];
    const links = [makeLink({ callId: 'w', target: 'in', rule: 'hep-correlation-id' }), makeLink({ callId: 'ag', target: 'in', rule: 'hep-correlation-id' })];
    expect(roles(legs, links)).toEqual(['b2b-inbound', 'media-server', 'b2b-outbound']);
  });

  it('calls a leg answered by a media-server User-Agent a media-server leg', () => {
    const l2 = leg('c2', [A, P, MS], T0 + S, null);
    l2.push(makeResponse(l2[1], 200, 'OK', { ts: T0 + 2 * S, userAgent: 'Acme Media Server 2.1' }));
    expect(roles([leg('c1', [A, P, B], T0, T0 + S), l2], [makeLink({ callId: 'c2', target: 'c1', rule: 'header' })])).toEqual(['original', 'media-server']);
    // The first leg is the call as placed, whoever answers it.
    expect(roles([l2], [])).toEqual(['original']);
  });

  it('calls the leg a media server loops back through the proxy a media-server leg and keeps the original', () => {
    const legs = [leg('c1', [A, P, MS], T0, T0 + 3 * S), leg('c2', [MS, P, B], T0 + 100, T0 + 3 * S - 100)];
    const r = legRoles(legs.map((messages, index) => ({ index, callId: messages[0].callId, messages })), [makeLink({ callId: 'c2', target: 'c1', rule: 'header', header: 'X-CID' })]);
    expect(r).toEqual([{ role: 'original', roleText: 'Original call' }, { role: 'media-server', roleText: 'Media-server leg (looped back from 10.0.0.30)' }]);
  });

  it('falls back to "Leg N" for a linked leg nothing else explains, and names Join', () => {
    const legs = [leg('c1', [A, P, B], T0, T0 + S), leg('c2', [C, P, B], T0 + 2 * S, T0 + 3 * S), leg('c3', [C, P, B], T0 + 4 * S, T0 + 5 * S)];
    const r = legRoles(legs.map((messages, index) => ({ index, callId: messages[0].callId, messages })), [makeLink({ callId: 'c3', target: 'c1', rule: 'join' })]);
    expect(r.map((x) => [x.role, x.roleText])).toEqual([['original', 'Original call'], ['leg', 'Leg 2'], ['leg', 'Leg 3 (joins leg 1)']]);
  });

  it('gives the same roles whatever the order of the links', () => {
    const legs = [leg('c1', [A, P, B], T0, T0 + S), leg('c2', [A, P, C], T0 + 10 * S, T0 + 12 * S), leg('c3', [B, P, C], T0 + 20 * S, T0 + 21 * S)];
    const links = [makeLink({ callId: 'c1', target: 'c2', rule: 'refer-replaces' }), makeLink({ callId: 'c3', target: 'c2', rule: 'replaces' })];
    expect(roles(legs, [...links].reverse())).toEqual(roles(legs, links));
  });
});
