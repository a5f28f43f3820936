/**
 * The benchmark's traffic, shared by run.ts and profile.ts: calls of six messages (INVITE 100 200
 * ACK BYE 200), every 10th a B-leg linked to the previous call by X-CID.
 */
import type { MessageInput } from '../../server/store/types.ts';

export const PER_CALL = 6;
export const PG = process.env.HEPFLOW_BENCH_PG ?? 'postgres://root@127.0.0.1:5432';
/** Calls start this far apart, µs: 2 M messages span about 9 hours, so several partitions. */
export const CALL_GAP = 100_000;
/** Time of call 0, µs: far enough back that the last of 2 M messages is about now. */
export const T0 = Date.now() * 1000 - Math.ceil(2_000_000 / PER_CALL) * CALL_GAP;

const SDP = 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 8\r\na=sendrecv\r\n';

function raw(first: string, callId: string, cseq: string, sdp: boolean): string {
  return [first, `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-${callId}-${cseq.replace(' ', '')}`,
    'From: "Alice" <sip:alice@example.com>;tag=a1', 'To: <sip:bob@example.com>', `Call-ID: ${callId}`, `CSeq: ${cseq}`,
    'Max-Forwards: 70', 'User-Agent: bench', ...(sdp ? ['Content-Type: application/sdp', `Content-Length: ${SDP.length}`, '', SDP]
      : ['Content-Length: 0', '', ''])].join('\r\n');
}

/** The six messages of call i; every 10th call is a B-leg linked to the previous call by X-CID. */
export function call(i: number): MessageInput[] {
  const callId = `bench-${i}@10.0.0.1`;
  const t = T0 + i * CALL_GAP;
  const user = `u${i % 5000}`;
  const links = i % 10 === 9 ? [{ target: `bench-${i - 1}@10.0.0.1`, rule: 'header' as const, header: 'X-CID', value: `bench-${i - 1}@10.0.0.1` }] : [];
  const m = (dt: number, p: Partial<MessageInput>, first: string, cseq: string, sdp = false): MessageInput => ({
    ts: t + dt, srcIp: '10.0.0.1', srcPort: 5060, dstIp: '10.0.0.2', dstPort: 5060, transport: 'udp', captureId: 'bench',
    hepCorrelationId: null, protoType: 1, callId, method: null, status: null, reason: null, cseqNum: 1, cseqMethod: 'INVITE',
    fromUser: 'alice', fromTag: 'a1', toUser: user, toTag: null, ruriUser: user, userAgent: 'bench',
    viaBranch: `z9hG4bK-${callId}-${cseq.replace(' ', '')}`, hasSdp: sdp, raw: raw(first, callId, cseq, sdp), problems: null,
    links: [], ...p,
  });
  return [
    m(0, { method: 'INVITE', links }, `INVITE sip:${user}@example.com SIP/2.0`, '1 INVITE', true),
    m(1000, { status: 100, reason: 'Trying' }, 'SIP/2.0 100 Trying', '1 INVITE'),
    m(50_000, { status: 200, reason: 'OK', toTag: 'b1' }, 'SIP/2.0 200 OK', '1 INVITE', true),
    m(60_000, { method: 'ACK', cseqMethod: 'ACK', toTag: 'b1' }, `ACK sip:${user}@example.com SIP/2.0`, '1 ACK'),
    m(5_000_000, { method: 'BYE', cseqNum: 2, cseqMethod: 'BYE', toTag: 'b1' }, `BYE sip:${user}@example.com SIP/2.0`, '2 BYE'),
    m(5_001_000, { status: 200, reason: 'OK', cseqNum: 2, cseqMethod: 'BYE', toTag: 'b1' }, 'SIP/2.0 200 OK', '2 BYE'),
  ];
}

