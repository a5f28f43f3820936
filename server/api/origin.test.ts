/**
 * Cross-origin state changes are refused on every non-GET route, with the real app (buildApp),
 * a temporary SQLite store and the collector's Ingest; reads and same-origin / header-less
 * (curl, CLI) writes pass. Every answer carries Referrer-Policy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaults } from '../config.ts';
import { Ingest } from '../collector/ingest.ts';
import { Metrics } from '../collector/metrics.ts';
import { openSqliteStore } from '../store/sqlite.ts';
import type { Store } from '../store/types.ts';
import { buildApp } from './app.ts';
import { checkOrigin } from './origin.ts';
import { ethernet, ipv4, makeSip, pcapFile, udp } from '../testing/pcap.ts';

/** A capture of SIP_COUNT SIP messages over UDP, made here: the test needs no sample file. */
const SIP_COUNT = 30;
const CAPTURE = pcapFile({
  linkType: 1, // Ethernet
  packets: Array.from({ length: SIP_COUNT }, (_, i) => ({
    ts: 1_700_000_000_000_000 + i * 1000,
    data: ethernet(ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, payload: udp(5060, 5060, Buffer.from(makeSip({ callId: `origin-${i}@test` }))) })),
  })),
});
const HOST = '127.0.0.1:8080';

let dir: string;
let store: Store;
let ingest: Ingest;
let app: FastifyInstance;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hepflow-origin-'));
  store = openSqliteStore(join(dir, 'store.db'));
  const config = { ...defaults, batchDelayMs: 5, webDir: join(dir, 'no-web') };
  ingest = new Ingest({ store, config, metrics: new Metrics() });
  app = await buildApp({ store, config, metrics: new Metrics(), ingest });
});
afterEach(async () => {
  await app.close();
  await ingest.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const upload = (headers: Record<string, string>) => app.inject({
  method: 'POST', url: '/api/v1/import?name=aaa.pcap',
  headers: { host: HOST, 'content-type': 'application/octet-stream', ...headers }, payload: CAPTURE,
});

describe('POST /api/v1/import and the request origin', () => {
  const allowed: [string, Record<string, string>][] = [
    ['no Origin and no Sec-Fetch-Site (curl, the CLI)', {}],
    ['Origin of this server', { origin: `http://${HOST}` }],
    ['Origin of this server and Sec-Fetch-Site same-origin (the app itself)', { origin: `http://${HOST}`, 'sec-fetch-site': 'same-origin' }],
    ['Sec-Fetch-Site none (typed by the user)', { 'sec-fetch-site': 'none' }],
    ['Origin naming the host a reverse proxy forwarded', { origin: 'https://hepflow.example.net', 'x-forwarded-host': 'hepflow.example.net' }],
  ];
  for (const [what, headers] of allowed) {
    it(`accepts an upload with ${what}`, async () => {
      const res = await upload(headers);
      expect(res.statusCode).toBe(200);
      expect(res.json().sipMessages).toBe(SIP_COUNT);
    });
  }

  const refused: [string, Record<string, string>, RegExp][] = [
    ['an Origin of another site', { origin: 'https://evil.example' }, /Origin "https:\/\/evil.example" is not this server/],
    ['an Origin on another port of this host', { origin: 'http://127.0.0.1:9999' }, /is not this server/],
    ['Origin "null" (a sandboxed page, a data: URL)', { origin: 'null' }, /Origin "null" is not this server/],
    ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }, /Sec-Fetch-Site is "cross-site"/],
    ['Sec-Fetch-Site same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }, /Sec-Fetch-Site is "same-site"/],
    ['our Origin but Sec-Fetch-Site cross-site', { origin: `http://${HOST}`, 'sec-fetch-site': 'cross-site' }, /cross-site/],
  ];
  for (const [what, headers, message] of refused) {
    it(`refuses with 403 and stores nothing: ${what}`, async () => {
      const res = await upload(headers);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ error: 'cross-origin', message: expect.stringMatching(message) });
      await ingest.flush();
      expect((await store.counts()).messages).toBe(0);
    });
  }

  it('lets reads through whatever their origin', async () => {
    const res = await app.inject({ url: '/api/v1/calls', headers: { host: HOST, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(res.statusCode).toBe(200);
  });

  it('says Referrer-Policy: same-origin on every answer', async () => {
    for (const res of [await upload({}), await upload({ origin: 'https://evil.example' }), await app.inject({ url: '/api/v1/nope' }), await app.inject({ url: '/healthz' })]) {
      expect(res.headers['referrer-policy']).toBe('same-origin');
    }
  });

  it('answers a refused upload of several MB over real HTTP at once and closes the connection', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const body = Buffer.concat([CAPTURE, Buffer.alloc(8 << 20)]);
    const started = Date.now();
    const answer = await new Promise<{ status: number; connection: string | undefined; text: string }>((done, fail) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/import', headers: { origin: 'https://evil.example', 'content-type': 'application/octet-stream', 'content-length': body.length } }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => done({ status: res.statusCode!, connection: res.headers.connection, text }));
      });
      req.on('error', (err) => (err as NodeJS.ErrnoException).code === 'EPIPE' || (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : fail(err));
      req.end(body);
    });
    expect(answer.status).toBe(403);
    expect(answer.connection).toBe('close');
    expect(JSON.parse(answer.text).error).toBe('cross-origin');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('checkOrigin', () => {
  it('never refuses GET, HEAD or OPTIONS', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      expect(checkOrigin({ method, host: HOST, origin: 'https://evil.example', secFetchSite: 'cross-site' })).toEqual({ ok: true });
    }
  });

  it('compares hosts as a URL writes them (case, default port)', () => {
    expect(checkOrigin({ method: 'POST', host: 'HepFlow.example:80', origin: 'http://hepflow.example' }).ok).toBe(true);
    expect(checkOrigin({ method: 'DELETE', host: 'hepflow.example', origin: 'http://hepflow.example.evil' }).ok).toBe(false);
    expect(checkOrigin({ method: 'PUT', host: undefined, origin: 'http://hepflow.example' }).ok).toBe(false);
  });
});
