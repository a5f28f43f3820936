import { describe, expect, it } from 'vitest';
import { encodeHep3 } from '../hep/encode.ts';
import { PacketExtractor } from './extract.ts';
import { LINKTYPE, TCP_FLAG } from './numbers.ts';
import { DEFAULT_REASSEMBLY_LIMITS } from './reassembly.ts';
import { DEFAULT_TCP_LIMITS, type TcpLimits } from './tcp.ts';
import { ipv4, makeSip, tcp } from '../testing/pcap.ts';

const ISN = 0xfffffff0; // close to 2^32: sequence numbers wrap inside these streams

/** A segment from 10.0.0.1:5060 to 10.0.0.2:5061 carrying stream bytes [from, to). */
function seg(stream: Buffer, from: number, to: number, flags = TCP_FLAG.psh | TCP_FLAG.ack, src = '10.0.0.1') {
  return ipv4({ src, dst: '10.0.0.2', proto: 6, payload: tcp({ srcPort: 5060, dstPort: 5061, seq: (ISN + 1 + from) >>> 0, flags, payload: stream.subarray(from, to) }) });
}
const syn = (src = '10.0.0.1') => ipv4({ src, dst: '10.0.0.2', proto: 6, payload: tcp({ srcPort: 5060, dstPort: 5061, seq: ISN, flags: TCP_FLAG.syn }) });

function run(packets: Buffer[], tcpLimits: TcpLimits = DEFAULT_TCP_LIMITS) {
  const out: { text: string; ts: number }[] = [];
  const hep: string[] = [];
  const x = new PacketExtractor(
    { sip: (p, m) => out.push({ text: p.toString(), ts: m.ts }), hep: (_b, r) => hep.push(r.correlationId ?? '') },
    { reassembly: DEFAULT_REASSEMBLY_LIMITS, tcp: tcpLimits },
  );
  packets.forEach((data, i) => x.packet({ ts: i, linkType: LINKTYPE.raw, data, interfaceId: 0, origLen: data.length }));
  x.finish();
  return { messages: out.map((o) => o.text), times: out.map((o) => o.ts), hep, skipped: x.skipped };
}

