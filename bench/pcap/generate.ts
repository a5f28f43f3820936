/**
 * Writes a synthetic capture of SIP calls for the benchmark: half the calls over UDP, half over
 * TCP, seven messages a call (INVITE with SDP, 100, 180, 200 with SDP, ACK, BYE, 200), through the
 * export writer (Ethernet / IPv4 / UDP or TCP). Streams to disk: memory stays flat.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { PcapWriter, pcapFileHeader, type WireMessage } from '../../server/pcap/write.ts';

const SDP = (ip: string, port: number) =>
  `v=0\r\no=- 1 1 IN IP4 ${ip}\r\ns=-\r\nc=IN IP4 ${ip}\r\nt=0 0\r\nm=audio ${port} RTP/AVP 0 8 101\r\n` +
  'a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=sendrecv\r\n';

function message(first: string, callId: string, cseq: string, i: number, body = '', toTag = true): string {
  return [
    first,
    `Via: SIP/2.0/UDP 10.${i & 255}.0.1:5060;branch=z9hG4bK-${i}-${cseq.replace(' ', '')}`,
    'Max-Forwards: 70',
    `From: "Caller ${i}" <sip:${1000 + (i % 9000)}@example.com>;tag=f${i}`,
    `To: <sip:${2000 + (i % 7000)}@example.com>${toTag ? `;tag=t${i}` : ''}`,
    `Call-ID: bench-${i}@10.0.0.1`,
    `CSeq: ${cseq}`,
    `Contact: <sip:${1000 + (i % 9000)}@10.${i & 255}.0.1:5060>`,
    'User-Agent: hepflow-bench',
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

/** The seven messages of call `i`, starting at `t0` µs. */
export function callMessages(i: number, t0: number): WireMessage[] {
  const transport = i % 2 === 0 ? 'udp' : 'tcp';
  const a = { ip: `10.${(i >> 8) & 255}.${i & 255}.1`, port: transport === 'tcp' ? 20000 + (i % 40000) : 5060 };
  const b = { ip: '10.255.0.2', port: 5060 };
  const id = `bench-${i}@10.0.0.1`;
  const uri = `sip:${2000 + (i % 7000)}@example.com`;
  const steps: [typeof a, typeof b, string][] = [
    [a, b, message(`INVITE ${uri} SIP/2.0`, id, '1 INVITE', i, SDP(a.ip, 4000 + (i % 1000) * 2), false)],
    [b, a, message('SIP/2.0 100 Trying', id, '1 INVITE', i, '', false)],
    [b, a, message('SIP/2.0 180 Ringing', id, '1 INVITE', i)],
    [b, a, message('SIP/2.0 200 OK', id, '1 INVITE', i, SDP(b.ip, 30000 + (i % 1000) * 2))],
    [a, b, message(`ACK ${uri} SIP/2.0`, id, '1 ACK', i)],
    [a, b, message(`BYE ${uri} SIP/2.0`, id, '2 BYE', i)],
    [b, a, message('SIP/2.0 200 OK', id, '2 BYE', i)],
  ];
  return steps.map(([s, d, payload], k) => ({ ts: t0 + k * 20_000, srcIp: s.ip, srcPort: s.port, dstIp: d.ip, dstPort: d.port, transport, payload }));
}

/** Writes calls until the file reaches `targetBytes`; returns the calls and messages written. */
export async function generateCapture(file: string, targetBytes: number): Promise<{ calls: number; messages: number; bytes: number }> {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  const w = new PcapWriter();
  let bytes = 0;
  const put = async (b: Buffer) => {
    bytes += b.length;
    if (!out.write(b)) await once(out, 'drain');
  };
  await put(pcapFileHeader());
  let calls = 0;
  const t0 = 1_700_000_000_000_000;
  while (bytes < targetBytes) {
    for (const m of callMessages(calls, t0 + calls * 1000)) for (const r of w.records(m)) await put(r);
    calls++;
  }
  out.end();
  await once(out, 'finish');
  return { calls, messages: calls * 7, bytes };
}
