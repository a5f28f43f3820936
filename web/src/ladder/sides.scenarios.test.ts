/**
 * sides.ts against the scenario library's hand-written expectations: each scenario is sent as
 * real HEP over TCP to a real hepflow server on 127.0.0.1, its group is read back from the API,
 * and the default-pivot sides computed here must equal `expected.sides`, message for message.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiGroup } from '../../../server/api/types.ts';
import { SCENARIOS, scenarioInferredBoxes, scenarioPackets, scenarioRules } from '../../../server/scenarios/index.ts';
import { startTestServer, type TestServer, waitFor } from '../../../server/testing/harness.ts';
import { toFlowModel } from '../model/normalize.ts';
import { computeSides, defaultPivot } from './sides.ts';

/** Scenarios this big are performance material (bench/ui), not side logic. */
const MAX_MESSAGES = 2000;
const BASE = Date.UTC(2025, 2, 14, 9, 30, 0) * 1000;

let server: TestServer;

function sendTcp(port: number, packets: Buffer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port }, () => {
      for (const p of packets) sock.write(p);
      sock.end();
    });
    sock.on('close', () => resolve());
    sock.on('error', reject);
  });
}

beforeAll(async () => {
  server = await startTestServer({ correlationRules: scenarioRules(SCENARIOS), inferredBoxes: scenarioInferredBoxes(SCENARIOS) });
});
afterAll(async () => {
  await server?.stop();
});

// Sides are drawn per group: scenarios that must stay apart (negative cases) have no one ladder.
const small = SCENARIOS.filter((s) => {
  const { expected } = s.build(BASE);
  return expected.messageCount <= MAX_MESSAGES && expected.groups.length === 1;
});

describe('computeSides on the scenario library', () => {
  small.forEach((scenario, i) => {
    it(`matches the expected sides of ${scenario.name} at the default pivot`, async () => {
      // Scenarios reuse users; a day apart keeps the server from linking two of them.
      const base = BASE + i * 86_400_000_000;
      const run = scenario.build(base);
      await sendTcp(server.hepTcp!.port, scenarioPackets(scenario, base));
      const groupId = run.expected.groups[0].callIds[0];
      const group = await waitFor(async () => {
        const res = await server.get<ApiGroup>(`/api/v1/groups/${encodeURIComponent(groupId)}`, true);
        return res.status === 200 && res.body.messages.length >= run.expected.messageCount ? res.body : undefined;
      }, `group ${groupId}`);
      const model = toFlowModel(group);
      const pivot = defaultPivot(model.messages);
      const sides = computeSides(model.messages, pivot);
      expect(sides).toEqual(run.expected.sides);
    });
  });
});
