import { describe, expect, it } from 'vitest';
import type { GroupRecord, StoredMessage } from '../store/types.ts';
import { A, B, C, hop, makeLink, makeResponse, makeStored, P, payloadsOf, T0 } from '../testing/correlate.ts';
import { buildGroupView } from './view.ts';
import { formatEndpoint } from '../hep/inet.ts';

const ALIASES = { '10.0.0.5': 'Main proxy', '10.0.1.20:5060': 'Bob' };

/** A group record with its payloads, as the view reads a slice of it. */
type Recorded = GroupRecord & { complete: boolean };

function record(messages: StoredMessage[], links: GroupRecord['links'] = [], o: Partial<GroupRecord> = {}): Recorded {
  return { groupId: messages[0].callId, callIds: [...new Set(messages.map((m) => m.callId))], correlationIds: [], messages, links, complete: true, ...o };
}

/** The view with every payload at hand. */
function viewOf(rec: Recorded) {
  return buildGroupView(rec, { aliases: ALIASES, dedupWindowMicros: 500_000, payloads: payloadsOf(rec.messages) });
}

/*
 * Leg 1 (c1): A → P → B answered; leg 2 (c2): B → P → C with Replaces: c1 (ids given out of order:
 * the store breaks time ties by id, which says nothing about cause).
 *   T0        A→P INVITE c1 (id z1), P→B INVITE c1 (id a1)     same µs
 *   T0+1s     B→P 200 c1, P→A 200 c1
 *   T0+5s     B→P INVITE c2 (Replaces c1), captured by "1" and again by "2" 300 µs later
 *   T0+5.5s   B→P INVITE c2 retransmitted, captured by "1"
 */
function transferGroup(): Recorded {
  const inv = makeStored({ id: 'z1', callId: 'c1', ...hop(A, P) });
  const fwd = makeStored({ id: 'a1', callId: 'c1', ...hop(P, B), viaBranch: 'z9hG4bK-p' });
  const ok1 = makeResponse(fwd, 200, 'OK', { id: 'a2', ts: T0 + 1_000_000 });
  const ok2 = makeResponse(inv, 200, 'OK', { id: 'a3', ts: T0 + 1_000_000 });
  const base = { callId: 'c2', ...hop(B, P), fromUser: 'bob', toUser: 'carol', ruriUser: 'carol', raw: 'INVITE c2', viaBranch: 'z9hG4bK-c2' };
  const c2 = makeStored({ id: 'b1', ts: T0 + 5_000_000, ...base });
  const c2dup = makeStored({ id: 'b2', ts: T0 + 5_000_300, captureId: '2', ...base });
  const c2again = makeStored({ id: 'b3', ts: T0 + 5_500_000, ...base });
  const log = makeStored({ id: 'l1', ts: T0 + 6_000_000, protoType: 100, callId: 'corr-9', method: null, cseqNum: null, cseqMethod: null, raw: 'ERROR: x' });
  return record([fwd, inv, ok1, ok2, c2, c2dup, c2again, log], [
    makeLink({ callId: 'c2', target: 'c1', rule: 'replaces', header: 'Replaces', value: 'c1;to-tag=tt1;from-tag=ft1', messageId: 'b1', ts: c2.ts }),
    makeLink({ callId: 'c2', target: 'corr-9', rule: 'hep-correlation-id', header: '0x0011', value: 'corr-9', messageId: 'b1', ts: c2.ts }),
  ], { groupId: 'c1', callIds: ['c1', 'c2'], correlationIds: ['corr-9'] });
}

