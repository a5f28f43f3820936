import { describe, expect, it } from 'vitest';
import type { MessageInput } from '../store/types.ts';
import { ConnectionMatcher, connectionKey } from './connections.ts';

const S = 1_000_000;
function msg(over: Partial<MessageInput>): MessageInput {
  return {
    ts: 0, srcIp: '10.0.0.5', srcPort: 54321, dstIp: '10.0.1.10', dstPort: 5061, transport: 'tls', captureId: '101',
    hepCorrelationId: null, protoType: 1, callId: 'x', method: null, status: null, reason: null, cseqNum: null, cseqMethod: null,
    fromUser: null, fromTag: null, toUser: null, toTag: null, ruriUser: null, userAgent: null, viaBranch: null, hasSdp: false,
    raw: '{}', problems: null, links: [], ...over,
  };
}
/** A transport event of connection 12: 0x0011 and the id it is filed under are the connection id. */
const event = (ts: number, over: Partial<MessageInput> = {}) => msg({ ts, protoType: 89, callId: '12', hepCorrelationId: '12', ...over });
/** A SIP message on the same TLS connection, either direction. */
const sip = (ts: number, callId: string, reverse = false) => reverse
  ? msg({ ts, callId, srcIp: '10.0.1.10', srcPort: 5061, dstIp: '10.0.0.5', dstPort: 54321 })
  : msg({ ts, callId });

const matcher = () => new ConnectionMatcher({ windowMicros: 10 * S, maxConnections: 2 });

describe('ConnectionMatcher', () => {
  it('files an event that comes before its connection carries SIP under the next call on it', () => {
    //  ACCEPTED (conn 12) → INVITE call-a on conn 12
    const accepted = event(1 * S);
    matcher().fileBatch([accepted, msg({ ts: 1.1 * S, callId: 'other', srcPort: 1111 }), sip(1.2 * S, 'call-a')]);
    expect(accepted.callId).toBe('call-a');
  });

  it('files an event after SIP on the connection (either direction, earlier batch) under the last call seen', () => {
    const m = matcher();
    m.fileBatch([sip(1 * S, 'call-a'), sip(5 * S, 'call-b', true)]);
    const closed = event(6 * S);
    m.fileBatch([closed]);
    expect(closed.callId).toBe('call-b');
  });

  it('leaves an event with no call within the window under its connection id', () => {
    const m = matcher();
    m.fileBatch([sip(1 * S, 'call-a')]);
    const late = event(30 * S);
    const early = event(40 * S);
    expect(m.fileBatch([late, early, sip(60 * S, 'call-b')])).toBe(2);
    expect([late.callId, early.callId]).toEqual(['12', '12']);
  });

  it('ignores UDP and events that already name their call', () => {
    const m = matcher();
    const named = event(1 * S, { callId: 'from-extra-correlation' });
    m.fileBatch([msg({ ts: 1 * S, transport: 'udp', callId: 'udp-call' }), named, event(2 * S)]);
    expect(named.callId).toBe('from-extra-correlation');
  });

  it('forgets the least recently used connection past maxConnections', () => {
    const m = matcher();
    m.fileBatch([sip(1, 'a'), msg({ ts: 2, callId: 'b', srcPort: 2 }), msg({ ts: 3, callId: 'c', srcPort: 3 })]);
    const e = event(4);
    m.fileBatch([e]);
    expect(e.callId).toBe('12');
  });

  it('keeps a connection used again over one that was not, past maxConnections', () => {
    const m = matcher();
    // Connection 12 carries a, then b's connection, then 12 again (call d): c's arrival forgets b's.
    m.fileBatch([sip(1, 'a'), msg({ ts: 2, callId: 'b', srcPort: 2 }), sip(3, 'd'), msg({ ts: 4, callId: 'c', srcPort: 3 })]);
    const onTwelve = event(5);
    const onB = event(5, { callId: '2', hepCorrelationId: '2', srcPort: 2 });
    m.fileBatch([onTwelve, onB]);
    expect(onTwelve.callId).toBe('d');
    expect(onB.callId).toBe('2');
  });

  it('keys a connection by its two endpoints in either order', () => {
    expect(connectionKey(sip(0, 'x'))).toBe(connectionKey(sip(0, 'x', true)));
  });
});
