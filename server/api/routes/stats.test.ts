/**
 * GET /api/v1/stats on a real server (listening on loopback, SQLite file) fed real HEP: the figures
 * agree with the search list of the same range, the answer has the schema's shape, the proxy's
 * alias names a failing peer, and a bad range is a 400 that says why.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Ajv from 'ajv';
import { findScenario, layoutScenarios } from '../../scenarios/index.ts';
import { feedScenarios, startTestServer, type TestServer } from '../../testing/harness.ts';
import { callStatsSchema } from '../schemas.ts';
import { aliasOfAddress } from './stats.ts';
import type { ApiCallPage, ApiCallStats, ApiError } from '../types.ts';

const T0 = 1_760_000_000_000_000;
const laid = layoutScenarios(['basic-call', 'rejected-486', 'cancelled-487'].map((n) => findScenario(n)!), T0);
const last = laid[laid.length - 1].base;

describe('GET /api/v1/stats', () => {
  let s: TestServer;
  const stats = async (query: string) => (await s.get<ApiCallStats>(`/api/v1/stats?${query}`)).body;
  beforeAll(async () => {
    s = await startTestServer({ aliases: { '10.0.1.20:5060': 'Bob desk', '10.0.1.20:5062': 'Bob desk', '192.0.2.7': 'Twin', '192.0.2.8': 'Twin' } });
    await feedScenarios(s, laid);
  });
  afterAll(async () => { await s?.stop(); });

  it('counts the calls of the range as the search list does, with ASR and NER over them', async () => {
    const range = `from=${T0}&to=${last + 60_000_000}`; // the last scenario starts a few ms after its base
    const body = await stats(range);
    expect(new Ajv({ strict: false }).validate(callStatsSchema, body)).toBe(true);
    const items = (await s.get<ApiCallPage>(`/api/v1/calls?${range}&limit=100`)).body.items;
    expect(body.calls).toBe(items.length);
    expect(body.dispositions.filter((d) => d.calls > 0)).toEqual([
      { disposition: 'answered', calls: 1 }, { disposition: 'busy', calls: 1 }, { disposition: 'cancelled', calls: 1 }]);
    expect(body.asr).toBeCloseTo(1 / 3, 10);
    expect(body.ner).toBe(1); // none failed for a network reason
    expect(body.acdMs).toBe(items.find((i) => i.disposition === 'answered')!.durationMs);
    expect(body.failingPeers).toEqual([]);
    expect(body.series.reduce((n, p) => n + p.calls, 0)).toBe(3);
  });

  it('takes the search\'s ip filter and ISO dates', async () => {
    const iso = (t: number) => new Date(t / 1000).toISOString();
    expect((await stats(`from=${iso(T0)}&to=${iso(last + 60_000_000)}&ip=10.0.1.20`)).calls).toBe(3);
    expect((await stats(`from=${iso(T0)}&to=${iso(last + 60_000_000)}&ip=192.0.2.1`)).calls).toBe(0);
    // An alias stands for the one address its entries name, in the stats as in the search list.
    expect((await stats(`from=${T0}&ip=Bob%20desk`)).calls).toBe(3);
    expect((await s.get<ApiCallPage>(`/api/v1/calls?from=${T0}&ip=Bob%20desk`)).body.items).toHaveLength(3);
    const twin = await s.get<ApiError>(`/api/v1/stats?ip=Twin`, true);
    expect(twin.status).toBe(400);
    expect(twin.body.message).toMatch(/Twin.*several addresses.*192\.0\.2\.7, 192\.0\.2\.8/);
  });

  it('answers 400 for a range that ends before it starts, a bad time, and a search filter it does not apply', async () => {
    const bad = async (query: string) => {
      const r = await s.get<ApiError>(`/api/v1/stats?${query}`, true);
      expect(r.status).toBe(400);
      return r.body.message;
    };
    expect(await bad(`from=${T0 + 1}&to=${T0}`)).toMatch(/from .* is after to/);
    expect(await bad('from=yesterday')).toMatch(/from must be/);
    expect(await bad('disposition=busy')).toMatch(/stats take from, to and ip only, got disposition/);
  });

  it('names an address by the alias of the address or of one of its ports', () => {
    const aliases = { '10.0.0.5': 'SBC', '10.0.1.20:5060': 'Bob desk', '[2001:db8::5]:5060': 'v6 proxy', '10.0.1.2:5060': 'other' };
    expect(aliasOfAddress(aliases, '10.0.0.5')).toBe('SBC');
    expect(aliasOfAddress(aliases, '10.0.1.20')).toBe('Bob desk');
    expect(aliasOfAddress(aliases, '2001:db8::5')).toBe('v6 proxy');
    expect(aliasOfAddress(aliases, '10.0.1.200')).toBeNull();
  });
});
