/**
 * The collector end to end: real UDP and TCP sockets on 127.0.0.1, a real SQLite file, the API
 * over real HTTP.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import { encodeHep2, encodeHep3 } from '../hep/encode.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../hep/chunks.ts';
import { sendPackets } from '../replay/sender.ts';
import { startTestServer, waitFor, metric, type TestServer } from '../testing/harness.ts';
import type { HepEncodeInput } from '../hep/types.ts';
import type { ApiCallPage, ApiGroup } from '../api/types.ts';

const T = 1_700_000_000; // seconds

function invite(callId: string, extra = ''): string {
  return [
    'INVITE sip:bob@10.0.0.2 SIP/2.0',
    'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-' + callId,
    'From: "Alice" <sip:alice@10.0.0.1>;tag=a1',
    'To: <sip:bob@10.0.0.2>',
    'Call-ID: ' + callId,
    'CSeq: 1 INVITE',
    'Max-Forwards: 70',
    'Contact: <sip:alice@10.0.0.1:5060>',
    extra,
    'Content-Length: 0',
    '',
    '',
  ].filter((l, i, a) => l !== '' || i >= a.length - 2).join('\r\n');
}

function hep(o: Partial<HepEncodeInput> & { payload: string }): Buffer {
  return encodeHep3({
    ipProtocol: IP_PROTOCOL.udp, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060, dstPort: 5060,
    tsSec: T, tsUsec: 250_000, protoType: PROTO_TYPE.sip, captureId: 2001, ...o,
  });
}

describe('collector', () => {
  let s: TestServer;
  const udp = () => ({ transport: 'udp' as const, host: '127.0.0.1', port: s.hepUdp!.port });
  const group = (id: string) => s.get<ApiGroup>(`/api/v1/groups/${encodeURIComponent(id)}`, true);
  const stored = (id: string, n = 1) => waitFor(async () => {
    const g = await group(id);
    return g.status === 200 && g.body.messages.length >= n ? g.body : undefined;
  }, `${n} message(s) of ${id}`);

  beforeAll(async () => { s = await startTestServer(); });
  afterAll(async () => { await s.stop(); });

  it('listens for HEP on UDP and TCP on one port', () => {
    expect(s.hepUdp?.port).toBeGreaterThan(0);
    expect(s.hepTcp?.port).toBe(s.hepUdp?.port);
  });

  it('stores a HEPv3 packet received over UDP with its capture metadata', async () => {
    await sendPackets(udp(), [hep({ payload: invite('udp-1'), correlationId: 'udp-1' })], { rate: 0 });
    const g = await stored('udp-1');
    expect(g.messages[0]).toMatchObject({
      callId: 'udp-1', ts: T * 1e6 + 250_000, srcIp: '10.0.0.1', srcPort: 5060, dstIp: '10.0.0.2', dstPort: 5060,
      transport: 'udp', method: 'INVITE', cseq: '1 INVITE', captureIds: ['2001'], hepCorrelationId: 'udp-1', malformed: null,
    });
    const page = await s.get<ApiCallPage>('/api/v1/calls?callId=udp-1');
    expect(page.body.items).toHaveLength(1);
    expect(page.body.items[0]).toMatchObject({ groupId: 'udp-1', caller: 'alice', callee: 'bob', legs: 1 });
  });

  it('frames HEP over TCP: several packets in one write and one packet split across writes', async () => {
    const a = hep({ payload: invite('tcp-1'), ipProtocol: IP_PROTOCOL.tcp });
    const b = hep({ payload: invite('tcp-2'), ipProtocol: IP_PROTOCOL.tcp });
    const c = hep({ payload: invite('tcp-3'), ipProtocol: IP_PROTOCOL.tcp });
    const sock = net.connect(s.hepTcp!.port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    sock.write(Buffer.concat([a, b, c.subarray(0, 17)]));
    // The first write is framed (its two whole packets stored) before the rest of the third arrives.
    await stored('tcp-1');
    await stored('tcp-2');
    sock.write(c.subarray(17));
    sock.end();
    for (const id of ['tcp-1', 'tcp-2', 'tcp-3']) {
      expect((await stored(id)).messages[0]).toMatchObject({ callId: id, transport: 'tcp' });
    }
  });

  it('stores HEPv2 with Kamailio\'s little-endian timestamps', async () => {
    const p = encodeHep2({ family: 'ipv4', ipProtocol: IP_PROTOCOL.udp, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060,
      dstPort: 5070, tsSec: T, tsUsec: 42, captureId: 7, payload: invite('v2-1') } as any);
    await sendPackets(udp(), [p], { rate: 0 });
    expect((await stored('v2-1')).messages[0]).toMatchObject({ ts: T * 1e6 + 42, dstPort: 5070, captureIds: ['7'] });
  });

  it('counts malformed HEP by reason, skips it and keeps receiving', async () => {
    const good = hep({ payload: invite('after-garbage') });
    const truncated = good.subarray(0, 40);
    await sendPackets(udp(), [Buffer.from('GARBAGE!'), truncated, good], { rate: 0 });
    await stored('after-garbage');
    const text = (await s.get<string>('/metrics')).body;
    expect(metric(text, 'hepflow_packets_rejected_total{reason="bad-magic"}')).toBeGreaterThanOrEqual(1);
    expect(metric(text, 'hepflow_packets_rejected_total{reason="length-mismatch"}')).toBeGreaterThanOrEqual(1);
  });

  it('stores malformed SIP that names a Call-ID, flagged, and counts SIP with no Call-ID', async () => {
    const broken = 'INVITE sip:bob@x SIP/2.0\r\nCall-ID: broken-1\r\nFrom: <sip:a@x>;tag=1\r\nthis line has no colon\r\n\r\n';
    await sendPackets(udp(), [hep({ payload: broken }), hep({ payload: 'INVITE sip:x SIP/2.0\r\nCSeq: 1 INVITE\r\n\r\n' })], { rate: 0 });
    const g = await stored('broken-1');
    expect(g.messages[0].malformed).toMatch(/no-cseq/);
    await waitFor(async () => metric((await s.get<string>('/metrics')).body,
      'hepflow_packets_rejected_total{reason="sip-no-call-id"}') >= 1, 'sip-no-call-id counted');
  });

  it('keeps logs (HEP type 100) under their correlation id, in the call\'s group', async () => {
    await sendPackets(udp(), [
      hep({ payload: invite('log-call') }),
      hep({ payload: 'ERROR: media server unreachable', protoType: PROTO_TYPE.log, correlationId: 'log-call', tsUsec: 300_000 }),
    ], { rate: 0 });
    const g = await stored('log-call', 2);
    expect(g.messages.map((m) => [m.protoType, m.label])).toContainEqual([100, expect.any(String)]);
  });

  it('groups calls tagged with one HEP correlation id and answers the group by any id', async () => {
    await sendPackets(udp(), [
      hep({ payload: invite('b2b-in'), correlationId: 'b2b-key-77' }),
      hep({ payload: invite('b2b-out'), correlationId: 'b2b-key-77', tsUsec: 400_000, srcIp: '10.0.0.2', dstIp: '10.0.0.3' }),
    ], { rate: 0 });
    for (const id of ['b2b-in', 'b2b-out', 'b2b-key-77']) {
      const g = await stored(id, 2);
      expect(g.callIds.sort()).toEqual(['b2b-in', 'b2b-out']);
      expect(g.legs).toHaveLength(2);
    }
    const page = await s.get<ApiCallPage>('/api/v1/calls?correlationId=b2b-key-77');
    expect(page.body.items.map((i) => i.legs)).toEqual([2]);
  });

  it('answers 404 for an unknown group and 400 for a bad query', async () => {
    expect((await group('never-seen')).status).toBe(404);
    expect((await s.get('/api/v1/calls?limit=0', true)).status).toBe(400);
    expect((await s.get('/api/v1/calls?from=yesterday-ish', true)).status).toBe(400);
    expect((await s.get('/api/v1/calls?cursor=bogus', true)).status).toBe(400);
  });

  it('exposes health and Prometheus metrics', async () => {
    expect((await s.get('/healthz')).body).toMatchObject({ status: 'ok', store: 'sqlite', collector: true });
    const text = (await s.get<string>('/metrics')).body;
    expect(metric(text, 'hepflow_packets_received_total{transport="udp"}')).toBeGreaterThan(5);
    expect(metric(text, 'hepflow_packets_received_total{transport="tcp"}')).toBe(3);
    expect(metric(text, 'hepflow_messages_stored_total')).toBeGreaterThan(5);
    expect(text).toContain('hepflow_batch_write_seconds_bucket');
  });
});

describe('collector with an auth key', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer({ hepAuthKey: 'myHep', tcp: false }); });
  afterAll(async () => { await s.stop(); });

  it('drops packets with a wrong or missing key and stores those with the right one', async () => {
    const target = { transport: 'udp' as const, host: '127.0.0.1', port: s.hepUdp!.port };
    await sendPackets(target, [
      hep({ payload: invite('no-key') }),
      hep({ payload: invite('wrong-key'), authKey: 'guess' }),
      hep({ payload: invite('right-key'), authKey: 'myHep' }),
    ], { rate: 0 });
    await waitFor(async () => (await s.get('/api/v1/groups/right-key', true)).status === 200, 'right-key stored');
    expect((await s.get('/api/v1/groups/no-key', true)).status).toBe(404);
    expect((await s.get('/api/v1/groups/wrong-key', true)).status).toBe(404);
    expect(metric((await s.get<string>('/metrics')).body, 'hepflow_packets_rejected_total{reason="bad-auth-key"}')).toBe(2);
  });
});

describe('HTTP authentication', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer({ httpToken: 's3cret', collector: false }); });
  afterAll(async () => { await s.stop(); });

  it('refuses the API without the token and serves it with the token', async () => {
    expect((await fetch(`${s.httpUrl}/api/v1/calls`)).status).toBe(401);
    const ok = await fetch(`${s.httpUrl}/api/v1/calls`, { headers: { authorization: 'Bearer s3cret' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ items: [], next: null });
    expect((await fetch(`${s.httpUrl}/healthz`)).status).toBe(200);
    expect(s.hepUdp).toBeNull();
  });
});

describe('collector limits', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer({ maxTcpConnections: 1, tcpIdleMs: 300, maxPacketBytes: 600 }); });
  afterAll(async () => { await s.stop(); });

  const connect = async () => {
    const sock = net.connect(s.hepTcp!.port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    return sock;
  };
  const closed = (sock: net.Socket) => new Promise<void>((r) => (sock.destroyed ? r() : sock.once('close', () => r())));

  it('refuses TCP connections past the limit and closes idle ones', async () => {
    const first = await connect();
    const second = await connect();
    await closed(second); // over the limit: the server drops it at once
    await closed(first); // silent past tcpIdleMs
    const third = await connect(); // the slot is free again
    third.end(hep({ payload: 'OPTIONS sip:x SIP/2.0\r\nCall-ID: small\r\nCSeq: 1 OPTIONS\r\n\r\n', ipProtocol: IP_PROTOCOL.tcp }));
    await waitFor(async () => (await s.get('/api/v1/groups/small', true)).status === 200, 'a message over the freed slot');
  });

  it('counts and skips packets larger than the configured maximum', async () => {
    const big = hep({ payload: invite('too-big', 'X-Pad: ' + 'x'.repeat(700)) });
    expect(big.length).toBeGreaterThan(600);
    await sendPackets({ transport: 'udp', host: '127.0.0.1', port: s.hepUdp!.port }, [big], { rate: 0 });
    await waitFor(async () => metric((await s.get<string>('/metrics')).body, 'hepflow_packets_rejected_total{reason="too-large"}') === 1, 'too-large counted');
    expect((await s.get('/api/v1/groups/too-big', true)).status).toBe(404);
  });
});
