/** POST /api/v1/import with real parts: Fastify, the collector's Ingest and a temporary SQLite store. */
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaults } from '../../config.ts';
import { Ingest } from '../../collector/ingest.ts';
import { Metrics } from '../../collector/metrics.ts';
import { openSqliteStore } from '../../store/sqlite.ts';
import type { Store } from '../../store/types.ts';
import { startTestServer } from '../../testing/harness.ts';
import importRoutes from './import.ts';
import type { ApiImport } from '../types.ts';
import { noSharedFixtures, sharedFixture } from '../../testing/shared-fixtures.ts';

const SNGREP = sharedFixture('sngrep-aaa.pcap');

let dir: string;
let store: Store;
let ingest: Ingest;
let app: FastifyInstance;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hepflow-upload-'));
  store = openSqliteStore(join(dir, 'store.db'));
  ingest = new Ingest({ store, config: { ...defaults, batchDelayMs: 5 }, metrics: new Metrics() });
  app = Fastify();
  await app.register(importRoutes, { store, ingest, prefix: '/api/v1' });
});
afterEach(async () => {
  await app.close();
  await ingest.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(noSharedFixtures)('POST /api/v1/import', () => {
  it('imports an uploaded pcap and answers its summary, time range and Call-IDs', async () => {
    const res = await app.inject({
      method: 'POST', url: '/api/v1/import?name=aaa.pcap',
      headers: { 'content-type': 'application/vnd.tcpdump.pcap' }, payload: readFileSync(SNGREP),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<ApiImport>();
    expect(body).toMatchObject({ fileName: 'aaa.pcap', captureId: 'file:aaa.pcap', format: 'pcap', packets: 691, sipMessages: 81, calls: 6, stoppedAt: null });
    expect(body.callIds).toHaveLength(6);
    expect(body.timeRange).toEqual({ from: 1120469572844249, to: 1120471018881832 });
    expect(body.groups).toBeGreaterThanOrEqual(1);
    expect((await store.counts()).messages).toBe(81);
  });

  it('refuses a body that is not a capture with 400 and stores nothing', async () => {
    const res = await app.inject({
      method: 'POST', url: '/api/v1/import?name=page.html',
      headers: { 'content-type': 'application/octet-stream' }, payload: '<html><body>INVITE sip:x SIP/2.0</body></html>',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'not-a-capture', message: 'page.html: not a pcap or pcapng file: first bytes 3c 68 74 6d 6c 3e 3c 62 ("<html><b")' });
    expect((await store.counts()).messages).toBe(0);
  });

  it('streams a large upload over real HTTP without buffering it whole', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    // The same 111 kB capture body sent 40 times in a row as one pcap: 4.4 MB, chunked.
    const one = readFileSync(SNGREP);
    const records = one.subarray(24);
    async function* body() {
      yield one.subarray(0, 24);
      for (let i = 0; i < 40; i++) yield* createReadStream(SNGREP, { start: 24, highWaterMark: 16384 });
    }
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/import?name=big.pcap`, {
      method: 'POST', headers: { 'content-type': 'application/octet-stream' },
      body: Readable.toWeb(Readable.from(body())) as ReadableStream, duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as ApiImport;
    expect(answer).toMatchObject({ packets: 691 * 40, sipMessages: 81 * 40, bytes: 24 + records.length * 40 });
    expect(statSync(SNGREP).size).toBe(one.length);
  });
});

describe.skipIf(noSharedFixtures)('POST /api/v1/import, unusual requests', () => {
  it('accepts an upload without a content type (a browser File of unknown type)', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    // fetch sends no Content-Type for a Blob whose type is empty, as a browser does for a dropped file.
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/import`, { method: 'POST', body: new Blob([readFileSync(sharedFixture('hep-wireshark-hep.pcap'))]) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ fileName: 'upload', hepPackets: 8 });
  });

  it('refuses an empty upload with 400', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/import', headers: { 'content-type': 'application/octet-stream' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('not-a-capture');
  });
});

describe.skipIf(noSharedFixtures)('POST /api/v1/import of a capture with a corrupt record, on the real server', () => {
  /** sngrep-aaa.pcap cut after its 2nd record, a 3rd record header whose captured length is 2 GB, then `filler` bytes. */
  function corruptCapture(filler: number): Buffer {
    const file = readFileSync(SNGREP);
    let pos = 24;
    for (let i = 0; i < 2; i++) pos += 16 + file.readUInt32LE(pos + 8); // incl_len, pcap-savefile(5)
    const third = Buffer.from(file.subarray(pos, pos + 16));
    third.writeUInt32LE(0x7fffffff, 8);
    return Buffer.concat([file.subarray(0, pos), third, Buffer.alloc(filler, 0x5a)]);
  }

  /** POSTs `body` over one real HTTP connection; resolves with the answer and when the connection closed. */
  function post(url: string, body: Buffer) {
    const started = Date.now();
    return new Promise<{ status: number; headers: Record<string, unknown>; text: string; answeredMs: number; closedMs: number }>((done, fail) => {
      let answer: { status: number; headers: Record<string, unknown>; text: string; answeredMs: number } | null = null;
      const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-length': body.length } }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => (answer = { status: res.statusCode!, headers: res.headers, text, answeredMs: Date.now() - started }));
      });
      // The server may close while the last bytes are in flight: that is the point, not a failure.
      req.on('error', (err: NodeJS.ErrnoException) => (['EPIPE', 'ECONNRESET'].includes(err.code ?? '') ? undefined : fail(err)));
      req.on('close', () => (answer ? done({ ...answer, closedMs: Date.now() - started }) : fail(new Error('connection closed without an answer'))));
      req.end(body);
    });
  }

  it('answers 400 naming the record at once, closes the connection, keeps serving and keeps an earlier import', async () => {
    const s = await startTestServer();
    try {
      const good = await fetch(`${s.httpUrl}/api/v1/import?name=aaa.pcap`, { method: 'POST', body: readFileSync(SNGREP) });
      expect(good.status).toBe(200);

      const bad = corruptCapture(6 << 20);
      const res = await post(`${s.httpUrl}/api/v1/import?name=bad.pcap`, bad);
      expect(res.status).toBe(400);
      expect(res.headers.connection).toBe('close');
      expect(JSON.parse(res.text)).toEqual({
        error: 'corrupt-capture',
        message: expect.stringMatching(/^bad\.pcap: packet 3 at byte \d+: corrupt packet record: captured length 2147483647 exceeds \d+; the 2 packets before it were imported/),
      });
      expect(res.answeredMs).toBeLessThan(1000);
      expect(res.closedMs).toBeLessThan(1000);

      expect((await s.get('/healthz')).status).toBe(200);
      expect((await s.store.counts()).messages).toBe(81);
      expect((await s.get('/api/v1/calls?range=all&limit=100')).body.items.length).toBeGreaterThanOrEqual(1);
    } finally {
      await s.stop();
    }
  });
});
