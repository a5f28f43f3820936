/**
 * Scaled out on PostgreSQL: a collector process and a web process without a collector
 * (`--no-collector`), each a real server on its own pool. The web process's live stream hears of
 * what the collector stored through LISTEN/NOTIFY, and a dropped LISTEN connection ends in a
 * resync rather than silence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaults, type Config } from '../config.ts';
import { startServer, type RunningServer } from '../server.ts';
import { createTestDatabase, noPostgres, type TestDatabase } from '../testing/postgres.ts';
import { makeInput } from '../testing/hep.ts';
import { makeMessage } from '../testing/sip-messages.ts';
import { encodeHep3 } from '../hep/encode.ts';
import { sendPackets } from '../replay/sender.ts';
import { waitFor } from '../testing/harness.ts';
import { openSse, type SseClient } from './sse-client.ts';

function serverConfig(url: string, o: Partial<Config> = {}): Config {
  return { ...defaults, store: url, pgPool: 2, httpHost: '127.0.0.1', httpPort: 0, hepHost: '127.0.0.1', hepPort: 0,
    udp: false, retentionDays: 0, logLevel: 'silent', batchDelayMs: 20, webDir: '/nonexistent', ...o };
}

function request(callId: string, cseq: number): Buffer {
  const sip = makeMessage('INVITE sip:bob@example.com SIP/2.0', [
    'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-' + cseq, 'From: <sip:alice@example.com>;tag=a1', 'To: <sip:bob@example.com>',
    `Call-ID: ${callId}`, `CSeq: ${cseq} INVITE`,
  ]);
  return encodeHep3(makeInput({ payload: sip, tsSec: Math.floor(Date.now() / 1000), tsUsec: cseq }));
}

describe.skipIf(noPostgres)('live views on PostgreSQL with the collector in another process', () => {
  let db: TestDatabase;
  let collector: RunningServer;
  let web: RunningServer;
  const streams: SseClient[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    collector = await startServer(serverConfig(db.url));
    web = await startServer(serverConfig(db.url, { collector: false }));
  }, 60_000);
  afterAll(async () => {
    for (const c of streams) c.close();
    await web?.close();
    await collector?.close();
    await db?.drop();
  });

  it('a web process without a collector is told of a call another process stored', async () => {
    const flow = await openSse(`${web.httpUrl}/api/v1/live?group=pg-live%40h`);
    streams.push(flow);
    await flow.next((e) => e.event === 'ready' || e.event === 'change');
    const n = flow.events.length;
    await sendPackets({ transport: 'tcp', host: '127.0.0.1', port: collector.hepTcp!.port }, [request('pg-live@h', 1)], { rate: 0 });
    const e = await flow.next((x) => x.event === 'change', n);
    expect(JSON.parse(e.data)).toEqual({});
    const g = await fetch(`${web.httpUrl}/api/v1/groups/pg-live%40h`);
    expect(g.status).toBe(200);
  });

  it('after its LISTEN connection is cut, the web process tells its streams to resync', async () => {
    const calls = await openSse(`${web.httpUrl}/api/v1/live?calls=1`);
    streams.push(calls);
    await calls.next((e) => e.event === 'ready' || e.event === 'change');
    const n = calls.events.length;
    await db.admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'LISTEN%'`, [db.name]);
    const e = await calls.next((x) => x.event === 'change' && JSON.parse(x.data).resync === true, n);
    expect(e.event).toBe('change');
    // And it listens again: a new call still reaches it.
    const m = calls.events.length;
    await waitFor(async () => {
      await sendPackets({ transport: 'tcp', host: '127.0.0.1', port: collector.hepTcp!.port }, [request(`pg-after-${Date.now()}@h`, 1)], { rate: 0 });
      return calls.events.slice(m).some((x) => x.event === 'change' && JSON.parse(x.data).resync !== true);
    }, 'a change after the reconnect', 20_000);
  }, 30_000);
});
