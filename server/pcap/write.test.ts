import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PacketExtractor, type WireMeta } from './extract.ts';
import { CaptureReader } from './reader.ts';
import { formatText } from './text.ts';
import { makeSip } from '../testing/pcap.ts';
import { tsharkCallIds, tsharkMissing } from './tshark.ts';
import { writePcap, type WireMessage } from './write.ts';

const T0 = 1_700_000_000_000_000;

/**
 * A small scenario over every kind of hop the writer handles:
 *   10.0.0.1:5060 ──UDP──▶ 10.0.0.2:5060      INVITE / 200
 *   10.0.0.2:34567 ──TCP──▶ 10.0.0.3:5070     INVITE / 200 / BYE (consecutive TCP seq)
 *   [2001:db8::1]:5060 ──UDP──▶ [2001:db8::2]:15060   OPTIONS
 *   [2001:db8::2]:40000 ──TLS (as TCP)──▶ [2001:db8::3]:5061   MESSAGE
 */
function scenario(): WireMessage[] {
  const m = (i: number, from: [string, number], to: [string, number], transport: string, sip: string): WireMessage => ({
    ts: T0 + i * 1500, srcIp: from[0], srcPort: from[1], dstIp: to[0], dstPort: to[1], transport, payload: sip,
  });
  const a: [string, number] = ['10.0.0.1', 5060];
  const b: [string, number] = ['10.0.0.2', 5060];
  const b2: [string, number] = ['10.0.0.2', 34567];
  const c: [string, number] = ['10.0.0.3', 5070];
  const v6a: [string, number] = ['2001:db8::1', 5060];
  const v6b: [string, number] = ['2001:db8::2', 15060];
  return [
    m(0, a, b, 'udp', makeSip({ callId: 'leg-a@test', body: 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n' })),
    m(1, b2, c, 'tcp', makeSip({ callId: 'leg-b@test' })),
    m(2, c, b2, 'tcp', makeSip({ callId: 'leg-b@test', status: 200 })),
    m(3, b, a, 'udp', makeSip({ callId: 'leg-a@test', status: 200 })),
    m(4, b2, c, 'tcp', makeSip({ callId: 'leg-b@test', method: 'BYE', cseq: 2 })),
    m(5, v6a, v6b, 'udp', makeSip({ callId: 'v6@test', method: 'OPTIONS' })),
    m(6, ['2001:db8::2', 40000], ['2001:db8::3', 5061], 'tls', makeSip({ callId: 'tls@test', method: 'MESSAGE', body: 'hello' })),
  ];
}

function readBack(file: Buffer) {
  const out: { text: string; meta: WireMeta }[] = [];
  const x = new PacketExtractor({ sip: (p, meta) => out.push({ text: p.toString(), meta }), hep: () => {} });
  const frames: Buffer[] = [];
  const r = new CaptureReader((p) => {
    frames.push(Buffer.from(p.data));
    x.packet(p);
  });
  r.push(file);
  expect(r.end()).toBeNull();
  x.finish();
  return { out, frames, skipped: x.skipped };
}

describe('pcap writer', () => {
  it('writes messages that the reader gives back with their addresses, ports, times and transports', () => {
    const msgs = scenario();
    const { out } = readBack(writePcap(msgs));
    expect(out.map((o) => o.text)).toEqual(msgs.map((m) => m.payload));
    expect(out.map((o) => [o.meta.srcIp, o.meta.srcPort, o.meta.dstIp, o.meta.dstPort, o.meta.ts, o.meta.transport])).toEqual(
      msgs.map((m) => [m.srcIp, m.srcPort, m.dstIp, m.dstPort, m.ts, m.transport === 'udp' ? 'udp' : 'tcp']),
    );
  });

  it('writes correct IPv4 header checksums', () => {
    const { frames } = readBack(writePcap(scenario()));
    const v4 = frames.filter((f) => f.readUInt16BE(12) === 0x0800);
    expect(v4.length).toBe(5);
    for (const f of v4) {
      // The 16-bit ones' complement sum of a header with its checksum is 0xffff (RFC 1071).
      let sum = 0;
      for (let i = 14; i < 34; i += 2) sum += f.readUInt16BE(i);
      while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
      expect(sum).toBe(0xffff);
    }
  });

  it('numbers TCP segments consecutively per direction and acknowledges the other side', () => {
    const { frames } = readBack(writePcap(scenario()));
    const tcpV4 = frames.filter((f) => f.readUInt16BE(12) === 0x0800 && f[23] === 6).map((f) => ({
      src: f.readUInt16BE(34), seq: f.readUInt32BE(38), ack: f.readUInt32BE(42), flags: f[47], len: f.length - 54,
    }));
    const [inv, ok, bye] = tcpV4;
    expect(inv.flags).toBe(0x18); // PSH|ACK
    expect(bye.seq).toBe((inv.seq + inv.len) >>> 0);
    expect(ok.ack).toBe((inv.seq + inv.len) >>> 0);
    expect(bye.ack).toBe((ok.seq + ok.len) >>> 0);
  });

  it('exports plain text with time, source, destination and the raw SIP', () => {
    const [first] = scenario();
    const text = formatText([first, { ...scenario()[5] }]);
    expect(text.split('\n')[0]).toBe('2023-11-14 22:13:20.000000 UTC  10.0.0.1:5060 -> 10.0.0.2:5060  UDP');
    expect(text).toContain('[2001:db8::1]:5060 -> [2001:db8::2]:15060  UDP\nOPTIONS sip:bob@example.com SIP/2.0\r\n');
  });
});

describe('pcap export read by tshark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hepflow-write-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const missing = tsharkMissing();

  it.skipIf(missing !== null)(`tshark finds the same SIP messages and Call-IDs${missing ? ` (skipped: ${missing})` : ''}`, () => {
    const msgs = scenario();
    const file = join(dir, 'scenario.pcap');
    writeFileSync(file, writePcap(msgs));
    const expected = msgs.map((m) => /Call-ID: (.*)\r\n/.exec(String(m.payload))![1]);
    expect(tsharkCallIds(file)).toEqual(expected);
  });
});
