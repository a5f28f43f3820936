/**
 * Any Call-ID a HEP packet can carry opens through every id route: RFC 4475's valid messages
 * (the 150-character longreq, intmeth's `%`, `/`, `?`, quotes and brackets), ids with the
 * characters a URL treats specially, and a Call-ID as long as a HEP3 packet allows (65535 bytes).
 * Real server, real SQLite file, messages sent as HEP3 over TCP on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHep3 } from '../hep/encode.ts';
import { makeSip } from '../testing/pcap.ts';
import { sendPackets } from '../replay/sender.ts';
import { RFC4475_VALID } from '../testing/sip-rfc4475.ts';
import { startTestServer, waitFor, type TestServer } from '../testing/harness.ts';
import type { ApiGroup, ApiMessageDetail } from './types.ts';

const T = 1_700_000_000;
const hep = (payload: Buffer | string, i: number) => encodeHep3({
  ipProtocol: 6, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060, dstPort: 5060,
  tsSec: T, tsUsec: i, protoType: 1, payload: Buffer.from(payload),
});

/** Ids with every character a path, a query or a router could take for syntax. */
const ODD_IDS = ['a/b@host', 'x%2Fy%41%zz@host', 'q?x=1#frag@host', 'with space;and=semi@host', '%', '..@..', 'ü-大-😀@host'];

/** An OPTIONS that names its Call-ID once, so that the packet grows by one byte per character. */
const options = (callId: string) => [
  'OPTIONS sip:bob@example.com SIP/2.0', 'Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK-long',
  'From: <sip:alice@example.com>;tag=a1', 'To: <sip:bob@example.com>', `Call-ID: ${callId}`,
  'CSeq: 1 OPTIONS', 'Content-Length: 0', '', '',
].join('\r\n');

/** The longest Call-ID whose message still fits one HEP3 packet (u16 length: 65535 bytes). */
function longestCallIdPacket(i: number): { callId: string; packet: Buffer } {
  const probe = hep(options('x'), i).length;
  const callId = 'L'.repeat(65535 - probe + 1);
  const packet = hep(options(callId), i);
  expect(packet.length).toBe(65535);
  return { callId, packet };
}

describe('ids of any length and characters', () => {
  let s: TestServer;
  const longest = longestCallIdPacket(10_000);
  const ids = [...RFC4475_VALID.map((m) => m.callId), ...ODD_IDS, longest.callId];

  beforeAll(async () => {
    s = await startTestServer();
    const packets = [
      ...RFC4475_VALID.map((m, i) => hep(m.bytes, i)),
      ...ODD_IDS.map((callId, i) => hep(makeSip({ callId }), 1000 + i)),
      longest.packet,
    ];
    await sendPackets({ transport: 'tcp', host: '127.0.0.1', port: s.hepTcp!.port }, packets, { rate: 0 });
    await waitFor(async () => (await s.store.counts()).messages >= packets.length, 'every message stored');
  });
  afterAll(async () => { await s?.stop(); });

  it('stores every RFC 4475 valid message under the Call-ID the RFC gives it', async () => {
    for (const m of RFC4475_VALID) expect(await s.store.getGroup(m.callId), m.name).not.toBeNull();
  });

  it('opens each id through /groups/{id}, /text, /pcap and /messages/{id}', async () => {
    for (const id of ids) {
      const path = `/api/v1/groups/${encodeURIComponent(id)}`;
      const label = `${id.slice(0, 40)} (${id.length} chars)`;
      const group = await fetch(s.httpUrl + path);
      expect(group.status, label).toBe(200);
      const g = (await group.json()) as ApiGroup;
      expect(g.callIds, label).toContain(id);

      const text = await fetch(`${s.httpUrl}${path}/text`);
      expect(text.status, label).toBe(200);
      expect(await text.text(), label).toContain(id);

      const pcap = await fetch(`${s.httpUrl}${path}/pcap`);
      expect(pcap.status, label).toBe(200);
      // A long message is cut into IP fragments in the file: count messages, not bytes.
      expect(pcap.headers.get('x-hepflow-messages'), label).toBe(String(g.messages.length));
      expect((await pcap.arrayBuffer()).byteLength, label).toBeGreaterThan(id.length);

      const m = await fetch(`${s.httpUrl}/api/v1/messages/${encodeURIComponent(g.messages[0]!.id)}`);
      expect(m.status, label).toBe(200);
      expect(((await m.json()) as ApiMessageDetail).callId, label).toBe(id);
    }
  });

  it('answers 404, not 414, for an unknown id as long as the longest', async () => {
    const res = await fetch(`${s.httpUrl}/api/v1/groups/${'N'.repeat(65535)}`);
    expect(res.status).toBe(404);
  });
});
