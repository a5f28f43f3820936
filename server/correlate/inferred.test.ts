import { describe, expect, it } from 'vitest';
import { InferredMatcher, normalizeNumber, resolveBoxes, type InferredMessage, type InferredOptions } from './inferred.ts';
import { linkText } from './explain.ts';
import { T0 } from '../testing/correlate.ts';

/*
 *   A 10.0.1.10 ──INVITE a1 (+4930123456 → 4940555)──▶ SBC 10.0.0.5:5060   at T0
 *   SBC 10.0.0.5:5060 ──INVITE b1 (004930123456 → 4940555)──▶ B 10.0.1.20   at T0 + 150 ms
 */
const A = { ip: '10.0.1.10', port: 5060 };
const SBC = { ip: '10.0.0.5', port: 5060 };
const B = { ip: '10.0.1.20', port: 5060 };
const MS = 1000;

const options = (o: Partial<InferredOptions> = {}): InferredOptions => ({
  boxes: ['SBC'], aliases: { '10.0.0.5': 'SBC' }, windowMicros: 2000 * MS, digits: 9, stripPrefixes: ['+', '00'], ...o,
});

function invite(callId: string, from: { ip: string; port: number }, to: { ip: string; port: number }, o: Partial<InferredMessage> = {}): InferredMessage {
  return {
    ts: T0, callId, method: 'INVITE', toTag: null, srcIp: from.ip, srcPort: from.port, dstIp: to.ip, dstPort: to.port,
    fromUser: '+4930123456', toUser: '4940555', ruriUser: '4940555', links: [], ...o,
  };
}
const arrival = (callId: string, o: Partial<InferredMessage> = {}) => invite(callId, A, SBC, o);
const departure = (callId: string, o: Partial<InferredMessage> = {}) => invite(callId, SBC, B, { fromUser: '004930123456', ...o });

describe('InferredMatcher', () => {
  it('links a B-leg leaving the box within the window to the A-leg that reached it, with the evidence', () => {
    const m = new InferredMatcher(options());
    expect(m.step(arrival('a1'))).toBeNull();
    const link = m.step(departure('b1', { ts: T0 + 150 * MS }));
    expect(link).toEqual({ target: 'a1', rule: 'inferred', header: 'SBC', value: '150 ms; 930123456 → 4940555' });
    expect(linkText(link!, { direction: 'out', otherLeg: 0, shared: false, method: 'INVITE' }))
      .toBe('Inferred, no shared id: left SBC 150 ms after leg 1 reached it, same numbers 930123456 → 4940555');
  });

  it('does not link two unrelated calls with the same numbers a minute apart', () => {
    const m = new InferredMatcher(options());
    m.step(arrival('a1'));
    expect(m.step(departure('b2', { ts: T0 + 60_000 * MS }))).toBeNull();
    expect(m.step(departure('b3', { ts: T0 + 2001 * MS }))).toBeNull();
  });

  it('links nothing when no box is configured, or for other numbers, a re-INVITE or a box the call does not cross', () => {
    const off = new InferredMatcher(options({ boxes: [] }));
    expect(off.enabled).toBe(false);
    off.step(arrival('a1'));
    expect(off.step(departure('b1', { ts: T0 + 10 * MS }))).toBeNull();
    const m = new InferredMatcher(options());
    m.step(arrival('a1'));
    expect(m.step(departure('b1', { ts: T0 + 10 * MS, ruriUser: '4940556', toUser: '4940556' }))).toBeNull();
    expect(m.step(departure('b2', { ts: T0 + 10 * MS, toTag: 'x' }))).toBeNull();
    expect(m.step(invite('b3', A, B, { ts: T0 + 10 * MS }))).toBeNull();
    expect(m.step(departure('b4', { ts: T0 + 20 * MS }))).not.toBeNull();
  });

  it('does not take a retransmitted or twice-captured A-leg INVITE for a new arrival', () => {
    const m = new InferredMatcher(options());
    m.step(arrival('a1'));
    m.step(arrival('a1', { ts: T0 + 500 * MS })); // Timer A retransmission
    expect(m.step(departure('b1', { ts: T0 + 600 * MS }))?.target).toBe('a1');
    // b1 retransmitted: not a second departure, and a1 is taken anyway
    expect(m.step(departure('b1', { ts: T0 + 1100 * MS }))).toBeNull();
    expect(m.step(departure('b2', { ts: T0 + 1200 * MS }))).toBeNull();
  });

  it('does not link a call the box proxies on its own Call-ID to another call with the same numbers', () => {
    const m = new InferredMatcher(options());
    m.step(arrival('x'));
    m.step(arrival('y', { ts: T0 + 10 * MS }));
    expect(m.step(departure('x', { ts: T0 + 20 * MS }))).toBeNull();
  });

  it('lets a certain link (X-CID) take its A-leg, so that the A-leg is not inferred for another call', () => {
    const m = new InferredMatcher(options());
    m.step(arrival('a1'));
    expect(m.step(departure('b1', { ts: T0 + 10 * MS, links: [{ target: 'a1', rule: 'header', header: 'X-CID', value: 'a1' }] }))).toBeNull();
    expect(m.step(departure('b2', { ts: T0 + 20 * MS }))).toBeNull();
  });

  it('pairs each of 500 calls in progress with its own partner when the numbers differ', () => {
    const m = new InferredMatcher(options());
    const num = (i: number) => ({ fromUser: `+49301${String(i).padStart(5, '0')}`, ruriUser: `4940${String(i).padStart(5, '0')}`, toUser: null });
    for (let i = 0; i < 500; i++) m.step(arrival(`a${i}`, { ts: T0 + i * MS, ...num(i) }));
    // B-legs leave in reverse order, all within the window of their A-leg.
    const found = new Map<string, string>();
    for (let i = 499; i >= 0; i--) {
      const link = m.step(departure(`b${i}`, { ts: T0 + 1000 * MS + (499 - i) * MS, ...num(i) }));
      if (link) found.set(`b${i}`, link.target);
    }
    expect(found.size).toBe(500);
    for (const [b, a] of found) expect(a).toBe(b.replace('b', 'a'));
  });

  it('never links a departure wrongly when 500 calls in progress share the same numbers: ambiguous ones stay unlinked', () => {
    const m = new InferredMatcher(options());
    for (let i = 0; i < 500; i++) m.step(arrival(`a${i}`, { ts: T0 + i * MS }));
    const links = Array.from({ length: 500 }, (_, i) => m.step(departure(`b${i}`, { ts: T0 + 600 * MS + i * MS })));
    expect(links.every((l) => l === null)).toBe(true);
  });

  it("with ties 'earliest', pairs calls with the same numbers first in, first out, each A-leg once", () => {
    const m = new InferredMatcher(options({ ties: 'earliest' }));
    for (let i = 0; i < 500; i++) m.step(arrival(`a${i}`, { ts: T0 + i * MS }));
    const targets = Array.from({ length: 500 }, (_, i) => m.step(departure(`b${i}`, { ts: T0 + 600 * MS + i * MS }))?.target);
    expect(targets).toEqual(Array.from({ length: 500 }, (_, i) => `a${i}`));
    expect(m.step(departure('b500', { ts: T0 + 1200 * MS }))).toBeNull();
  });

  it('links a call again once its partner is taken: each arrival matches at most once', () => {
    const m = new InferredMatcher(options());
    m.step(arrival('a1'));
    expect(m.step(departure('b1', { ts: T0 + 100 * MS }))?.target).toBe('a1');
    m.step(arrival('a2', { ts: T0 + 300 * MS }));
    expect(m.step(departure('b2', { ts: T0 + 400 * MS }))?.target).toBe('a2');
  });

  it('follows a call through two boxes in a row', () => {
    const m = new InferredMatcher(options({ boxes: ['SBC', '10.0.0.6:5060'] }));
    const core = { ip: '10.0.0.6', port: 5060 };
    m.step(arrival('a1'));
    expect(m.step(invite('b1', SBC, core, { ts: T0 + 10 * MS }))?.target).toBe('a1');
    const link = m.step(invite('c1', core, B, { ts: T0 + 20 * MS }));
    expect(link).toMatchObject({ target: 'b1', header: '10.0.0.6:5060' });
  });
});

