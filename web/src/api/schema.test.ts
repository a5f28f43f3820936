import { describe, expect, it } from 'vitest';
import type { ApiMessage } from '../../../server/api/types.ts';
import { messageSchema } from '../../../server/api/schemas.ts';
import { SchemaError, callPage, group, message, messages, validate } from './schema.ts';

const goodMessage: ApiMessage = {
  id: 'm1', callId: 'c1', leg: 0, ts: 1_700_000_000_000_000, srcIp: '10.0.0.1', srcPort: 5060, dstIp: '10.0.0.2', dstPort: 5060,
  src: '10.0.0.1:5060', dst: '10.0.0.2:5060', transport: 'udp', protoType: 1, method: 'INVITE', status: null, reason: null,
  cseq: '1 INVITE', cseqMethod: 'INVITE', label: 'INVITE', hasSdp: true, captureIds: ['1'], duplicateIds: [],
  hepCorrelationId: null, retransmission: false, malformed: null, fromUser: 'alice', toUser: null,
  kind: 'sip', text: null, level: null, latencyMs: null, stats: null,
};

/** Values of every JSON kind, right or wrong depending on the field. */
const PROBES: unknown[] = [undefined, null, 0, 7.5, Number.NaN, Number.POSITIVE_INFINITY, '', 'x', true, false, [], ['a'], [1], {}];

const throws = (f: () => unknown): boolean => {
  try {
    f();
    return false;
  } catch (err) {
    if (!(err instanceof SchemaError)) throw err;
    return true;
  }
};

describe('response schemas', () => {
  it('accepts a well-formed call page', () => {
    const page = {
      items: [{ groupId: 'g', callIds: ['g'], correlationIds: [], start: 1, duration: 2, caller: 'a', callee: null, legs: 1, messages: 3, method: 'INVITE', status: 200,
        disposition: 'answered', pddMs: 120, setupMs: 900, durationMs: null, finalStatus: 200, problems: ['retransmissions'],
        scenario: 'attended-transfer' }],
      next: null,
    };
    expect(callPage(page, '$')).toBe(page);
  });

  it('checks the KPI fields of a call item', () => {
    const item = { groupId: 'g', callIds: ['g'], correlationIds: [], start: 1, duration: 2, caller: null, callee: null, legs: 1, messages: 1, method: 'OPTIONS',
      status: 200, disposition: null, pddMs: null, setupMs: null, durationMs: null, finalStatus: null, problems: [], scenario: 'basic' };
    expect(callPage({ items: [item], next: null }, '$')).toBeTruthy();
    expect(() => validate(callPage, { items: [{ ...item, problems: [7] }], next: null })).toThrow('$.items[0].problems[0]');
    expect(() => validate(callPage, { items: [{ ...item, pddMs: '120' }], next: null })).toThrow('$.items[0].pddMs');
    const { disposition: _, ...missing } = item;
    expect(() => validate(callPage, { items: [missing], next: null })).toThrow('$.items[0].disposition');
    // A kind this app does not know (a newer server's) is refused at the boundary, never drawn as a guess.
    expect(() => validate(callPage, { items: [{ ...item, scenario: 'conference' }], next: null })).toThrow('$.items[0].scenario');
  });

  it('names the path of the first wrong field', () => {
    const bad = { id: 'g', callIds: ['g'], correlationIds: [], complete: true, legs: [], endpoints: [{ id: 'x', ip: 'x', port: '5060', alias: null }], messages: [], media: [] };
    expect(() => validate(group, bad)).toThrow(SchemaError);
    expect(() => validate(group, bad)).toThrow('$.endpoints[0].port');
  });

  it('refuses a non-object answer', () => {
    expect(() => validate(callPage, '<html>')).toThrow('expected object');
  });

  it('checks group messages by the same rules as the generic message check, field for field', () => {
    // The fast check is written by hand: every field of the schema must be probed here.
    expect(Object.keys(goodMessage).sort()).toEqual(Object.keys(messageSchema.properties).sort());
    expect(messages([goodMessage], null)).toEqual([goodMessage]);
    for (const key of Object.keys(messageSchema.properties)) {
      for (const probe of PROBES) {
        const m = { ...goodMessage, [key]: probe };
        expect({ key, probe, fast: throws(() => messages([goodMessage, m], null)) }).toEqual({ key, probe, fast: throws(() => message(m, null)) });
      }
    }
  });

  it('names the wrong field of a message found by the fast check', () => {
    const bad = { id: 'g', callIds: ['g'], correlationIds: [], complete: true, legs: [], endpoints: [], messages: [goodMessage, { ...goodMessage, captureIds: [1] }] };
    expect(() => validate(group, bad)).toThrow('$.messages[1].captureIds[0]');
  });

  it('refuses a message that is not an object', () => {
    for (const v of [null, 'm', [goodMessage]]) expect(throws(() => messages([v], null))).toBe(true);
  });
});
