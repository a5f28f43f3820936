/**
 * PostgreSQL dropping connections under load: a real hepflow server (startServer) on a fresh
 * database, real HEP over TCP, and every backend of that database terminated several times while
 * the traffic flows, as a failover or a pooler restart does.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import { encodeHep3 } from '../hep/encode.ts';
import { openSender } from '../replay/sender.ts';
import { basicCall } from '../scenarios/basic.ts';
import { startServer, type RunningServer } from '../server.ts';
import { defaults, type Config } from '../config.ts';
import { metric, waitFor } from '../testing/harness.ts';
import { createTestDatabase, noPostgres, type TestDatabase } from '../testing/postgres.ts';
import { CommitUnknown } from './homer/ddl.ts';
import { openPostgresStore } from './postgres.ts';
import { makeMessage } from '../testing/store-suite.ts';

const BASE = 1_700_000_000_000_000; // µs: 2023-11-14 22:13:20 UTC
/** Calls sent; basic-call has 13 messages, so 13 × CALLS messages in all. */
const CALLS = 900;
/** Messages per second sent: several thousand, for about three seconds. */
const RATE = 4000;
/** Rounds of terminating every backend of the database, 300 ms apart. */
const ROUNDS = 8;
/** In the third round, an outage, ms: connections refused, as while a primary restarts. */
const OUTAGE_MS = 2000;

function serverConfig(url: string, o: Partial<Config> = {}): Config {
  return { ...defaults, store: url, pgPool: 4, httpHost: '127.0.0.1', httpPort: 0, hepHost: '127.0.0.1', hepPort: 0,
    udp: false, retentionDays: 0, logLevel: 'silent', batchDelayMs: 20, batchSize: 500, webDir: '/nonexistent', ...o };
}

/**
 * CALLS copies of basic-call, each with its own Call-ID ("<id>-<i>"), 1 ms apart: one partition hour,
 * so that the test measures the writes, not the DDL.
 */
function traffic(): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < CALLS; i++) {
    for (const p of basicCall.build(BASE + i * 1000).packets) {
      const id = p.correlationId!;
      out.push(encodeHep3({ ...p, correlationId: `${id}-${i}`, payload: String(p.payload).replaceAll(id, `${id}-${i}`) }));
    }
  }
  return out;
}

/** Waits until `expected` messages are stored and none pending, then counts the SIP rows and the distinct ones. */
async function storedRows(server: RunningServer, db: TestDatabase, expected: number): Promise<{ n: number; distinct: number }> {
  await waitFor(async () => (await server.store.counts()).messages >= expected && server.ingest!.pending === 0,
    `${expected} messages stored`, 30_000);
  await server.ingest!.flush();
  const { rows } = await db.query<{ n: number; distinct: number }>(`SELECT count(*)::int AS n,
    count(DISTINCT (sid, create_date, md5(raw)))::int AS distinct FROM hep_proto_1_call`);
  return rows[0];
}

