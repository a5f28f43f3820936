/**
 * Every scenario of the library, sent as HEP over TCP to a real server on a real store, named
 * by the search list (GET /api/v1/calls) and by the group view (GET /api/v1/groups/{id}, whole
 * and as a first page of one message) as the table below says: the two paths never disagree.
 * Run against each store (api/scenario-kind.test.ts, store/postgres.scenario-kind.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../config.ts';
import type { ApiCallPage, ApiGroup } from '../api/types.ts';
import type { ScenarioKind } from '../correlate/scenario-kind.ts';
import { layoutScenarios, SCENARIOS, scenarioInferredBoxes, scenarioRules } from '../scenarios/index.ts';
import { feedScenarios, startTestServer, type TestServer } from './harness.ts';

/**
 * The kind of each group of each scenario, in the order of its expected groups. Written by hand
 * from what each scenario is, not from what scenarioKind answers.
 */
export const EXPECTED_KINDS: Readonly<Record<string, readonly ScenarioKind[]>> = {
  'basic-call': ['basic'],
  'rejected-486': ['basic'],
  'cancelled-487': ['basic'],
  'hold-resume': ['basic'],
  'attended-transfer-opensips': ['attended-transfer'],
  'attended-transfer-kamailio': ['attended-transfer'],
  'blind-transfer': ['blind-transfer'],
  'call-pickup': ['pickup'],
  'park-retrieve': ['park'],
  'queue': ['queue'],
  'b2b': ['b2b'],
  'b2b-suffix': ['b2b'],
  // The looping media server is a B2BUA: no transfer, forward or queue user.
  'media-server-loop': ['b2b'],
  'chain-partial': ['basic'],
  'chain-full': ['basic'],
  'forward-history-info': ['forward'],
  'forward-diversion': ['forward'],
  'redirect': ['forward'],
  // Same numbers a minute apart: two unrelated calls.
  'forward-unrelated': ['basic', 'basic'],
  'session-id': ['b2b'],
  'session-id-nil': ['basic', 'basic'],
  'icid': ['b2b'],
  'user-rule-header': ['b2b'],
  'user-rule-callid': ['b2b'],
  'user-rule-nomatch': ['basic', 'basic'],
  'xcid-chain': ['b2b'],
  // Tied by an inferred link only, still the legs of one B2BUA call.
  'inferred-sbc': ['b2b'],
  // The call the SBC rejected stands alone; the retry a minute later is its own B2BUA call.
  'inferred-unrelated': ['basic', 'b2b'],
  'hostile': ['basic'],
  // One call each, whatever went wrong in it (scenarios/problems.ts).
  'missing-ack': ['basic'],
  'no-final-response': ['basic'],
  'timeout-408': ['basic'],
  'server-error-503': ['basic'],
  'decline-603': ['basic'],
  'sdp-rejected-488': ['basic'],
  'glare-491': ['basic'],
  'bye-481': ['basic'],
  'long-gap': ['basic'],
  'nat-mismatch': ['basic'],
  'long-call': ['basic'],
  'large-20k': ['basic'],
};

const BASE = Date.UTC(2025, 2, 14, 9, 30, 0) * 1000; // µs
/** The whole library is ~22,000 messages (large-20k among them): PostgreSQL on a busy machine needs more than harness.ts's 10 s. */
const STORE_WAIT_MS = 100_000;

export function describeScenarioKinds(name: string, config: () => Promise<Partial<Config>> | Partial<Config>): void {
  describe(`scenario kinds on ${name}`, () => {
    let s: TestServer;
    const laid = layoutScenarios(SCENARIOS, BASE);

    beforeAll(async () => {
      s = await startTestServer({ correlationRules: scenarioRules(SCENARIOS), inferredBoxes: scenarioInferredBoxes(SCENARIOS), ...await config() });
      await feedScenarios(s, laid, STORE_WAIT_MS);
    }, STORE_WAIT_MS + 20_000);
    afterAll(async () => {
      await s?.stop();
    });

    it('has an expected kind for every scenario of the library', () => {
      const missing = SCENARIOS.map((x) => x.name).filter((n) => !(n in EXPECTED_KINDS));
      expect(missing, `scenarios without an expected kind in testing/scenario-kind-suite.ts: ${missing.join(', ')}`).toEqual([]);
    });

    it.each(laid.map((l) => [l.scenario.name, l] as const))('names %s as the table says, in the search list and the group view', async (scenario, { run }) => {
      const want = EXPECTED_KINDS[scenario];
      expect(want, `no expected kind for scenario ${scenario}`).toBeDefined();
      expect(want.length, 'one kind per expected group').toBe(run.expected.groups.length);
      const got: ScenarioKind[][] = [];
      for (const g of run.expected.groups) {
        const first = encodeURIComponent(g.callIds[0]);
        const page = (await s.get<ApiCallPage>(`/api/v1/calls?callId=${first}`)).body;
        expect(page.items.map((i) => [...i.callIds].sort()), 'the search finds the group').toEqual([[...g.callIds].sort()]);
        const whole = (await s.get<ApiGroup>(`/api/v1/groups/${first}`)).body;
        // A first page holds the first leg only: the kind is still the whole group's.
        const start = (await s.get<ApiGroup>(`/api/v1/groups/${first}?limit=1&fields=lean`)).body;
        got.push([page.items[0].scenario, whole.scenario, start.scenario]);
      }
      expect(got).toEqual(want.map((k) => [k, k, k]));
    });

    it('finds the groups of each kind with scenario=, in the search\'s order, page by page', async () => {
      const all = async (query: string) => {
        const out: ApiCallPage['items'] = [];
        let next: string | null = null;
        do {
          const page: ApiCallPage = (await s.get<ApiCallPage>(`/api/v1/calls?${query}${next ? `&cursor=${encodeURIComponent(next)}` : ''}`)).body;
          out.push(...page.items);
          next = page.next;
        } while (next);
        return out;
      };
      const everything = await all('limit=1000');
      for (const kind of new Set(Object.values(EXPECTED_KINDS).flat())) {
        const want = everything.filter((i) => i.scenario === kind).map((i) => i.groupId);
        expect(want.length, kind).toBeGreaterThan(0);
        expect((await all(`scenario=${kind}&limit=2`)).map((i) => i.groupId), kind).toEqual(want);
      }
    });
  });
}
