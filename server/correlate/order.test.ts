import { describe, expect, it } from 'vitest';
import { A, B, C, hop, makeResponse, makeStored, P, T0 } from '../testing/correlate.ts';
import { orderByCause, precedes, relays } from './order.ts';

const ids = (xs: { id: string }[]): string[] => xs.map((x) => x.id);
const byCause = <T extends { id: string }>(xs: T[]): string[] => ids(orderByCause(xs, (x) => x as never));

/*
 * One proxy traces in and out in the same microsecond:
 *   A ──INVITE──► P ──INVITE──► B        (both at T0)
 *   A ◄──180───── P ◄──180────── B        (both at T0 + 1 s)
 * The store may hand them back in any id order.
 */
describe('orderByCause', () => {
  const inA = makeStored({ id: 'inv-in', ...hop(A, P) });
  const outB = makeStored({ id: 'inv-out', ...hop(P, B), viaBranch: 'z9hG4bK-p' });

  it('puts the request a node received before the one it forwarded', () => {
    expect(byCause([outB, inA])).toEqual(['inv-in', 'inv-out']);
  });

  it('puts a request before its response on the same hop', () => {
    const trying = makeResponse(inA, 100, 'Trying', { id: 'trying' });
    expect(byCause([trying, inA])).toEqual(['inv-in', 'trying']);
  });

  it('puts the response a proxy received before the one it relays upstream', () => {
    const fromB = makeResponse(outB, 180, 'Ringing', { id: '180-in', ts: T0 + 1 });
    const toA = makeResponse(inA, 180, 'Ringing', { id: '180-out', ts: T0 + 1 });
    expect(byCause([toA, fromB])).toEqual(['180-in', '180-out']);
  });

  it('puts an INVITE before its CANCEL, and a final response before the ACK its receiver sends', () => {
    const cancel = makeStored({ id: 'cancel', ...hop(A, P), method: 'CANCEL', cseqMethod: 'CANCEL' });
    expect(byCause([cancel, inA])).toEqual(['inv-in', 'cancel']);
    const busy = makeResponse(outB, 486, 'Busy Here', { id: '486' });
    const ack = makeStored({ id: 'ack', ...hop(P, B), method: 'ACK', cseqMethod: 'ACK', viaBranch: 'z9hG4bK-p' });
    expect(byCause([ack, busy])).toEqual(['486', 'ack']);
  });

  it('puts a provisional response before a final one on the same hop', () => {
    const ok = makeResponse(inA, 200, 'OK', { id: '200' });
    const ringing = makeResponse(inA, 180, 'Ringing', { id: '180' });
    expect(byCause([ok, ringing])).toEqual(['180', '200']);
  });

  it('keeps the input order of unrelated messages, and of messages at different times', () => {
    const other = makeStored({ id: 'other', callId: 'call-2', ...hop(B, P) });
    expect(byCause([other, inA])).toEqual(['other', 'inv-in']);
    const later = { ...inA, id: 'later', ts: T0 + 5 };
    expect(byCause([outB, later])).toEqual(['inv-out', 'later']);
  });

  it('orders a whole tie of a proxied INVITE, its 100 Trying and the relayed INVITE by cause', () => {
    const trying = makeResponse(inA, 100, 'Trying', { id: 'trying' });
    expect(byCause([outB, trying, inA])).toEqual(['inv-in', 'inv-out', 'trying']);
  });

  it('orders a B2BUA inbound INVITE before its outbound INVITE across Call-IDs', () => {
    //  A ──INVITE (leg-a)──► P(B2BUA) ──INVITE (leg-b)──► B, both at T0, outbound listed first
    const bLeg = makeStored({ id: 'b-leg', callId: 'leg-b', ...hop(P, B) });
    const aLeg = makeStored({ id: 'a-leg', callId: 'leg-a', ...hop(A, P) });
    expect(byCause([bLeg, aLeg])).toEqual(['a-leg', 'b-leg']);
  });

  it('orders a B2BUA relayed response from the callee back towards the caller across Call-IDs', () => {
    //  A ◄──180 (leg-a)── P(B2BUA) ◄──180 (leg-b)── B, same timestamp, listed backwards
    const toA = makeStored({ id: 'p-a', callId: 'leg-a', ...hop(P, A), method: null, status: 180 });
    const fromB = makeStored({ id: 'b-p', callId: 'leg-b', ...hop(B, P), method: null, status: 180 });
    expect(byCause([toA, fromB])).toEqual(['b-p', 'p-a']);
    expect(relays(fromB, toA)).toBe(true);
    expect(relays(toA, fromB)).toBe(false);
  });

  it('terminates on a cycle made by bad clocks and keeps every message', () => {
    //  A ─INFO─► B ─INFO─► C ─INFO─► A, one transaction at one timestamp: each arrives where the next leaves
    const info = { method: 'INFO', cseqMethod: 'INFO' };
    const x = makeStored({ id: 'x', ...hop(A, B), ...info });
    const y = makeStored({ id: 'y', ...hop(B, C), ...info });
    const z = makeStored({ id: 'z', ...hop(C, A), ...info });
    expect(precedes(x, y) && precedes(y, z) && precedes(z, x)).toBe(true);
    expect(byCause([x, y, z]).sort()).toEqual(['x', 'y', 'z']);
  });

  it('does not relate messages of different Call-IDs or CSeqs', () => {
    expect(precedes(inA, { ...outB, callId: 'x' })).toBe(false);
    expect(precedes(inA, { ...outB, cseqNum: 2 })).toBe(false);
  });
});