const M1 = makeSip({ callId: 'one@host', body: 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\n' });
const M2 = makeSip({ callId: 'two@host', status: 200 });
const M3 = makeSip({ callId: 'three@host', method: 'BYE', body: 'x'.repeat(500) });
const STREAM = Buffer.from(M1 + M2 + M3);
const ALL = [M1, M2, M3];

describe('TCP stream reassembly', () => {
  it('frames several SIP messages carried in one segment by Content-Length', () => {
    expect(run([syn(), seg(STREAM, 0, STREAM.length)]).messages).toEqual(ALL);
  });

  it('joins one message split over several segments, timed at the segment that completes it', () => {
    const cuts = [0, 10, 60, M1.length - 3, M1.length + 20, STREAM.length];
    const packets = [syn(), ...cuts.slice(1).map((c, i) => seg(STREAM, cuts[i], c))];
    const r = run(packets);
    expect(r.messages).toEqual(ALL);
    expect(r.times[0]).toBe(4); // packet index of the segment that ends M1
  });

  it('puts out-of-order segments back in sequence', () => {
    const a = seg(STREAM, 0, 100);
    const b = seg(STREAM, 100, 400);
    const c = seg(STREAM, 400, STREAM.length);
    expect(run([syn(), c, a, b]).messages).toEqual(ALL);
  });

  it('drops retransmitted and overlapping segments without duplicating messages', () => {
    const r = run([syn(), seg(STREAM, 0, 300), seg(STREAM, 0, 300), seg(STREAM, 200, 500), seg(STREAM, 500, STREAM.length), seg(STREAM, 500, STREAM.length)]);
    expect(r.messages).toEqual(ALL);
    expect(r.skipped['tcp-retransmission']).toBe(2);
  });

  it('keeps each direction and each 4-tuple apart', () => {
    const other = Buffer.from(M2);
    const r = run([seg(STREAM, 0, 50), seg(other, 0, other.length, undefined, '10.9.9.9'), seg(STREAM, 50, STREAM.length)]);
    expect(r.messages.sort()).toEqual([...ALL, M2].sort());
  });

  it('picks up a stream captured mid-message at the next SIP start line', () => {
    const r = run([seg(STREAM, 30, STREAM.length)]); // no SYN, first bytes are the middle of M1
    expect(r.messages).toEqual([M2, M3]);
    expect(r.skipped['tcp-not-sip']).toBeGreaterThan(0);
  });

  it('skips a hole that never fills once the stream holds too much, and resumes at the next message', () => {
    const limits = { ...DEFAULT_TCP_LIMITS, maxStreamBytes: 700 };
    // Bytes [100, 200) never arrive; the rest of M1 and later messages wait beyond the hole.
    const r = run([syn(), seg(STREAM, 0, 100), seg(STREAM, 200, 500), seg(STREAM, 500, STREAM.length)], limits);
    expect(r.messages).toEqual([M2, M3]);
    expect(r.skipped['tcp-gap']).toBe(1);
  });

  it('delivers what waits beyond a hole when the capture ends', () => {
    const r = run([syn(), seg(STREAM, 0, 100), seg(STREAM, M1.length, STREAM.length)]);
    expect(r.messages).toEqual([M2, M3]);
    expect(r.skipped).toMatchObject({ 'tcp-gap': 1, 'tcp-incomplete': 1 });
  });

  it('closes the least recently active stream beyond the stream limit', () => {
    const limits = { ...DEFAULT_TCP_LIMITS, maxStreams: 2 };
    const half = (src: string) => seg(Buffer.from(M2), 0, 40, undefined, src);
    const r = run([half('10.0.0.1'), half('10.0.0.3'), half('10.0.0.4')], limits);
    expect(r.skipped['tcp-overflow']).toBe(1);
  });

  it('keeps the streams last active, not the ones opened last, when over the stream limit', () => {
    const limits = { ...DEFAULT_TCP_LIMITS, maxStreams: 2 };
    const [a, b, c] = [M1, M2, M3].map((m) => Buffer.from(m));
    const part = (s: Buffer, src: string, from: number, to = s.length) => seg(s, from, to, undefined, src);
    // A opened first but active again before C opens: B, the least recently active, is closed.
    const r = run([
      part(a, '10.0.0.1', 0, 20), part(b, '10.0.0.3', 0, 20), part(a, '10.0.0.1', 20, 40), part(c, '10.0.0.4', 0, 20),
      part(a, '10.0.0.1', 40), part(c, '10.0.0.4', 20), part(b, '10.0.0.3', 20),
    ], limits);
    expect(r.messages).toEqual([M1, M3]);
    expect(r.skipped['tcp-overflow']).toBeGreaterThanOrEqual(1);
  });

  it('frames HEP3 packets sent back to back over TCP', () => {
    const hep = (id: string) => encodeHep3({ ipProtocol: 17, srcIp: '1.1.1.1', dstIp: '2.2.2.2', srcPort: 1, dstPort: 2, tsSec: 1, tsUsec: 0, protoType: 1, correlationId: id, payload: M2 });
    const stream = Buffer.concat([hep('a'), hep('b')]);
    expect(run([syn(), seg(stream, 0, 30), seg(stream, 30, stream.length)]).hep).toEqual(['a', 'b']);
  });

  it('steps over CRLF keep-alives between messages', () => {
    const withPings = Buffer.from(`\r\n\r\n${M1}\r\n\r\n${M2}`);
    expect(run([seg(withPings, 0, withPings.length)]).messages).toEqual([M1, M2]);
  });

  it('counts a message cut off by the end of the capture as incomplete', () => {
    const r = run([syn(), seg(STREAM, 0, M1.length + 10, TCP_FLAG.psh | TCP_FLAG.ack | TCP_FLAG.fin)]);
    expect(r.messages).toEqual([M1]);
    expect(r.skipped['tcp-incomplete']).toBe(1);
  });
});
