/**
 * Group views built off the main thread (view-pool.ts), on real servers fed real HEP: each answer
 * is the very JSON text the main thread writes from the same store (what the route answered before
 * the view threads), whole, cut short (?limit) and lean, gzipped or not; and while a 20,000-message
 * group is being built, the main thread answers /healthz and a small group first.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { findScenario, layoutScenarios } from '../scenarios/index.ts';
import { encodeHep3 } from '../hep/encode.ts';
import { sendPackets } from '../replay/sender.ts';
import { feedScenarios, startTestServer, waitFor, type TestServer } from '../testing/harness.ts';
import { createTestDatabase, noPostgres, type TestDatabase } from '../testing/postgres.ts';
import type { Config } from '../config.ts';
import { loadGroupView, viewJson } from './group-view.ts';
import { keepaliveGroup } from '../../bench/ui/groups.ts';
import Ajv from 'ajv';
import { leanGroupSchema } from './schemas.ts';

const laid = layoutScenarios(['chain-full', 'attended-transfer-opensips', 'hostile'].map((n) => findScenario(n)!), 1_760_000_000_000_000);

/** GET `path` with the raw bytes as sent (no decompression by the client), decompressed here. */
function getRaw(base: string, path: string, acceptEncoding: string): Promise<{ status: number; encoding: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const encoding = res.headers['content-encoding'];
        resolve({ status: res.statusCode!, encoding, text: (encoding === 'gzip' ? gunzipSync(body) : body).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function describeSameJson(name: string, open: () => Promise<{ config: Partial<Config>; done(): Promise<void> }>, skip = false): void {
  describe.skipIf(skip)(`group views off the main thread (${name})`, () => {
    let s: TestServer;
    let done: () => Promise<void>;
    beforeAll(async () => {
      const o = await open();
      done = o.done;
      s = await startTestServer(o.config);
      await feedScenarios(s, laid);
    });
    afterAll(async () => {
      await s?.stop();
      await done?.();
    });

    it('answers the JSON text the main thread writes from the same store: whole, ?limit, ?fields=lean, gzipped or not', async () => {
      for (const { run } of laid) {
        for (const id of [run.expected.groups[0].callIds[0], run.expected.groups[0].callIds.at(-1)!]) {
          const whole = await loadGroupView(s.store, s.config, id);
          const stored = whole!.messages.reduce((n, m) => n + 1 + m.duplicateIds.length, 0);
          for (const limit of [undefined, 1, 3, stored - 1, stored]) {
            for (const lean of [false, true]) {
              const expected = viewJson((await loadGroupView(s.store, s.config, id, limit))!, lean);
              const query = new URLSearchParams({ ...(limit ? { limit: String(limit) } : {}), ...(lean ? { fields: 'lean' } : {}) }).toString();
              const path = `/api/v1/groups/${encodeURIComponent(id)}${query ? `?${query}` : ''}`;
              for (const accept of ['gzip, deflate', 'identity']) {
                const got = await getRaw(s.httpUrl, path, accept);
                expect([got.status, got.text]).toEqual([200, expected]);
                if (accept === 'identity') expect(got.encoding).toBeUndefined();
              }
            }
          }
        }
      }
    });

    it('lean messages carry only the fields the app draws with, and the same values', async () => {
      const id = laid[0].run.expected.groups[0].callIds[0];
      const whole = (await s.get(`/api/v1/groups/${encodeURIComponent(id)}`)).body;
      const lean = (await s.get(`/api/v1/groups/${encodeURIComponent(id)}?fields=lean`)).body;
      const validate = new Ajv({ allErrors: true }).compile(leanGroupSchema);
      expect(validate(lean) ? [] : validate.errors).toEqual([]);
      expect(Object.keys(lean.messages[0])).not.toContain('srcIp');
      expect(lean.messages.length).toBe(whole.messages.length);
      lean.messages.forEach((m: Record<string, unknown>, i: number) => {
        for (const [k, v] of Object.entries(m)) expect([k, v]).toEqual([k, whole.messages[i][k]]);
      });
      expect({ ...lean, messages: [] }).toEqual({ ...whole, messages: [] });
    });

    it('refuses fields other than lean, and answers 404 for an unknown id', async () => {
      const id = laid[0].run.expected.groups[0].callIds[0];
      const bad = await s.get(`/api/v1/groups/${encodeURIComponent(id)}?fields=all`, true);
      expect([bad.status, bad.body.error]).toEqual([400, 'bad-request']);
      for (const q of ['', '?fields=lean', '?limit=2000']) expect((await s.get(`/api/v1/groups/nope${q}`, true)).status).toBe(404);
    });
  });
}

describeSameJson('SQLite', async () => ({ config: {}, done: async () => {} }));

describeSameJson('PostgreSQL', async () => {
  const db: TestDatabase = await createTestDatabase();
  return { config: { store: db.url }, done: () => db.drop() };
}, noPostgres);

describe('a large group being built leaves the main thread free', () => {
  let s: TestServer;
  const big = keepaliveGroup(20_000, Date.UTC(2025, 0, 1) * 1000, 901);
  beforeAll(async () => {
    s = await startTestServer();
    await feedScenarios(s, laid);
    await sendPackets({ transport: 'tcp', host: '127.0.0.1', port: s.hepTcp!.port }, big.packets.map(encodeHep3), { rate: 0 });
    await waitFor(async () => (await s.store.counts()).messages >= laid.reduce((n, l) => n + l.run.packets.length, 0) + big.size, 'all stored', 60_000);
  }, 120_000);
  afterAll(async () => { await s?.stop(); });

  it('answers /healthz and a small group, again and again, while the 20,000-message view is built', async () => {
    const small = laid[0].run.expected.groups[0].callIds[0];
    const smallCount = (await loadGroupView(s.store, s.config, small))!.messages.length;
    const bigPath = `/api/v1/groups/${encodeURIComponent(big.callId)}`;
    // Once to start the large-view threads, then the fetch that the probes race.
    expect((await s.get(bigPath)).body.messages).toHaveLength(big.size);
    const order: string[] = [];
    // Uncompressed, so that the answer's headers leave as soon as the view is written: they mark
    // the end of the build (a gzipped answer would start later, while zlib works).
    const whole = fetch(s.httpUrl + bigPath, { headers: { 'accept-encoding': 'identity' } }).then((res) => {
      order.push('big');
      return res.json();
    });
    // Probes, one after another, until the big answer has come. Built on this thread, the view
    // would hold them all until it was done; built on a view thread, they are answered meanwhile.
    for (let i = 0; !order.includes('big'); i++) {
      const r = await s.get(i % 2 ? `/api/v1/groups/${encodeURIComponent(small)}` : '/healthz');
      order.push(i % 2 ? `small ${r.body.messages.length}` : `health ${r.body.status}`);
    }
    expect((await whole).messages).toHaveLength(big.size);
    const answeredBefore = order.slice(0, order.indexOf('big'));
    expect(answeredBefore.length).toBeGreaterThanOrEqual(4);
    expect(answeredBefore).toEqual(answeredBefore.map((_, i) => (i % 2 ? `small ${smallCount}` : 'health ok')));
  }, 60_000);
});