describe('buildGroupView', () => {
  const view = viewOf(transferGroup());

  it('answers the group ids as stored', () => {
    expect([view.id, view.callIds, view.correlationIds]).toEqual(['c1', ['c1', 'c2'], ['corr-9']]);
  });

  it('orders legs by first message, with role, legend text and the links that brought them in', () => {
    expect(view.legs.map((l) => [l.index, l.callId, l.role, l.roleText, l.status, l.messages, l.fromUser, l.toUser])).toEqual([
      [0, 'c1', 'original', 'Original call', 200, 4, 'alice', 'bob'],
      [1, 'c2', 'replacement', 'Replacement call (INVITE with Replaces naming leg 1)', null, 3, 'bob', 'carol'],
    ]);
    expect(view.legs[0].links).toEqual([]);
    expect(view.legs[1].links.map((l) => [l.rule, l.targetLeg, l.text])).toEqual([
      ['replaces', 0, 'INVITE with Replaces naming leg 1'],
      ['hep-correlation-id', null, 'HEP correlation id corr-9'],
    ]);
  });

  it('gives each leg its KPIs from its own messages, duplicate captures not counted as retransmissions', () => {
    // Leg 1: answered on both hops 1 s after the INVITE (no 180: PDD runs to the 200).
    expect(view.legs[0].kpi).toEqual({ disposition: 'answered', pddMs: 1000, setupMs: 1000, durationMs: null, finalStatus: 200, problems: [] });
    // Leg 2: no answer yet; b2 is a second capture of b1, b3 is a real retransmission.
    expect(view.legs[1].kpi).toEqual({
      disposition: 'in-progress', pddMs: null, setupMs: null, durationMs: null, finalStatus: null,
      problems: [{ code: 'retransmissions', messageId: 'b3', count: 1 }],
    });
  });

  it('puts messages in time order, ties by cause, with duplicates folded and retransmissions marked', () => {
    expect(view.messages.map((m) => [m.id, m.label, m.leg, m.captureIds, m.duplicateIds, m.retransmission])).toEqual([
      ['z1', 'INVITE', 0, ['1'], [], false],
      ['a1', 'INVITE', 0, ['1'], [], false],
      ['a2', '200 OK', 0, ['1'], [], false],
      ['a3', '200 OK', 0, ['1'], [], false],
      ['b1', 'INVITE', 1, ['1', '2'], ['b2'], false],
      ['b3', 'INVITE', 1, ['1'], [], true],
      ['l1', 'LOG', 1, ['1'], [], false],
    ]);
  });

  it('lists endpoints in order of first appearance with their aliases', () => {
    expect(view.endpoints).toEqual([
      { id: '10.0.1.10:5060', ip: A.ip, port: 5060, alias: null },
      { id: '10.0.0.5:5060', ip: P.ip, port: 5060, alias: 'Main proxy' },
      { id: '10.0.1.20:5060', ip: B.ip, port: 5060, alias: 'Bob' },
    ]);
    expect(C.ip).not.toBe(B.ip);
  });

  it('fills each message\'s endpoints, CSeq and capture fields', () => {
    expect(view.messages[0]).toMatchObject({ src: '10.0.1.10:5060', dst: '10.0.0.5:5060', cseq: '1 INVITE', cseqMethod: 'INVITE', transport: 'udp', malformed: null });
  });

  it('writes IPv6 endpoints in brackets', () => {
    expect(formatEndpoint('2001:db8::5', 5060)).toBe('[2001:db8::5]:5060');
    const v = viewOf(record([makeStored({ srcIp: '2001:db8::1', dstIp: '2001:db8::5' })]));
    expect(v.endpoints.map((e) => e.id)).toEqual(['[2001:db8::1]:5060', '[2001:db8::5]:5060']);
    expect(v.messages[0]).toMatchObject({ src: '[2001:db8::1]:5060', dst: '[2001:db8::5]:5060' });
  });

  it('of a slice that is not complete, says so and shows the legs and endpoints of its messages only', () => {
    const whole = transferGroup();
    const v = viewOf({ ...whole, messages: whole.messages.slice(0, 4), complete: false });
    expect(v.complete).toBe(false);
    expect(v.legs.map((l) => l.callId)).toEqual(['c1']);
    expect(v.endpoints.map((e) => e.id)).toEqual(['10.0.1.10:5060', '10.0.0.5:5060', '10.0.1.20:5060']);
    expect(v.messages.map((m) => m.id)).toEqual(['z1', 'a1', 'a2', 'a3']);
    expect(view.complete).toBe(true);
  });

  it('labels a response without reason by its code and a malformed message as such', () => {
    const req = makeStored({ id: 'r' });
    const v = viewOf(record([req, makeResponse(req, 183, '', { id: 's', ts: T0 + 1, reason: null }), makeStored({ id: 'x', ts: T0 + 2, method: null, problems: 'bad-start-line' })]));
    expect(v.messages.map((m) => [m.label, m.malformed])).toEqual([['INVITE', null], ['183', null], ['(malformed)', 'bad-start-line']]);
  });

  it('judges an INVITE unanswered for 64×T1 before the time it is read as timed out, only when it holds the whole group', () => {
    const inv = makeStored({ id: 'i', ...hop(A, B) });
    const ringing = makeResponse(inv, 180, 'Ringing', { id: 'r', ts: T0 + 100_000 });
    const at = (rec: Recorded, nowMicros: number) => buildGroupView(rec, { aliases: {}, dedupWindowMicros: 500_000, payloads: payloadsOf(rec.messages), nowMicros }).legs[0].kpi;
    const whole = record([inv, ringing]);
    expect(at(whole, T0 + 31_000_000)).toMatchObject({ disposition: 'in-progress', problems: [] });
    expect(at(whole, T0 + 33_000_000)).toMatchObject({ disposition: 'failed', problems: [{ code: 'no-final-response', messageId: 'i' }] });
    // A first page may stop before the answer: no verdict on it.
    expect(at({ ...whole, complete: false }, T0 + 33_000_000)).toMatchObject({ disposition: 'in-progress', problems: [] });
  });
});
