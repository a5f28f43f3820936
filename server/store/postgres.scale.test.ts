/**
 * Several hepflow processes on one PostgreSQL database, and the database going away: real UDP,
 * real HTTP, real PostgreSQL. Each server is a full startServer (its own pool and batcher).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { encodeHep3 } from '../hep/encode.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../hep/chunks.ts';
import { sendPackets } from '../replay/sender.ts';
import { startServer, type RunningServer } from '../server.ts';
import { defaults, type Config } from '../config.ts';
import { metric, waitFor } from '../testing/harness.ts';
import { openPostgresStore } from './postgres.ts';
import { createTestDatabase, noPostgres, type TestDatabase } from '../testing/postgres.ts';
import type { ApiCallPage, ApiGroup } from '../api/types.ts';

const T = 1_700_000_000; // s

function serverConfig(url: string, o: Partial<Config> = {}): Config {
  return { ...defaults, store: url, pgPool: 4, httpHost: '127.0.0.1', httpPort: 0, hepHost: '127.0.0.1', hepPort: 0,
    tcp: false, retentionDays: 0, logLevel: 'silent', batchDelayMs: 20, batchSize: 50, webDir: '/nonexistent', ...o };
}

function sip(first: string, callId: string, cseq: string, extra: string[] = []): string {
  return [first, `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-${callId}-${cseq.replace(' ', '')}-${first.length}`,
    'From: <sip:alice@example.com>;tag=a1', 'To: <sip:bob@example.com>', `Call-ID: ${callId}`, `CSeq: ${cseq}`,
    ...extra, 'Content-Length: 0', '', ''].join('\r\n');
}

function hep(payload: string, sec: number): Buffer {
  return encodeHep3({ ipProtocol: IP_PROTOCOL.udp, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060, dstPort: 5060,
    tsSec: sec, tsUsec: 0, protoType: PROTO_TYPE.sip, captureId: 2001, payload });
}

/**
 * Attended transfer number i, split over two collectors:
 *   a-i  alice → bob    INVITE 200 ACK         → collector 1
 *   b-i  alice → carol  INVITE 200 ACK         → collector 2
 *   a-i  REFER (Refer-To ...?Replaces=b-i)     → collector 2 (the link arrives where a-i's calls are not)
 *   c-i  bob → carol    INVITE (Replaces: b-i) 200 → collector 1
 */
function scenario(i: number): { one: Buffer[]; two: Buffer[] } {
  const t = T + i;
  const [a, b, c] = [`a-${i}`, `b-${i}`, `c-${i}`];
  return {
    one: [
      hep(sip('INVITE sip:bob@example.com SIP/2.0', a, '1 INVITE'), t), hep(sip('SIP/2.0 200 OK', a, '1 INVITE'), t),
      hep(sip('ACK sip:bob@example.com SIP/2.0', a, '1 ACK'), t),
      hep(sip('INVITE sip:carol@example.com SIP/2.0', c, '1 INVITE', [`Replaces: ${b};to-tag=c1;from-tag=a1`]), t + 30),
      hep(sip('SIP/2.0 200 OK', c, '1 INVITE'), t + 30),
    ],
    two: [
      hep(sip('INVITE sip:carol@example.com SIP/2.0', b, '1 INVITE'), t + 10), hep(sip('SIP/2.0 200 OK', b, '1 INVITE'), t + 10),
      hep(sip('ACK sip:carol@example.com SIP/2.0', b, '1 ACK'), t + 10),
      hep(sip('REFER sip:bob@example.com SIP/2.0', a, '2 REFER', [`Refer-To: <sip:carol@example.com?Replaces=${b}%3Bto-tag%3Dc1%3Bfrom-tag%3Da1>`]), t + 20),
    ],
  };
}

async function getJson<T>(base: string, path: string): Promise<T> {
  const res = await fetch(base + path);
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return res.json() as Promise<T>;
}

describe.skipIf(noPostgres)('several hepflow processes on one PostgreSQL', () => {
  let db: TestDatabase;
  const servers: RunningServer[] = [];
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => {
    for (const s of servers) await s.close().catch(() => {});
    await db?.drop();
  });

  it('stores every leg once and merges the groups when the legs reach different collectors at once', async () => {
    const one = await startServer(serverConfig(db.url));
    const two = await startServer(serverConfig(db.url));
    const web = await startServer(serverConfig(db.url, { collector: false }));
    servers.push(one, two, web);
    expect(web.hepUdp).toBeNull();
    const N = 40;
    const all = Array.from({ length: N }, (_, i) => scenario(i));
    await Promise.all([
      sendPackets({ transport: 'udp', host: '127.0.0.1', port: one.hepUdp!.port }, all.flatMap((s) => s.one), { rate: 4000 }),
      sendPackets({ transport: 'udp', host: '127.0.0.1', port: two.hepUdp!.port }, all.flatMap((s) => s.two), { rate: 4000 }),
    ]);
    await waitFor(async () => (await web.store.counts()).messages === N * 9, `${N * 9} messages`, 20_000);
    await one.ingest!.flush();
    await two.ingest!.flush();
    const page = await getJson<ApiCallPage>(web.httpUrl, '/api/v1/calls?limit=1000');
    expect(page.items).toHaveLength(N);
    for (const g of page.items) {
      const i = g.groupId.slice(2);
      expect(g.groupId).toBe(`a-${i}`);
      expect([...g.callIds].sort()).toEqual([`a-${i}`, `b-${i}`, `c-${i}`]);
      expect(g.messages).toBe(9);
    }
    const g = await getJson<ApiGroup>(web.httpUrl, '/api/v1/groups/c-7');
    expect(g.messages).toHaveLength(9);
    expect(new Set(g.messages.map((m) => m.id)).size).toBe(9);
    expect(await web.store.counts()).toEqual({ messages: N * 9, calls: N * 3, groups: N });
  });
});

describe.skipIf(noPostgres)('PostgreSQL going away', () => {
  let db: TestDatabase;
  let server: RunningServer | undefined;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => {
    await db?.admin(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS true`).catch(() => {});
    await server?.close().catch(() => {});
    await db?.drop();
  });

  it('rejects, without crashing, when no PostgreSQL answers at the address', async () => {
    await expect(openPostgresStore({ ...defaults, store: 'postgres://root@127.0.0.1:1/nothing' })).rejects.toThrow();
  });

  it('keeps collecting while the database is unreachable, counts the failed writes, and stores the buffer once it is back', async () => {
    server = await startServer(serverConfig(db.url));
    const name = db.name;
    const target = { transport: 'udp' as const, host: '127.0.0.1', port: server.hepUdp!.port };
    // The outage: no new connections, and every open one cut (as a restart or a network cut would).
    await db.admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await db.admin('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
    await sendPackets(target, [0, 1, 2].map((i) => hep(sip('INVITE sip:bob@example.com SIP/2.0', `down-${i}`, '1 INVITE'), T + i)), { rate: 0 });
    await waitFor(async () => metric(await server!.metrics.text(), 'hepflow_store_errors_total') >= 1, 'a failed store write');
    expect(server.ingest!.pending).toBe(3);
    const health = await fetch(server.httpUrl + '/metrics');
    expect(health.status).toBe(200); // the process still answers
    await db.admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    await waitFor(async () => (await server!.store.counts()).messages === 3, 'the buffered messages stored', 20_000);
    expect(metric(await server.metrics.text(), 'hepflow_messages_stored_total')).toBe(3);
    expect(metric(await server.metrics.text(), 'hepflow_messages_dropped_total{reason="buffer-full"}')).toBe(0);
  });
});