describe.skipIf(noPostgres)('PostgreSQL dropping connections during ingest', () => {
  let db: TestDatabase;
  let server: RunningServer | undefined;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => {
    await db?.admin(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS true`).catch(() => {});
    await server?.close().catch(() => {});
    await db?.drop();
  });

  const terminateAll = (name: string) =>
    db.admin('SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);

  it('stays up and stores every message exactly once while its backends are terminated again and again', async () => {
    // An unhandled 'error' from a pg client would fail this file (Vitest reports uncaught errors).
    server = await startServer(serverConfig(db.url));
    const packets = traffic();
    const sender = await openSender({ transport: 'tcp', host: '127.0.0.1', port: server.hepTcp!.port }, { rate: RATE });
    let killed = 0;
    let rounds = 0;
    let outageMs = 0;
    const killer = (async () => {
      // Every 300 ms, while sending and writing: backends cut mid-COPY, mid-grouping and mid-COMMIT alike.
      while (rounds < ROUNDS) {
        await new Promise((r) => setTimeout(r, 300));
        if (rounds === 2) {
          // Once, the database down for a while: no new connection is accepted for OUTAGE_MS.
          const from = Date.now();
          await db.admin(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS false`);
          killed += (await terminateAll(db.name)).rows[0].n;
          await new Promise((r) => setTimeout(r, OUTAGE_MS));
          await db.admin(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS true`);
          outageMs = Date.now() - from;
        } else {
          killed += (await terminateAll(db.name)).rows[0].n;
        }
        rounds++;
      }
    })();
    for (const p of packets) await sender.send(p);
    await sender.close();
    await killer;
    const rows = await storedRows(server, db, packets.length);

    const text = await server.metrics.text();
    console.log(`terminate-backends: sent ${packets.length} messages over TCP at ${RATE}/s; ${rounds} rounds terminated ${killed} backends `
      + `(one of them an outage of ${outageMs} ms); `
      + `stored ${rows.n} rows (${rows.distinct} distinct); store errors ${metric(text, 'hepflow_store_errors_total')}; `
      + `dropped ${metric(text, 'hepflow_messages_dropped_total{reason="buffer-full"}')}`);
    expect(outageMs).toBeGreaterThanOrEqual(OUTAGE_MS);
    expect(killed).toBeGreaterThan(0);
    expect(rows).toEqual({ n: packets.length, distinct: packets.length });
    expect(metric(text, 'hepflow_store_errors_total')).toBeGreaterThan(0);
    expect(metric(text, 'hepflow_messages_stored_total')).toBe(packets.length);
    const calls = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM hepflow_calls');
    expect(calls.rows[0].n).toBe(CALLS);
  }, 60_000);
});

/**
 * A TCP proxy in front of PostgreSQL that loses the answer to COMMIT: on a connection that wrote a
 * batch (its SQL inserts into hepflow_batches), the next COMMIT is passed on, and once the server answers
 * (it has committed) both sides are cut before the client hears it. `cuts` COMMITs are lost so.
 */
/**
 * A proxy that loses the answer to the first `cuts` COMMITs of transactions that record a batch
 * token. With `holdCommitMs`, the COMMIT itself is held: the client's connection is closed at
 * once, and the server gets the COMMIT that long after, as when a connection dies mid-COMMIT and
 * the server finishes it late.
 */
async function commitCutter(target: URL, cuts: number, o: { holdCommitMs?: number } = {}): Promise<{ url: string; lost: () => number; close(): Promise<void> }> {
  let lost = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    let holding = false;
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => { sockets.delete(s); client.destroy(); if (!holding) upstream.destroy(); });
      s.on('error', () => {});
    }
    let wroteBatch = false;
    let cutting = false;
    client.on('data', (d) => {
      if (d.includes('INSERT INTO hepflow_batches')) wroteBatch = true;
      const cut = wroteBatch && lost + (cutting ? 1 : 0) < cuts && d.includes('COMMIT\0');
      if (cut && o.holdCommitMs !== undefined) {
        lost++;
        holding = true;
        client.destroy();
        setTimeout(() => upstream.end(d), o.holdCommitMs);
        return;
      }
      if (cut) cutting = true;
      upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (holding) return;
      if (!cutting) { client.write(d); return; }
      lost++;
      client.destroy();
      upstream.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(target.href);
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.href,
    lost: () => lost,
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

describe.skipIf(noPostgres)('PostgreSQL losing the answer to COMMIT', () => {
  let db: TestDatabase;
  let server: RunningServer | undefined;
  let proxy: Awaited<ReturnType<typeof commitCutter>> | undefined;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => {
    await server?.close().catch(() => {});
    await proxy?.close();
    await db?.drop();
  });

  it('stores a batch once when COMMIT succeeded but its answer never came', async () => {
    const CUTS = 3;
    proxy = await commitCutter(new URL(db.url), CUTS);
    server = await startServer(serverConfig(proxy.url, { batchSize: 200 }));
    const packets = traffic().slice(0, 2000);
    const sender = await openSender({ transport: 'tcp', host: '127.0.0.1', port: server.hepTcp!.port }, { rate: 0 });
    for (const p of packets) await sender.send(p);
    await sender.close();
    const rows = await storedRows(server, db, packets.length);
    const text = await server.metrics.text();
    console.log(`commit-answer-lost: sent ${packets.length} messages; ${proxy.lost()} COMMIT answers lost; stored ${rows.n} rows `
      + `(${rows.distinct} distinct); store errors ${metric(text, 'hepflow_store_errors_total')}`);
    expect(proxy.lost()).toBe(CUTS);
    expect(rows).toEqual({ n: packets.length, distinct: packets.length });
    expect(metric(text, 'hepflow_store_errors_total')).toBeGreaterThanOrEqual(CUTS);
    expect(metric(text, 'hepflow_messages_stored_total')).toBe(packets.length);
  }, 60_000);

  it('rejects with CommitUnknown and stores the message once when the same message is retried', async () => {
    const p = await commitCutter(new URL(db.url), 1);
    const store = await openPostgresStore({ ...serverConfig(p.url) });
    try {
      const m = makeMessage({ callId: 'cut-1', ts: BASE });
      await expect(store.insert([m])).rejects.toBeInstanceOf(CommitUnknown);
      await store.insert([m]); // the batcher's retry, with the same message
      const n = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM hep_proto_1_call WHERE sid = 'cut-1'`);
      expect(n.rows[0].n).toBe(1);
    } finally {
      await store.close();
      await p.close();
    }
  });

  it('stores each message once when a retry that brought more messages loses its COMMIT answer too', async () => {
    // The batcher's retry takes the failed messages and what queued since: here the first attempt
    // stores a, its retry stores b (a skipped), and the retry of that must skip both.
    const p = await commitCutter(new URL(db.url), 2);
    const store = await openPostgresStore({ ...serverConfig(p.url) });
    try {
      const a = makeMessage({ callId: 'twice-a', ts: BASE });
      const b = makeMessage({ callId: 'twice-b', ts: BASE + 1 });
      await expect(store.insert([a])).rejects.toBeInstanceOf(CommitUnknown);
      await expect(store.insert([a, b])).rejects.toBeInstanceOf(CommitUnknown);
      await store.insert([a, b]);
      const { rows } = await db.query<{ sid: string; n: number }>(`SELECT sid, count(*)::int AS n FROM hep_proto_1_call
        WHERE sid LIKE 'twice-%' GROUP BY sid ORDER BY sid`);
      expect(rows).toEqual([{ sid: 'twice-a', n: 1 }, { sid: 'twice-b', n: 1 }]);
    } finally {
      await store.close();
      await p.close();
    }
  });

  it('waits for a COMMIT the server finishes after the connection was lost, and stores the message once', async () => {
    const HOLD_MS = 700;
    const p = await commitCutter(new URL(db.url), 1, { holdCommitMs: HOLD_MS });
    const store = await openPostgresStore({ ...serverConfig(p.url) });
    try {
      const m = makeMessage({ callId: 'late-commit', ts: BASE });
      await expect(store.insert([m])).rejects.toBeInstanceOf(CommitUnknown);
      const t0 = Date.now();
      await store.insert([m]); // at once: the COMMIT has not reached the server yet
      const waited = Date.now() - t0;
      await new Promise((r) => setTimeout(r, HOLD_MS)); // a COMMIT it did not wait for has landed by now
      const n = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM hep_proto_1_call WHERE sid = 'late-commit'`);
      console.log(`late-commit: the retry waited ${waited} ms for a COMMIT held ${HOLD_MS} ms`);
      expect(n.rows[0].n).toBe(1);
    } finally {
      await store.close();
      await p.close();
    }
  });
});
