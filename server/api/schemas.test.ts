/**
 * The response schemas are the API's written contract: every answer the server gives for real
 * traffic must match them exactly (no field missing, none extra).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Ajv from 'ajv';
import { findScenario, layoutScenarios } from '../scenarios/index.ts';
import { feedScenarios, startTestServer, type TestServer } from '../testing/harness.ts';
import { callPageSchema, configSchema, groupSchema, messageDetailSchema } from './schemas.ts';

const ajv = new Ajv({ allErrors: true });
const check = (schema: object, data: unknown) => {
  const validate = ajv.compile(schema);
  expect(validate(data) ? [] : validate.errors).toEqual([]);
};

describe('API responses match their schemas', () => {
  let s: TestServer;
  const names = ['attended-transfer-opensips', 'chain-full', 'hostile'];
  const laid = layoutScenarios(names.map((n) => findScenario(n)!), 1_760_000_000_000_000);
  beforeAll(async () => {
    s = await startTestServer();
    await feedScenarios(s, laid);
  });
  afterAll(async () => { await s.stop(); });

  it('GET /api/v1/calls', async () => {
    const page = (await s.get('/api/v1/calls?limit=10')).body;
    expect(page.items).toHaveLength(3);
    check(callPageSchema, page);
  });

  it('GET /api/v1/groups/:id and /api/v1/messages/:id for every message of each scenario', async () => {
    for (const { run } of laid) {
      const g = (await s.get(`/api/v1/groups/${encodeURIComponent(run.expected.groups[0].callIds[0])}`)).body;
      check(groupSchema, g);
      for (const m of g.messages.slice(0, 12)) check(messageDetailSchema, (await s.get(`/api/v1/messages/${m.id}`)).body);
    }
  });

  // The group route writes its answer with JSON.stringify, not the schema: this is what holds it to the schema.
  it('GET /api/v1/groups/:id?limit=N, a group cut short', async () => {
    const id = laid[1].run.expected.groups[0].callIds[0];
    const g = (await s.get(`/api/v1/groups/${encodeURIComponent(id)}?limit=3`)).body;
    expect(g.complete).toBe(false);
    check(groupSchema, g);
  });

  it('GET /api/v1/config', async () => {
    check(configSchema, (await s.get('/api/v1/config')).body);
  });
});