describe('normalizeNumber', () => {
  it('strips the longest configured prefix once, separators and URI parameters, and keeps the last digits', () => {
    const strip = ['+', '00', '0'];
    expect(normalizeNumber('+49 30 123-456', 0, strip)).toBe('4930123456');
    expect(normalizeNumber('004930123456', 0, strip)).toBe('4930123456');
    expect(normalizeNumber('030123456;npdi', 0, strip)).toBe('30123456');
    expect(normalizeNumber('+4930123456', 8, strip)).toBe('30123456');
    expect(normalizeNumber('1001', 9, strip)).toBe('1001');
    expect(normalizeNumber('Anonymous', 9, strip)).toBe('anonymous');
    expect(normalizeNumber('+', 9, strip)).toBe('+');
    expect(normalizeNumber(null, 9, strip)).toBeNull();
  });
});

describe('resolveBoxes', () => {
  it('takes an alias for every endpoint that bears it, or an address with or without port', () => {
    const aliases = { '10.0.0.5': 'SBC', '10.0.0.7:5080': 'SBC', '10.0.0.9': 'Proxy' };
    expect(resolveBoxes(['SBC', '10.0.0.8:5060', '2001:db8::5', '[2001:db8::6]:5060'], aliases)).toEqual(new Map([
      ['10.0.0.5', 'SBC'], ['10.0.0.7:5080', 'SBC'], ['10.0.0.8:5060', '10.0.0.8:5060'], ['2001:db8::5', '2001:db8::5'],
      ['[2001:db8::6]:5060', '[2001:db8::6]:5060'],
    ]));
  });

  it('refuses a name that is neither an alias nor an address, listing the aliases', () => {
    expect(() => resolveBoxes(['SBX'], { '10.0.0.5': 'SBC' })).toThrow('box "SBX" is neither an alias (aliases: SBC) nor ip[:port]');
    expect(() => resolveBoxes(['10.0.0.300'], {})).toThrow('nor ip[:port]');
  });
});
