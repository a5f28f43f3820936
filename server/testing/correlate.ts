/**
 * Factories for the correlation tests. Test-only: nothing outside *.test.ts imports this file.
 */
import type { StoredLink, StoredMessage } from '../store/types.ts';

/** 2025-03-14T09:30:00Z in µs. */
export const T0 = Date.UTC(2025, 2, 14, 9, 30) * 1000;

let seq = 0;

/** A stored SIP message; by default an INVITE from 10.0.1.10:5060 to 10.0.0.5:5060, capture "1". */
export function makeStored(o: Partial<StoredMessage> = {}): StoredMessage {
  seq++;
  return {
    id: `s${seq}`,
    ts: T0,
    srcIp: '10.0.1.10',
    srcPort: 5060,
    dstIp: '10.0.0.5',
    dstPort: 5060,
    transport: 'udp',
    captureId: '1',
    hepCorrelationId: null,
    protoType: 1,
    callId: 'call-1',
    method: 'INVITE',
    status: null,
    reason: null,
    cseqNum: 1,
    cseqMethod: 'INVITE',
    fromUser: 'alice',
    fromTag: 'ft1',
    toUser: 'bob',
    toTag: null,
    ruriUser: 'bob',
    userAgent: null,
    viaBranch: 'z9hG4bK-1',
    hasSdp: false,
    raw: `raw-${seq}`,
    problems: null,
    ...o,
  };
}

/** A response to `req` on the reverse of its hop. */
export function makeResponse(req: StoredMessage, status: number, reason: string, o: Partial<StoredMessage> = {}): StoredMessage {
  return makeStored({
    ...req,
    srcIp: req.dstIp, srcPort: req.dstPort, dstIp: req.srcIp, dstPort: req.srcPort,
    method: null, status, reason, ruriUser: null, toTag: 'tt1', raw: `${status} ${req.raw}`, ...o,
  });
}

/** Every message's payload by id, as foldDuplicates and buildGroupView take them. */
export function payloadsOf(messages: readonly StoredMessage[]): Map<string, string> {
  return new Map(messages.map((m) => [m.id, m.raw]));
}

export function makeLink(o: Partial<StoredLink> & Pick<StoredLink, 'callId' | 'target' | 'rule'>): StoredLink {
  return { header: null, value: o.target, messageId: 'm0', ts: T0, ...o };
}

/** Hop addresses: A 10.0.1.10 → P 10.0.0.5 → B 10.0.1.20 (all port 5060). */
export const A = { ip: '10.0.1.10', port: 5060 };
export const P = { ip: '10.0.0.5', port: 5060 };
export const B = { ip: '10.0.1.20', port: 5060 };
export const C = { ip: '10.0.1.30', port: 5060 };

export function hop(from: { ip: string; port: number }, to: { ip: string; port: number }): Partial<StoredMessage> {
  return { srcIp: from.ip, srcPort: from.port, dstIp: to.ip, dstPort: to.port };
}
