import { describe, expect, it } from 'vitest';
import { legLinks, linkText, shortId } from './explain.ts';
import { makeLink, makeStored, T0 } from '../testing/correlate.ts';

const out = (otherLeg: number | null, shared = false, method: string | null = 'INVITE') => ({ direction: 'out' as const, otherLeg, shared, method });
const inc = (otherLeg: number, method: string | null = 'INVITE') => ({ direction: 'in' as const, otherLeg, shared: false, method });

describe('linkText', () => {
  it('tells shared values (Session-ID, icid, a config rule by its name) and the leg that shares them', () => {
    const sid = { rule: 'session-id' as const, header: 'Session-ID', value: 'v', target: 'ab30317f1a784dc48ff824d0d3715d86' };
    expect(linkText(sid, out(0, true))).toBe('Session-ID ab30317f… shared with leg 1');
    expect(linkText(sid, out(null))).toBe('Session-ID ab30317f…');
    expect(linkText({ rule: 'icid', header: 'P-Charging-Vector', value: 'v', target: 'Ay01' }, out(1, true))).toBe('IMS charging id (icid-value) Ay01 shared with leg 2');
    expect(linkText({ rule: 'user', header: 'hdap', value: 'v', target: 't-1' }, out(0, true))).toBe('Rule "hdap": t-1 shared with leg 1');
    expect(linkText({ rule: 'user', header: 'hdap', value: 'v', target: 'c1' }, inc(1))).toBe('Leg 2 carries this Call-ID as Rule "hdap"');
  });

  it('tells an inferred link from both ends, saying it is inferred and giving its evidence', () => {
    const l = { rule: 'inferred' as const, header: 'SBC', value: '300 ms; 930123456 → 4940555', target: 'a1' };
    expect(linkText(l, out(0))).toBe('Inferred, no shared id: left SBC 300 ms after leg 1 reached it, same numbers 930123456 → 4940555');
    expect(linkText(l, inc(2))).toBe('Inferred, no shared id: leg 3 left SBC 300 ms after this leg reached it, same numbers 930123456 → 4940555');
  });

  it('tells forwards and redirects from both ends', () => {
    expect(linkText({ rule: 'history-info', header: 'History-Info', value: 'v', target: 'c1' }, out(0))).toBe('Forwarded call: its History-Info names the target of leg 1');
    expect(linkText({ rule: 'diversion', header: 'Diversion', value: 'v', target: 'c1' }, inc(2))).toBe('Forwarded on by the new call of leg 3 (Diversion)');
    expect(linkText({ rule: 'redirect', header: 'Contact', value: 'v', target: 'c1' }, out(0))).toBe('New call to the Contact of the 3xx on leg 1');
    expect(linkText({ rule: 'redirect', header: 'Contact', value: 'v', target: 'c2' }, inc(1))).toBe('Its 3xx redirect was followed by the new call of leg 2');
  });

  it('says which leg a Replaces, Join, REFER or header names, counting legs from 1', () => {
    expect(linkText({ rule: 'replaces', header: 'Replaces', value: 'c1;to-tag=a', target: 'c1' }, out(0))).toBe('INVITE with Replaces naming leg 1');
    expect(linkText({ rule: 'join', header: 'Join', value: 'c1', target: 'c1' }, out(1))).toBe('INVITE with Join naming leg 2');
    expect(linkText({ rule: 'refer-replaces', header: 'Refer-To', value: '<sip:c?Replaces=c2>', target: 'c2' }, out(1, false, 'REFER'))).toBe('REFER with Replaces naming leg 2');
    expect(linkText({ rule: 'header', header: 'X-CID', value: 'c1', target: 'c1' }, out(0))).toBe('X-CID header naming leg 1');
    expect(linkText({ rule: 'blind-transfer', header: 'Refer-To', value: 'sip:carol@x', target: 'c1' }, out(0))).toBe('New call to the Refer-To target of the REFER on leg 1');
    expect(linkText({ rule: 'b2b-suffix', header: 'Call-ID', value: 'c1_b2b-1', target: 'c1' }, out(0))).toBe("Call-ID with the _b2b suffix of leg 1's Call-ID");
  });

  it('tells a shared HEP correlation id from one that is another leg\'s Call-ID, shortening long ids', () => {
    const l = { rule: 'hep-correlation-id' as const, header: '0x0011', value: '8f2c41d0-77aa-4c1e', target: '8f2c41d0-77aa-4c1e' };
    expect(linkText(l, out(0, true))).toBe('HEP correlation id 8f2c41d0… shared with leg 1');
    expect(linkText(l, out(0, false))).toBe('HEP correlation id 8f2c41d0… = Call-ID of leg 1');
    expect(linkText(l, out(null))).toBe('HEP correlation id 8f2c41d0…');
    expect(shortId('short-id')).toBe('short-id');
  });

  it('words a link seen from the leg it names', () => {
    expect(linkText({ rule: 'refer-replaces', header: 'Refer-To', value: 'v', target: 'c2' }, inc(0, 'REFER'))).toBe('Named by the Replaces in the REFER of leg 1');
    expect(linkText({ rule: 'replaces', header: 'Replaces', value: 'v', target: 'c2' }, inc(2))).toBe('Replaced by the INVITE of leg 3');
    expect(linkText({ rule: 'header', header: 'X-CID', value: 'v', target: 'c2' }, inc(0))).toBe('Named by the X-CID header of leg 1');
  });
});

