/**
 * GET /api/v1/groups/:id on a real server fed real HEP: the whole group, and with ?limit=N the
 * view of its first N stored messages, which the app draws while the whole group loads.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { findScenario, layoutScenarios } from '../../scenarios/index.ts';
import { feedScenarios, startTestServer, type TestServer } from '../../testing/harness.ts';
import { oneWayAudio } from '../../scenarios/one-way.ts';
import { wholeStory } from '../../scenarios/story.ts';
import type { ApiGroup, ApiLeanGroup } from '../types.ts';
import { leanMessageSchema } from '../schemas.ts';

// chain-full: the SBC ↔ proxy hop is captured at both ends, so its messages fold in pairs;
// attended-transfer-opensips: three legs, the later ones joining by links. Then two calls with
// logs, REST, transport events and RTCP, and media flags (laid out on the same timeline, apart).
const all = layoutScenarios([...['chain-full', 'attended-transfer-opensips'].map((n) => findScenario(n)!), wholeStory, oneWayAudio], 1_760_000_000_000_000);
const laid = all.slice(0, 2);
const stories = all.slice(2);

describe('GET /api/v1/groups/:id', () => {
  let s: TestServer;
  const group = async (id: string, query = '') => (await s.get<ApiGroup>(`/api/v1/groups/${encodeURIComponent(id)}${query}`)).body;
  beforeAll(async () => {
    s = await startTestServer();
    await feedScenarios(s, all);
  });
  afterAll(async () => { await s.stop(); });

  it('answers the whole group as complete', async () => {
    for (const { run } of laid) {
      const g = await group(run.expected.groups[0].callIds[0]);
      expect(g.complete).toBe(true);
      expect(g.messages).toHaveLength(run.expected.messageCount);
    }
  });

  it('with ?limit=N answers the view of the first N stored messages: the whole view\'s first messages, legs and endpoints', async () => {
    for (const { run } of laid) {
      const id = run.expected.groups[0].callIds[0];
      const full = await group(id);
      const stored = full.messages.reduce((n, m) => n + 1 + m.duplicateIds.length, 0);
      for (let limit = 1; limit < stored; limit++) {
        const part = await group(id, `?limit=${limit}`);
        expect(part.complete).toBe(false);
        expect(part.messages.reduce((n, m) => n + 1 + m.duplicateIds.length, 0)).toBe(limit);
        // Its messages come first in the whole view, in the same order (a copy past the cut is
        // folded into them only in the whole view).
        expect(part.messages.map((m) => m.id)).toEqual(full.messages.slice(0, part.messages.length).map((m) => m.id));
        expect(part.legs.map((l) => [l.index, l.callId])).toEqual(full.legs.slice(0, part.legs.length).map((l) => [l.index, l.callId]));
        expect(part.endpoints).toEqual(full.endpoints.slice(0, part.endpoints.length));
      }
      expect(await group(id, `?limit=${stored}`)).toEqual(full);
      expect(await group(id, `?limit=${stored + 100}`)).toEqual(full);
    }
  });

  it('with ?fields=lean gives logs, REST, transport events and reports the item fields of the whole view, and the same media', async () => {
    for (const { run } of stories) {
      const id = run.expected.groups[0].callIds[0];
      const full = await group(id);
      // What the app asks for a large group's first page, and the lean whole.
      for (const query of ['?limit=500&fields=lean', '?fields=lean']) {
        const lean = (await s.get<ApiLeanGroup>(`/api/v1/groups/${encodeURIComponent(id)}${query}`)).body;
        expect(lean.messages).toHaveLength(full.messages.length);
        expect(lean.media).toEqual(full.media);
        lean.messages.forEach((m, i) => {
          expect(Object.keys(m)).toEqual(Object.keys(leanMessageSchema.properties));
          const f = full.messages[i];
          expect([m.id, m.kind, m.text, m.level, m.latencyMs, m.stats]).toEqual([f.id, f.kind, f.text, f.level, f.latencyMs, f.stats]);
        });
      }
    }
    // The story's items are all there to be drawn: every kind, a level, a latency, report figures.
    const lean = (await s.get<ApiLeanGroup>(`/api/v1/groups/${encodeURIComponent(stories[0].run.expected.groups[0].callIds[0])}?fields=lean`)).body;
    expect(new Set(lean.messages.map((m) => m.kind))).toEqual(new Set(['sip', 'log', 'rest', 'transport', 'rtcp']));
    expect(lean.messages.find((m) => m.kind === 'log')).toMatchObject({ level: 'info', text: 'new call from alice to bob over TLS\n' });
    expect(lean.messages.find((m) => m.kind === 'rest' && m.latencyMs !== null)).toMatchObject({ text: 'HTTP/1.1 200 OK', latencyMs: 0.04 });
    expect(lean.messages.filter((m) => m.kind === 'rtcp' && m.stats !== null)).toHaveLength(24);
  });

  it('refuses a limit that is not a positive integer', async () => {
    const id = laid[0].run.expected.groups[0].callIds[0];
    for (const bad of ['0', '-1', '2.5', 'ten']) {
      const res = await s.get(`/api/v1/groups/${encodeURIComponent(id)}?limit=${bad}`, true);
      expect([res.status, res.body.error]).toEqual([400, 'bad-request']);
    }
  });

  it('answers 404 for an unknown id, with or without a limit', async () => {
    for (const q of ['', '?limit=10']) expect((await s.get(`/api/v1/groups/nope${q}`, true)).status).toBe(404);
  });
});
