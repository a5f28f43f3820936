import { describe, expect, it } from 'vitest';
import { itemSides, itemText, kindOf, levelClass } from './kinds.ts';
import { layoutLadder } from './layout.ts';

describe('item kinds', () => {
  it('reads a message without a kind (a lean first page) as SIP', () => {
    expect(kindOf({})).toBe('sip');
    expect(kindOf({ kind: 'rtcp' })).toBe('rtcp');
    expect(kindOf({ kind: 'bogus' })).toBe('sip');
  });

  it('writes a row text per kind: level and first line of a log, REST latency, report figures', () => {
    expect(itemText({ kind: 'log', label: 'LOG', text: 'no route to bob: 404\nsecond line\n', level: 'error' })).toBe('ERROR no route to bob: 404');
    expect(itemText({ kind: 'rest', label: 'REST', text: 'HTTP/1.1 200 OK', latencyMs: 42.5 })).toBe('HTTP/1.1 200 OK · 42.5 ms');
    expect(itemText({
      kind: 'rtcp', label: 'RTCP',
      stats: { ssrc: 0x5e0b3d11, jitterMs: 20, fractionLost: 0.1016, packetsLost: 51, rttMs: 12, mos: 3.91 },
    })).toBe('RTCP 0x5e0b3d11 · jitter 20 ms · loss 10.2 % · lost 51 · RTT 12 ms · MOS 3.91');
    expect(itemText({ kind: 'log', label: 'LOG', text: 'x'.repeat(500), level: null }).length).toBe(140);
  });

  it('colours log levels in four classes', () => {
    expect(['critical', 'warning', 'notice', 'debug', null].map(levelClass)).toEqual(['error', 'warning', 'info', 'debug', 'info']);
  });

  it('puts a log or report on the side of its leg when the leg is on one side', () => {
    //  leg 0: two caller-side SIP messages and a log (its own endpoints say "other");
    //  leg 1: SIP on both sides (a proxied leg): its report keeps its own side.
    const messages = [{ leg: 0 }, { leg: 0, kind: 'sip' }, { leg: 0, kind: 'log' }, { leg: 1 }, { leg: 1 }, { leg: 1, kind: 'rtcp' }];
    expect(itemSides(messages, ['caller', 'caller', 'other', 'caller', 'callee', 'other'])).toEqual(['caller', 'caller', 'caller', 'caller', 'callee', 'other']);
  });

  it('leaves the hidden kinds out of the layout', () => {
    const messages = [{ leg: 0, src: 'a', dst: 'b' }, { leg: 0, src: 'a', dst: 'a', kind: 'log' }, { leg: 0, src: 'b', dst: 'a', kind: 'rtcp' }];
    const opts = { columns: ['a', 'b'], keyOf: new Map([['a', 'a'], ['b', 'b']]), hiddenLegs: new Set<number>(), sides: [], sideMode: 'both' as const };
    expect(layoutLadder(messages, opts).rows.map((r) => r.message)).toEqual([0, 1, 2]);
    expect(layoutLadder(messages, { ...opts, hiddenKinds: new Set(['rtcp', 'log']) }).rows.map((r) => r.message)).toEqual([0]);
  });
});
