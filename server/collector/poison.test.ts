/**
 * Poison input through a real server: clean calls with one message in the middle carrying what a
 * store cannot hold as sent (a NUL in the Call-ID, a From user, the HEP correlation id, the node
 * name; bytes that are not UTF-8), sent as HEP over TCP, against an SQLite file and PostgreSQL.
 * Everything is stored, the poison escaped and flagged, and searches with such bytes never 500.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeHep3 } from '../hep/encode.ts';
import { sendPackets } from '../replay/sender.ts';
import { basicCall } from '../scenarios/basic.ts';
import type { HepEncodeInput } from '../hep/types.ts';
import { startServer, type RunningServer } from '../server.ts';
import { defaults, type Config } from '../config.ts';
import { metric, waitFor } from '../testing/harness.ts';
import { createTestDatabase, noPostgres, type TestDatabase } from '../testing/postgres.ts';
import { NUL_MARK } from './storable.ts';
import type { ApiCallPage, ApiGroup } from '../api/types.ts';

const BASE = 1_700_000_000_000_000; // µs
/** Clean calls sent around the poison (13 messages each). */
const CALLS = 20;

/** basic-call number i with Call-ID "<id>-<i>" (the scenario's seed gives every build the same ids). */
function call(i: number): HepEncodeInput[] {
  return basicCall.build(BASE + i * 1000).packets.map((p) => {
    const id = p.correlationId!;
    return { ...p, correlationId: `${id}-${i}`, payload: String(p.payload).replaceAll(id, `${id}-${i}`) };
  });
}

/** The first INVITE of a call, refiled under `callId`, without the correlation id chunk unless given. */
function invite(callId: string, o: Partial<HepEncodeInput> = {}, payload: (s: string) => string | Buffer = (s) => s): Buffer {
  const p = basicCall.build(BASE + 999_000).packets[0];
  const text = String(p.payload).replaceAll(p.correlationId!, callId);
  return encodeHep3({ ...p, correlationId: null, payload: payload(text), ...o });
}

/** The poison messages, by what they carry. */
const POISON = {
  callId: invite('poison-callid\0x'),
  user: invite('poison-user', {}, (s) => s.replace('<sip:alice@', '<sip:al\0ice@')),
  correlationId: invite('poison-corr', { correlationId: 'poison\0corr' }),
  nodeName: invite('poison-node', { nodeName: 'edge\0proxy' }),
  // "café" with é as Latin-1 (0xE9) then a stray 0xFF: not UTF-8. All else in the message is ASCII.
  utf8: invite('poison-utf8', {}, (s) => Buffer.from(s.replace('\r\n\r\n', '\r\nSubject: caf\xE9\xFF\r\n\r\n'), 'latin1')),
};

/** Clean traffic with the five poison messages in the middle of it. */
function traffic(): Buffer[] {
  const clean = Array.from({ length: CALLS }, (_, i) => call(i)).flat().map(encodeHep3);
  const mid = clean.length >> 1;
  return [...clean.slice(0, mid), ...Object.values(POISON), ...clean.slice(mid)];
}

function baseConfig(o: Partial<Config>): Config {
  return { ...defaults, httpHost: '127.0.0.1', httpPort: 0, hepHost: '127.0.0.1', hepPort: 0, udp: false, retentionDays: 0,
    logLevel: 'silent', batchDelayMs: 20, webDir: '/nonexistent', pgPool: 4, ...o };
}

async function get<T>(server: RunningServer, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(server.httpUrl + path);
  return { status: res.status, body: await res.json() as T };
}

