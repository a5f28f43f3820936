/**
 * GET /api/v1/calls on a real server fed real HEP: each item's KPIs (the first leg's, as the group
 * view says them), the KPI filters, and a clear 400 for each bad filter value.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { findScenario, layoutScenarios } from '../../scenarios/index.ts';
import { feedScenarios, startTestServer, type TestServer } from '../../testing/harness.ts';
import type { ApiCallPage, ApiError, ApiGroup } from '../types.ts';

const laid = layoutScenarios(['basic-call', 'rejected-486', 'cancelled-487'].map((n) => findScenario(n)!), 1_760_000_000_000_000);

describe('GET /api/v1/calls', () => {
  let s: TestServer;
  const calls = async (query: string) => (await s.get<ApiCallPage>(`/api/v1/calls?${query}`)).body.items;
  const ids = async (query: string) => (await calls(query)).map((i) => i.groupId).sort();
  const firstCallId = (name: string) => laid.find((l) => l.scenario.name === name)!.run.expected.groups[0].callIds[0];
  beforeAll(async () => {
    s = await startTestServer();
    await feedScenarios(s, laid);
  });
  afterAll(async () => { await s?.stop(); });

  it('gives each item the disposition, PDD, setup, duration, final status and problems of the group view\'s first leg', async () => {
    const items = await calls('');
    expect(items).toHaveLength(3);
    for (const item of items) {
      const k = (await s.get<ApiGroup>(`/api/v1/groups/${encodeURIComponent(item.groupId)}`)).body.legs[0].kpi;
      expect(item).toMatchObject({ disposition: k.disposition, pddMs: k.pddMs, setupMs: k.setupMs, durationMs: k.durationMs,
        finalStatus: k.finalStatus, problems: k.problems.map((p) => p.code) });
    }
    expect(items.map((i) => i.disposition).sort()).toEqual(['answered', 'busy', 'cancelled']);
  });

  it('filters by disposition, problem, minimum PDD and duration bounds', async () => {
    expect(await ids('disposition=busy')).toEqual([firstCallId('rejected-486')]);
    expect(await ids('disposition=answered&minDurationMs=1')).toEqual([firstCallId('basic-call')]);
    expect(await ids('disposition=answered&maxDurationMs=0')).toEqual([]);
    expect(await ids('minPddMs=0')).toHaveLength(3);
    expect(await ids('minPddMs=2000000000')).toEqual([]);
    expect(await ids('problem=server-error-5xx&problem=timeout-408')).toEqual([]);
    expect(await ids('problem=server-error-5xx,timeout-408')).toEqual([]);
    expect(await ids('disposition=cancelled&problem=')).toEqual([firstCallId('cancelled-487')]);
  });

  it('answers 400 naming the filter and what it takes, for each bad value', async () => {
    const bad = async (query: string) => {
      const r = await s.get<ApiError>(`/api/v1/calls?${query}`, true);
      expect(r.status).toBe(400);
      return r.body.message;
    };
    expect(await bad('disposition=ringing')).toMatch(/^disposition must be one of answered, busy, .*in-progress, got "ringing"$/);
    expect(await bad('disposition=busy&disposition=failed')).toBe('disposition may be given once');
    expect(await bad('problem=missing-ack&problem=slow')).toMatch(/^problem must be one of missing-ack, .*, got "slow"$/);
    expect(await bad('problem=missing-ack,slow')).toMatch(/got "slow"$/);
    expect(await bad('minPddMs=-1')).toBe('minPddMs must be an integer from 0 to 2147483647');
    expect(await bad('minPddMs=1.5')).toBe('minPddMs must be an integer from 0 to 2147483647');
    expect(await bad('maxDurationMs=soon')).toBe('maxDurationMs must be an integer from 0 to 2147483647');
    expect(await bad('minDurationMs=99999999999')).toBe('minDurationMs must be an integer from 0 to 2147483647');
    expect(await bad('minDurationMs=10&maxDurationMs=5')).toBe('minDurationMs (10) is above maxDurationMs (5)');
    expect(await bad('minPddMs=1&minPddMs=2')).toBe('minPddMs may be given once, got 2 values');
    expect(await bad('user=a&user=b')).toBe('user may be given once, got 2 values');
    expect(await bad('scenario=conference')).toMatch(/^scenario must be one of attended-transfer, .*basic, got "conference"$/);
    expect(await bad('scenario=b2b&scenario=basic')).toBe('scenario may be given once');
  });
});
