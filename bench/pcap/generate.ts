/**
 * Writes a synthetic capture of SIP calls for the benchmark: half the calls over UDP, half over
 * TCP, each through a proxy, tens of thousands in progress at once, through the export writer
 * (Ethernet / IPv4 / UDP or TCP). Streams to disk.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { PcapWriter, pcapFileHeader, type WireMessage } from '../../server/pcap/write.ts';
import { callIdOf } from '../traffic.ts';

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
    `Call-ID: ${callId}`,
    `CSeq: ${cseq}`,
    `Contact: <sip:${1000 + (i % 9000)}@10.${i & 255}.0.1:5060>`,
    'User-Agent: hepflow-bench',
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

/**
 * The fourteen packets of call `i` starting at `t0` µs: seven messages (INVITE with SDP, 100,
 * 180, 200 with SDP, ACK, BYE, 200), each captured twice, caller → proxy and proxy → callee (or
 * back), as a capture on the proxy shows them. Ringing 2 s, talking 30 to 90 s.
 */
export function callMessages(i: number, t0: number): WireMessage[] {
  const transport = i % 2 === 0 ? 'udp' : 'tcp';
  const a = { ip: `10.${(i >> 8) & 255}.${i & 255}.1`, port: transport === 'tcp' ? 20000 + (i % 40000) : 5060 };
  const p = { ip: '10.254.0.1', port: 5060 };
  const b = { ip: '10.255.0.2', port: 5060 };
  const id = callIdOf(i, '10.0.0.1');
  const uri = `sip:${2000 + (i % 7000)}@example.com`;
  const talk = 30_000_000 + (i % 61) * 1_000_000;
  const steps: [number, boolean, string][] = [
    [0, true, message(`INVITE ${uri} SIP/2.0`, id, '1 INVITE', i, SDP(a.ip, 4000 + (i % 1000) * 2), false)],
    [4_000, false, message('SIP/2.0 100 Trying', id, '1 INVITE', i, '', false)],
    [60_000, false, message('SIP/2.0 180 Ringing', id, '1 INVITE', i)],
    [2_000_000, false, message('SIP/2.0 200 OK', id, '1 INVITE', i, SDP(b.ip, 30000 + (i % 1000) * 2))],
    [2_030_000, true, message(`ACK ${uri} SIP/2.0`, id, '1 ACK', i)],
    [2_000_000 + talk, true, message(`BYE ${uri} SIP/2.0`, id, '2 BYE', i)],
    [2_020_000 + talk, false, message('SIP/2.0 200 OK', id, '2 BYE', i)],
  ];
  return steps.flatMap(([at, forward, payload]) => {
    const [first, second] = forward ? [[a, p], [p, b]] : [[b, p], [p, a]];
    return [first, second].map(([s, d], hop) => ({
      ts: t0 + at + hop * 300, srcIp: s.ip, srcPort: s === a ? a.port : s.port, dstIp: d.ip, dstPort: d.port, transport, payload,
    }));
  });
}

/** Packets per call in callMessages. */
export const PACKETS_PER_CALL = 14;

/**
 * Writes calls, a new one every 2 ms, in capture (time) order until the file reaches
 * `targetBytes`: about 40,000 calls are in progress at once, as on a busy proxy, so that the
 * importer meets interleaved calls and not one call after another. Returns what it wrote.
 */
export async function generateCapture(file: string, targetBytes: number): Promise<{ calls: number; messages: number; bytes: number }> {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  const w = new PcapWriter();
  let bytes = 0;
  const put = async (b: Buffer) => {
    bytes += b.length;
    if (!out.write(b)) await once(out, 'drain');
  };
  await put(pcapFileHeader());
  const t0 = 1_700_000_000_000_000;
  const START_EVERY = 2_000;
  const pending = new MinHeap<WireMessage>((x, y) => x.ts - y.ts);
  let calls = 0;
  let messages = 0;
  // A call's packets are queued when it starts; a packet is written once no call still to start
  // can have an earlier one.
  while (bytes < targetBytes || pending.size) {
    const next = t0 + calls * START_EVERY;
    if (bytes < targetBytes && (!pending.size || pending.peek()!.ts >= next)) {
      for (const m of callMessages(calls, next)) pending.push(m);
      calls++;
      continue;
    }
    const m = pending.pop()!;
    for (const r of w.records(m)) await put(r);
    messages++;
  }
  out.end();
  await once(out, 'finish');
  return { calls, messages, bytes };
}

/** A binary min-heap: the generator keeps ~500,000 packets waiting, in capture order. */
class MinHeap<T> {
  private readonly a: T[] = [];
  constructor(private readonly cmp: (x: T, y: T) => number) {}
  get size(): number {
    return this.a.length;
  }
  peek(): T | undefined {
    return this.a[0];
  }
  push(v: T): void {
    const a = this.a;
    let i = a.push(v) - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (this.cmp(a[up], v) <= 0) break;
      a[i] = a[up];
      i = up;
    }
    a[i] = v;
  }
  pop(): T | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length && last !== undefined) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= a.length) break;
        if (c + 1 < a.length && this.cmp(a[c + 1], a[c]) < 0) c++;
        if (this.cmp(a[c], last) >= 0) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}