describe('legLinks', () => {
  /*
   * leg 1 c1 ── REFER (Refer-To ...?Replaces=c2) ──► names leg 2
   * leg 2 c2
   * leg 3 c3 ── INVITE Replaces: c2, 0x0011 = c1
   */
  const legOf = new Map([['c1', 0], ['c2', 1], ['c3', 2]]);
  const refer = makeStored({ id: 'refer', callId: 'c1', method: 'REFER' });
  const inv = makeStored({ id: 'inv', callId: 'c3', method: 'INVITE' });
  const messages = new Map([[refer.id, refer], [inv.id, inv]]);

  it('tells each link once, on the later of its two legs, and nothing on the first leg', () => {
    const links = [
      makeLink({ callId: 'c1', target: 'c2', rule: 'refer-replaces', header: 'Refer-To', messageId: 'refer', ts: T0 + 1 }),
      makeLink({ callId: 'c3', target: 'c2', rule: 'replaces', header: 'Replaces', messageId: 'inv', ts: T0 + 2 }),
      makeLink({ callId: 'c3', target: 'c1', rule: 'hep-correlation-id', header: '0x0011', messageId: 'inv', ts: T0 + 2 }),
      makeLink({ callId: 'c3', target: 'c1', rule: 'hep-correlation-id', header: '0x0011', messageId: 'inv', ts: T0 + 3 }),
    ];
    const r = legLinks(3, legOf, links, messages);
    expect(r[0]).toEqual([]);
    expect(r[1]).toEqual([{ rule: 'refer-replaces', header: 'Refer-To', value: 'c2', target: 'c1', targetLeg: 0, messageId: 'refer', text: 'Named by the Replaces in the REFER of leg 1' }]);
    expect(r[2].map((l) => [l.text, l.target, l.targetLeg])).toEqual([
      ['INVITE with Replaces naming leg 2', 'c2', 1],
      ['HEP correlation id c1 = Call-ID of leg 1', 'c1', 0],
    ]);
  });

  it('names the first other leg that carries a shared correlation id', () => {
    const links = [
      makeLink({ callId: 'c1', target: 'B2B.9.9.9', rule: 'hep-correlation-id', value: 'B2B.9.9.9' }),
      makeLink({ callId: 'c3', target: 'B2B.9.9.9', rule: 'hep-correlation-id', value: 'B2B.9.9.9' }),
      makeLink({ callId: 'c2', target: 'lonely-id', rule: 'hep-correlation-id', value: 'lonely-id' }),
    ];
    const r = legLinks(3, legOf, links, messages);
    expect(r[2].map((l) => [l.text, l.targetLeg])).toEqual([['HEP correlation id B2B.9.9.9 shared with leg 1', 0]]);
    expect(r[1].map((l) => [l.text, l.targetLeg])).toEqual([['HEP correlation id lonely-id', null]]);
  });
});
