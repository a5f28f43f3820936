/**
 * Inferred links end to end: HEP over TCP on 127.0.0.1 into a real SQLite file and a real
 * PostgreSQL database (skipped without one), the group read back over HTTP with its legend's reasons.
 *
 *   A 10.0.1.10 ──INVITE inf-a (+4930123456 → 4940555)──▶ SBC 10.0.0.5      T
 *   SBC 10.0.0.5 ──INVITE inf-b (004930123456 → 4940555)──▶ B 10.0.1.20      T + 300 ms
 *   A 10.0.1.10 ──INVITE inf-c (same numbers)──▶ SBC 10.0.0.5                T + 60 s (no B-leg)
 *   SBC 10.0.0.5 ──INVITE inf-d (same numbers)──▶ B 10.0.1.20                T + 62.5 s (2.5 s later: too late)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHep3 } from '../hep/encode.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../hep/chunks.ts';
import { sendPackets } from '../replay/sender.ts';
import { startTestServer, waitFor, type TestServer } from '../testing/harness.ts';
import type { ApiGroup } from '../api/types.ts';
import { createTestDatabase, noPostgres, type TestDatabase } from '../testing/postgres.ts';

const T = 1_700_000_000; // seconds

function invite(callId: string, from: string, to: string, caller: string, atMs: number): Buffer {
  const sip = [
    `INVITE sip:4940555@${to} SIP/2.0`, `Via: SIP/2.0/TCP ${from}:5060;branch=z9hG4bK-${callId}`,
    `From: <sip:${caller}@${from}>;tag=f-${callId}`, `To: <sip:4940555@${to}>`, `Call-ID: ${callId}`, 'CSeq: 1 INVITE',
    'Max-Forwards: 70', `Contact: <sip:${caller}@${from}:5060>`, 'Content-Length: 0', '', '',
  ].join('\r\n');
  const ts = T * 1_000_000 + atMs * 1000;
  return encodeHep3({
    ipProtocol: IP_PROTOCOL.tcp, srcIp: from, dstIp: to, srcPort: 5060, dstPort: 5060, tsSec: Math.floor(ts / 1e6), tsUsec: ts % 1e6,
    protoType: PROTO_TYPE.sip, captureId: 2001, payload: sip,
  });
}

describe.each([
  { store: 'SQLite', skip: false },
  { store: 'PostgreSQL', skip: noPostgres },
])('inferred links through a configured SBC ($store)', ({ store, skip }) => {
  let s: TestServer;
  let db: TestDatabase | null = null;
  const group = (id: string) => s.get<ApiGroup>(`/api/v1/groups/${encodeURIComponent(id)}`, true);

  beforeAll(async () => {
    if (skip) return;
    if (store === 'PostgreSQL') db = await createTestDatabase();
    s = await startTestServer({ aliases: { '10.0.0.5': 'SBC' }, inferredBoxes: ['SBC'], ...(db ? { store: db.url, pgPool: 4 } : {}) });
  });
  afterAll(async () => {
    if (skip) return;
    await s.stop();
    await db?.drop();
  });

  it.skipIf(skip)('stores the link, tells it as inferred with its evidence, and leaves calls a minute apart alone', async () => {
    const packets = [
      invite('inf-a', '10.0.1.10', '10.0.0.5', '+4930123456', 0),
      invite('inf-b', '10.0.0.5', '10.0.1.20', '004930123456', 300),
      invite('inf-c', '10.0.1.10', '10.0.0.5', '+4930123456', 60_000),
      invite('inf-d', '10.0.0.5', '10.0.1.20', '004930123456', 62_500),
    ];
    await sendPackets({ transport: 'tcp', host: '127.0.0.1', port: s.hepTcp!.port }, packets, { rate: 0 });
    await waitFor(async () => (await s.store.counts()).messages >= 4, 'four INVITEs stored');
    const g = (await group('inf-b')).body;
    expect(g.legs.map((l) => l.callId)).toEqual(['inf-a', 'inf-b']);
    expect(g.legs[1].role).toBe('b2b-outbound');
    expect(g.legs[1].links).toMatchObject([{
      rule: 'inferred', header: 'SBC', value: '300 ms; 930123456 → 4940555', target: 'inf-a', targetLeg: 0,
      text: 'Inferred, no shared id: left SBC 300 ms after leg 1 reached it, same numbers 930123456 → 4940555',
    }]);
    expect((await group('inf-c')).body.legs.map((l) => l.callId)).toEqual(['inf-c']);
    expect((await group('inf-d')).body.legs.map((l) => l.callId)).toEqual(['inf-d']);
  });
});
