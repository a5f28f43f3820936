/**
 * Benchmark traffic: basic calls (INVITE, 100, 180, 200, ACK, BYE, 200) through one proxy, each
 * message as the HEPv3 packet OpenSIPS would send (0x0011 = Call-ID). Deterministic per index.
 */
import { encodeHep3 } from '../server/hep/encode.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../server/hep/chunks.ts';

export const MESSAGES_PER_CALL = 7;

function sdp(ip: string): string {
  return `v=0\r\no=- 1 1 IN IP4 ${ip}\r\ns=-\r\nc=IN IP4 ${ip}\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n`;
}

/** The SIP text of message `k` (0..6) of call `n`. */
export function callMessage(n: number, k: number): { text: string; fromCaller: boolean } {
  const callId = `bench-${n}-a8f3c2@10.1.${(n >> 8) & 255}.${n & 255}`;
  const caller = `1${String(n % 1_000_000).padStart(6, '0')}`;
  const callee = `2${String((n * 7) % 1_000_000).padStart(6, '0')}`;
  const via = `Via: SIP/2.0/UDP 10.1.0.10:5060;branch=z9hG4bK${n.toString(36)}x${k < 5 ? 1 : 2};rport`;
  const from = `From: "${caller}" <sip:${caller}@pbx.example.com>;tag=f${n.toString(36)}`;
  const toNoTag = `To: <sip:${callee}@carrier.example.net>`;
  const to = `${toNoTag};tag=t${n.toString(36)}`;
  const common = (cseq: string, toH: string) => [via, 'Max-Forwards: 69', from, toH, `Call-ID: ${callId}`, `CSeq: ${cseq}`];
  const body = sdp('10.1.0.10');
  const lines: Record<number, string[]> = {
    0: [`INVITE sip:${callee}@10.2.0.20:5060 SIP/2.0`, ...common('1 INVITE', toNoTag), 'Record-Route: <sip:10.0.0.5;lr>',
      `Contact: <sip:${caller}@10.1.0.10:5060>`, 'User-Agent: bench-ua/1.0', 'Content-Type: application/sdp', `Content-Length: ${body.length}`, '', body],
    1: ['SIP/2.0 100 Trying', ...common('1 INVITE', toNoTag), 'Content-Length: 0', '', ''],
    2: ['SIP/2.0 180 Ringing', ...common('1 INVITE', to), `Contact: <sip:${callee}@10.2.0.20:5060>`, 'Content-Length: 0', '', ''],
    3: ['SIP/2.0 200 OK', ...common('1 INVITE', to), `Contact: <sip:${callee}@10.2.0.20:5060>`, 'Content-Type: application/sdp', `Content-Length: ${body.length}`, '', body],
    4: [`ACK sip:${callee}@10.2.0.20:5060 SIP/2.0`, ...common('1 ACK', to), 'Content-Length: 0', '', ''],
    5: [`BYE sip:${callee}@10.2.0.20:5060 SIP/2.0`, ...common('2 BYE', to), 'Content-Length: 0', '', ''],
    6: ['SIP/2.0 200 OK', ...common('2 BYE', to), 'Content-Length: 0', '', ''],
  };
  return { text: lines[k].join('\r\n'), fromCaller: [0, 4, 5].includes(k) };
}

/** HEP packet number `i` of the stream: call i/7, message i%7, at time base + i µs*100. */
export function benchPacket(i: number, baseMicros: number): Buffer {
  const n = Math.floor(i / MESSAGES_PER_CALL);
  const { text, fromCaller } = callMessage(n, i % MESSAGES_PER_CALL);
  const ts = baseMicros + i * 100;
  const a = { ip: '10.1.0.10', port: 5060 };
  const b = { ip: '10.2.0.20', port: 5060 };
  const [src, dst] = fromCaller ? [a, b] : [b, a];
  return encodeHep3({
    ipProtocol: IP_PROTOCOL.udp, srcIp: src.ip, dstIp: dst.ip, srcPort: src.port, dstPort: dst.port,
    tsSec: Math.floor(ts / 1e6), tsUsec: ts % 1e6, protoType: PROTO_TYPE.sip, captureId: 101,
    correlationId: /Call-ID: (.*)\r\n/.exec(text)![1], payload: text,
  });
}
