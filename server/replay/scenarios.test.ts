/**
 * Every library scenario, replayed as real HEP over UDP or TCP into a running server, must come
 * back from the API grouped, with the legs, roles and link reasons its expectation gives.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { SCENARIOS, layoutScenarios, scenarioInferredBoxes, scenarioRules } from '../scenarios/index.ts';
import { encodeHep3 } from '../hep/encode.ts';
import { sendPackets } from './sender.ts';
import { startTestServer, waitFor, type TestServer } from '../testing/harness.ts';
import type { ApiGroup } from '../api/types.ts';

const laid = layoutScenarios(SCENARIOS, 1_760_000_000_000_000);

describe('scenario library over real sockets', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ maxPending: 1_000_000, correlationRules: scenarioRules(SCENARIOS), inferredBoxes: scenarioInferredBoxes(SCENARIOS) });
    let sent = 0;
    for (const [i, { run }] of laid.entries()) {
      const transport = i % 2 ? 'tcp' : 'udp';
      const port = (transport === 'tcp' ? s.hepTcp : s.hepUdp)!.port;
      // UDP has no flow control: a modest rate keeps a loaded test machine from dropping datagrams.
      await sendPackets({ transport, host: '127.0.0.1', port }, run.packets.map(encodeHep3), { rate: transport === 'udp' ? 4000 : 0 });
      // Stored before the next scenario goes out on the other transport: datagrams still queued
      // behind its frames would meet a capture clock moved 120 s on, past the 40 s window that
      // forward and redirect matches look back over (seen on a loaded machine).
      sent += run.packets.length;
      await waitFor(async () => (await s.store.counts()).messages >= sent, `${sent} messages stored`, 60_000);
    }
  }, 120_000);
  afterAll(async () => { await s.stop(); });

  for (const [i, { scenario, run }] of laid.entries()) {
    it(`${scenario.name} (${i % 2 ? 'TCP' : 'UDP'}): groups, legs, roles and link reasons as expected`, async () => {
      let messages = 0;
      let retransmissions = 0;
      for (const want of run.expected.groups) {
        const { status, body: g } = await s.get<ApiGroup>(`/api/v1/groups/${encodeURIComponent(want.callIds[0])}`, true);
        expect(status).toBe(200);
        expect([...g.callIds].sort()).toEqual([...want.callIds].sort());
        expect(g.legs.map((l) => ({ callId: l.callId, role: l.role, linkRules: [...new Set(l.links.map((k) => k.rule))].sort() })))
          .toEqual(want.legs.map((l) => ({ ...l, linkRules: [...l.linkRules].sort() })));
        for (const leg of g.legs.slice(1)) expect(leg.links.every((k) => k.text.length > 0)).toBe(true);
        messages += g.messages.length;
        retransmissions += g.messages.filter((m) => m.retransmission).length;
        if (run.expected.labels && run.expected.groups.length === 1) expect(g.messages.map((m) => m.label)).toEqual(run.expected.labels);
        // Any id of the group answers the same group.
        for (const id of [...g.callIds, ...g.correlationIds].slice(0, 4)) {
          expect((await s.get<ApiGroup>(`/api/v1/groups/${encodeURIComponent(id)}`)).body.id).toBe(g.id);
        }
      }
      expect(messages).toBe(run.expected.messageCount);
      if (run.expected.retransmissions !== undefined) expect(retransmissions).toBe(run.expected.retransmissions);
    });
  }
});
