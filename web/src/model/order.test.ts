import { describe, expect, it } from 'vitest';
import { orderMessages, type OrderableMessage } from './order.ts';

function makeMsg(over: Partial<OrderableMessage> & { id: string }): OrderableMessage & { id: string } {
  return { ts: 1_000, callId: 'c1', src: 'A', dst: 'P', method: 'INVITE', status: null, cseq: '1 INVITE', ...over };
}
const ids = (ms: { id: string }[]) => ms.map((m) => m.id);

describe('orderMessages', () => {
  it('sorts by timestamp and keeps input order for unrelated ties', () => {
    const ms = [
      makeMsg({ id: 'b', ts: 2 }),
      makeMsg({ id: 'a', ts: 1 }),
      makeMsg({ id: 'c', ts: 2, callId: 'other', src: 'X', dst: 'Y', method: 'OPTIONS' }),
    ];
    expect(ids(orderMessages(ms))).toEqual(['a', 'b', 'c']);
  });

  it('puts a request before its response when both carry the same timestamp', () => {
    // A -> P INVITE and P -> A 100 Trying stamped in the same microsecond, response listed first.
    const ms = [
      makeMsg({ id: 'trying', src: 'P', dst: 'A', method: null, status: 100 }),
      makeMsg({ id: 'invite' }),
    ];
    expect(ids(orderMessages(ms))).toEqual(['invite', 'trying']);
  });

  it('puts the received INVITE before the one a proxy forwards from it', () => {
    //  A --INVITE--> P --INVITE--> B, both copies at ts 1000, forwarded copy listed first
    const ms = [makeMsg({ id: 'out', src: 'P', dst: 'B' }), makeMsg({ id: 'in', src: 'A', dst: 'P' })];
    expect(ids(orderMessages(ms))).toEqual(['in', 'out']);
  });

  it('orders a B2BUA inbound INVITE before its outbound INVITE across Call-IDs', () => {
    const ms = [
      makeMsg({ id: 'b-leg', callId: 'leg-b', src: 'SBC', dst: 'B' }),
      makeMsg({ id: 'a-leg', callId: 'leg-a', src: 'A', dst: 'SBC' }),
    ];
    expect(ids(orderMessages(ms))).toEqual(['a-leg', 'b-leg']);
  });

  it('orders a response chain from the callee back towards the caller', () => {
    //  B --180--> P --180--> A, same timestamp, listed backwards
    const ms = [
      makeMsg({ id: 'p-a', src: 'P', dst: 'A', method: null, status: 180 }),
      makeMsg({ id: 'b-p', src: 'B', dst: 'P', method: null, status: 180 }),
    ];
    expect(ids(orderMessages(ms))).toEqual(['b-p', 'p-a']);
  });

  it('terminates on a cycle made by bad clocks and keeps every message', () => {
    const ms = [
      makeMsg({ id: 'x', src: 'A', dst: 'B', method: 'INFO' }),
      makeMsg({ id: 'y', src: 'B', dst: 'C', method: 'INFO' }),
      makeMsg({ id: 'z', src: 'C', dst: 'A', method: 'INFO' }),
    ];
    expect(ids(orderMessages(ms)).sort()).toEqual(['x', 'y', 'z']);
  });
});
