/**
 * GET /api/v1/messages/:id carries at most MAX_DETAIL_RAW_BYTES of raw text, says it cut it and
 * how big the whole is; /messages/:id/raw answers the whole message, byte for byte. Real server,
 * real SQLite file; the message comes in through the collector's ingest as a capture file's SIP
 * does (pcap import and SIP over TCP bring any size).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from '../../testing/harness.ts';
import type { ApiGroup, ApiMessageDetail } from '../types.ts';
import { MAX_DETAIL_RAW_BYTES } from '../../config.ts';

/** An INVITE whose body is `lines` lines of hostile, multi-byte text: ~`lines` × 64 bytes. */
function hugeInvite(callId: string, lines: number): Buffer {
  const body = Array.from({ length: lines }, (_, i) => `a=x-${String(i).padStart(7, '0')} <script>alert(1)</script> é大😀`).join('\r\n') + '\r\n';
  return Buffer.from([
    'INVITE sip:bob@example.com SIP/2.0', 'Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK-huge',
    'From: <sip:alice@example.com>;tag=a1', 'To: <sip:bob@example.com>', `Call-ID: ${callId}`, 'CSeq: 1 INVITE',
    'Content-Type: text/plain', `Content-Length: ${Buffer.byteLength(body)}`, '', body,
  ].join('\r\n'));
}

describe('GET /api/v1/messages/:id for a huge message', () => {
  let s: TestServer;
  const huge = hugeInvite('huge@test', 30_000); // ~2 MB: eight times the bound
  const small = hugeInvite('small@test', 10);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    s = await startTestServer();
    for (const [callId, payload] of [['huge@test', huge], ['small@test', small]] as const) {
      s.ingest!.sip({ ts: 1_700_000_000_000_000, srcIp: '10.0.0.1', srcPort: 5060, dstIp: '10.0.0.2', dstPort: 5060, transport: 'tcp', payload, captureId: 'file:test.pcap' });
    }
    await s.ingest!.flush();
    for (const callId of ['huge@test', 'small@test']) {
      const g = await waitFor(async () => (await s.get<ApiGroup>(`/api/v1/groups/${callId}`, true)).body.messages?.[0], `${callId} stored`);
      ids[callId] = g.id;
    }
  }, 60_000);
  afterAll(async () => { await s?.stop(); });

  it('answers at most MAX_DETAIL_RAW_BYTES of raw text, the start of the message, with truncated and the whole size', async () => {
    const res = await fetch(`${s.httpUrl}/api/v1/messages/${ids['huge@test']}`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text.length).toBeLessThan(2 * MAX_DETAIL_RAW_BYTES + 64 * 1024);
    const d = JSON.parse(text) as ApiMessageDetail;
    expect(d.truncated).toBe(true);
    expect(d.rawBytes).toBe(huge.length);
    const sent = Buffer.byteLength(d.raw);
    expect(sent).toBeLessThanOrEqual(MAX_DETAIL_RAW_BYTES);
    expect(sent).toBeGreaterThan(MAX_DETAIL_RAW_BYTES - 4); // cut before a character of at most 4 bytes
    expect(huge.subarray(0, sent).equals(Buffer.from(d.raw))).toBe(true);
    expect(d.headers.find((h) => h.name.toLowerCase() === 'call-id')?.value).toBe('huge@test');
  });

  it('answers a small message whole, not truncated', async () => {
    const d = (await s.get<ApiMessageDetail>(`/api/v1/messages/${ids['small@test']}`)).body;
    expect(d).toMatchObject({ truncated: false, rawBytes: small.length, raw: small.toString() });
  });

  it('serves the whole raw message as a text/plain attachment, byte for byte', async () => {
    const res = await fetch(`${s.httpUrl}/api/v1/messages/${ids['huge@test']}/raw`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="message-[A-Za-z0-9._-]+\.txt"$/);
    expect(Buffer.from(await res.arrayBuffer()).equals(huge)).toBe(true);
  });

  it('answers 404 for the raw text of an unknown message', async () => {
    const res = await fetch(`${s.httpUrl}/api/v1/messages/nope/raw`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not-found', message: 'no message "nope"' });
  });
});