function describePoison(name: string, open: () => Promise<{ config: Partial<Config>; done(): Promise<void> }>, skip = false): void {
  describe.skipIf(skip)(`poison input (${name})`, () => {
    let server: RunningServer;
    let done: () => Promise<void>;
    const sent = traffic();
    beforeAll(async () => {
      const o = await open();
      done = o.done;
      server = await startServer(baseConfig(o.config));
      await sendPackets({ transport: 'tcp', host: '127.0.0.1', port: server.hepTcp!.port }, sent, { rate: 0 });
      await waitFor(async () => (await server.store.counts()).messages >= sent.length && server.ingest!.pending === 0,
        `${sent.length} messages stored`, 20_000);
    });
    afterAll(async () => {
      await server?.close();
      await done?.();
    });

    it('stores every message, the poison ones included, and leaves nothing pending or set aside', async () => {
      const text = await server.metrics.text();
      const counts = await server.store.counts();
      console.log(`poison (${name}): sent ${sent.length} messages (5 poison); stored ${counts.messages}; `
        + `flagged nul-byte ${metric(text, 'hepflow_sip_malformed_total{problem="nul-byte"}')}, `
        + `invalid-utf8 ${metric(text, 'hepflow_sip_malformed_total{problem="invalid-utf8"}')}; pending ${server.ingest!.pending}; `
        + `set aside ${metric(text, 'hepflow_messages_set_aside_total')}; store errors ${metric(text, 'hepflow_store_errors_total')}`);
      expect(counts.messages).toBe(sent.length);
      expect(counts.calls).toBe(CALLS + 5);
      expect(server.ingest!.pending).toBe(0);
      expect(metric(text, 'hepflow_messages_stored_total')).toBe(sent.length);
      expect(metric(text, 'hepflow_sip_malformed_total{problem="nul-byte"}')).toBe(4);
      expect(metric(text, 'hepflow_sip_malformed_total{problem="invalid-utf8"}')).toBe(1);
      expect(text).not.toMatch(/^hepflow_messages_set_aside_total\{/m);
      for (const i of [0, CALLS - 1]) {
        const g = await get<ApiGroup>(server, `/api/v1/groups/${encodeURIComponent(call(i)[0].correlationId!)}`);
        expect(g.body.messages).toHaveLength(13);
      }
    });

    it('shows each poison message escaped, with its problem, whether asked by the escaped id or the id as sent', async () => {
      for (const id of [`poison-callid${NUL_MARK}x`, 'poison-callid\0x']) {
        const g = await get<ApiGroup>(server, `/api/v1/groups/${encodeURIComponent(id)}`);
        expect(g.status).toBe(200);
        expect(g.body.callIds).toEqual([`poison-callid${NUL_MARK}x`]);
        expect(g.body.messages[0].malformed).toContain('nul-byte');
      }
      const user = (await get<ApiGroup>(server, '/api/v1/groups/poison-user')).body.messages[0];
      expect(user.fromUser).toBe(`al${NUL_MARK}ice`);
      expect(user.malformed).toContain('nul-byte');
      const corr = (await get<ApiGroup>(server, '/api/v1/groups/poison-corr')).body;
      expect(corr.messages[0].hepCorrelationId).toBe(`poison${NUL_MARK}corr`);
      expect(corr.correlationIds).toContain(`poison${NUL_MARK}corr`);
      const node = (await get<ApiGroup>(server, '/api/v1/groups/poison-node')).body.messages[0];
      expect(node.captureIds).toEqual([`edge${NUL_MARK}proxy`]);
      expect(node.malformed).toContain('nul-byte');
      const utf8 = (await get<ApiGroup>(server, '/api/v1/groups/poison-utf8')).body.messages[0];
      expect(utf8.malformed).toContain('invalid-utf8');
      const detail = await get<{ raw: string }>(server, `/api/v1/messages/${encodeURIComponent(utf8.id)}`);
      expect(detail.body.raw).toContain('Subject: caf\uFFFD\uFFFD');
    });

    it('answers searches carrying a NUL with what was stored, never a database error', async () => {
      const ids = async (q: string) => {
        const r = await get<ApiCallPage>(server, `/api/v1/calls?${q}`);
        expect(r.status, q).toBe(200);
        return r.body.items.map((g) => g.groupId);
      };
      expect(await ids('callId=poison-callid%00x')).toEqual([`poison-callid${NUL_MARK}x`]);
      expect(await ids('user=al%00ice')).toEqual(['poison-user']);
      expect(await ids('correlationId=poison%00corr')).toEqual(['poison-corr']);
      expect(await ids('q=poison%00corr')).toEqual(['poison-corr']);
      expect(await ids('ip=10.0.0%001')).toEqual([]);
      expect(await ids('method=INV%00ITE')).toEqual([]);
    });

    it('answers 400 or 404, not 500, for forged cursors, times and ids', async () => {
      const forged = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      for (const cursor of [forged([1, 'a\0b']), forged([1e300, 'a']), forged([1, 2 ** 64])]) {
        const r = await get<{ message: string }>(server, `/api/v1/calls?cursor=${cursor}`);
        expect(r.status).toBe(400);
      }
      const t = await get<{ message: string }>(server, '/api/v1/calls?from=99999999999999999999999');
      expect(t.status).toBe(400);
      expect(t.body.message).toMatch(/^from must be/);
      expect((await get(server, '/api/v1/groups/a%00b')).status).toBe(404);
      expect((await get(server, '/api/v1/messages/1_call:9999999999999999999:0')).status).toBe(404);
      expect((await get(server, '/api/v1/messages/a%00b')).status).toBe(404);
    });
  });
}

describePoison('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hepflow-poison-'));
  return { config: { store: join(dir, 'hepflow.db') }, done: async () => rmSync(dir, { recursive: true, force: true }) };
});

describePoison('PostgreSQL', async () => {
  const db: TestDatabase = await createTestDatabase();
  return { config: { store: db.url }, done: () => db.drop() };
}, noPostgres);
