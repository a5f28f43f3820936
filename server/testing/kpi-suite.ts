/**
 * The KPIs of the search rows, which every store folds at insert (store/summary.ts): run by
 * describeStoreSuite against each store. The group view's first leg is the reference.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import type { CallQuery, MessageInput, Store } from '../store/types.ts';
import { loadGroupView } from '../api/group-view.ts';
import { makeMessage, type StoreHarness } from './store-suite.ts';

const T0 = 1_700_000_000_000_000; // µs
const ms = (n: number): number => T0 + n * 1000;

/** Message of call `callId` at T0 + `atMs`; a response when `status` is given (B → A). */
function msg(callId: string, atMs: number, o: Partial<MessageInput> = {}): MessageInput {
  const response = o.status !== undefined && o.status !== null;
  return makeMessage({ callId, ts: ms(atMs), raw: `${callId} ${atMs}`, viaBranch: `z9hG4bK-${callId}-1`,
    ...(response ? { method: null, srcIp: '10.0.0.2', dstIp: '10.0.0.1', toTag: 'tt' } : {}), ...o });
}

/**
 * answered   INVITE 0 · 100 10 · 180 400 | INVITE again 900 (a retransmission, in a later batch) ·
 *            200 3400 · ACK 3410 | BYE 63400 · 200 63420          PDD 400, setup 3400, duration 60000
 * busy       INVITE 0 · 486 700                                    PDD 700
 * ringing    INVITE 0 · 180 2000                                   PDD 2000; failed (no-final-response): Timer B ran out long ago
 * now        INVITE a moment ago                                   in progress (Timer B has not run out)
 * options    OPTIONS 0 · 200 5                                     no disposition
 * b2b        leg b2b-a INVITE 0 · 200 300 | leg b2b-b (0x0011 = b2b-a) INVITE 50 · 503 90
 *            the first leg's KPIs, the second leg's problem
 */
async function storeCalls(store: Store): Promise<void> {
  const bye = { method: 'BYE', cseqNum: 2, cseqMethod: 'BYE', toTag: 'tt', viaBranch: 'z9hG4bK-answered-2' };
  await store.insert([msg('answered', 0), msg('answered', 10, { status: 100, toTag: null }), msg('answered', 400, { status: 180 })]);
  await store.insert([msg('answered', 900), msg('answered', 3400, { status: 200 }),
    msg('answered', 3410, { method: 'ACK', cseqMethod: 'ACK', toTag: 'tt', viaBranch: 'z9hG4bK-answered-a' })]);
  await store.insert([msg('answered', 63_400, bye), msg('answered', 63_420, { ...bye, method: null, status: 200 })]);
  await store.insert([msg('busy', 1, { fromUser: 'carol' }), msg('busy', 701, { status: 486 })]);
  await store.insert([msg('ringing', 2), msg('ringing', 2002, { status: 180 })]);
  await store.insert([msg('now', 0, { ts: Date.now() * 1000 - 1_000_000 })]);
  await store.insert([msg('options', 3, { method: 'OPTIONS', cseqMethod: 'OPTIONS' }),
    msg('options', 8, { status: 200, cseqMethod: 'OPTIONS' })]);
  const link = { target: 'b2b-a', rule: 'hep-correlation-id' as const, header: '0x0011', value: 'b2b-a' };
  await store.insert([msg('b2b-a', 4), msg('b2b-b', 54, { hepCorrelationId: 'b2b-a', links: [link] }),
    msg('b2b-b', 94, { status: 503, hepCorrelationId: 'b2b-a', links: [link] }), msg('b2b-a', 304, { status: 200 })]);
}

export function describeKpiSearchSuite(name: string, h: StoreHarness): void {
  describe(`${name} search KPIs`, () => {
    let store: Store;
    beforeEach(async () => { store = await h.open(); await storeCalls(store); });
    afterEach(async () => { await h.destroy(store); });

    const search = async (q: Omit<CallQuery, 'limit'> = {}) => (await store.searchGroups({ limit: 50, ...q })).items;
    const ids = async (q: Omit<CallQuery, 'limit'>) => (await search(q)).map((g) => g.groupId);

    it('gives each group its first leg\'s disposition, PDD, setup, duration and final status, and every leg\'s problems', async () => {
      const byId = new Map((await search()).map((g) => [g.groupId, g]));
      const kpi = (id: string) => {
        const g = byId.get(id)!;
        return [g.disposition, g.pddMs, g.setupMs, g.durationMs, g.finalStatus, g.problems];
      };
      expect(kpi('answered')).toEqual(['answered', 400, 3400, 60_000, 200, ['retransmissions']]);
      expect(kpi('busy')).toEqual(['busy', 700, null, null, 486, []]);
      expect(kpi('ringing')).toEqual(['failed', 2000, null, null, null, ['no-final-response']]);
      expect(kpi('now')).toEqual(['in-progress', null, null, null, null, []]);
      expect(kpi('options')).toEqual([null, null, null, null, null, []]);
      expect(kpi('b2b-a')).toEqual(['answered', 300, 300, null, 200, ['server-error-5xx']]);
    });

    it('says what the group view says of the first leg', async () => {
      for (const g of await search()) {
        const view = await loadGroupView(store, { aliases: {}, dedupWindowMicros: 500_000 }, g.groupId);
        const k = view!.legs[0].kpi;
        expect([g.pddMs, g.setupMs, g.durationMs, g.finalStatus]).toEqual([k.pddMs, k.setupMs, k.durationMs, k.finalStatus]);
        if (g.disposition !== null) expect(g.disposition).toBe(k.disposition);
        const legCodes = new Set(view!.legs.flatMap((l) => l.kpi.problems.map((p) => p.code)));
        expect(new Set(g.problems)).toEqual(legCodes);
      }
    });

    it('filters by disposition, any of several problems, minimum PDD and duration bounds', async () => {
      expect(await ids({ disposition: 'busy' })).toEqual(['busy']);
      expect(await ids({ disposition: 'answered' })).toEqual(['b2b-a', 'answered']);
      expect(await ids({ disposition: 'in-progress' })).toEqual(['now']);
      expect(await ids({ disposition: 'failed' })).toEqual(['ringing']);
      expect(await ids({ problems: ['no-final-response'] })).toEqual(['ringing']);
      expect(await ids({ problems: ['no-final-response', 'server-error-5xx'] })).toEqual(['b2b-a', 'ringing']);
      expect(await ids({ problems: ['server-error-5xx'] })).toEqual(['b2b-a']);
      expect(await ids({ problems: ['retransmissions', 'server-error-5xx'] })).toEqual(['b2b-a', 'answered']);
      expect(await ids({ problems: ['missing-ack'] })).toEqual([]);
      expect(await ids({ minPddMs: 700 })).toEqual(['ringing', 'busy']);
      expect(await ids({ minPddMs: 0 })).toEqual(['b2b-a', 'ringing', 'busy', 'answered']);
      expect(await ids({ minDurationMs: 60_000 })).toEqual(['answered']);
      expect(await ids({ maxDurationMs: 59_999 })).toEqual([]);
      expect(await ids({ minDurationMs: 1, maxDurationMs: 60_000 })).toEqual(['answered']);
      expect(await ids({ disposition: 'answered', problems: ['retransmissions'], minPddMs: 100, user: 'alice' })).toEqual(['answered']);
      expect(await ids({ disposition: 'busy', user: 'carol', from: ms(0), to: ms(10) })).toEqual(['busy']);
    });

    it('pages a filtered search with the cursor', async () => {
      const first = await store.searchGroups({ limit: 1, minPddMs: 0 });
      const second = await store.searchGroups({ limit: 10, minPddMs: 0, cursor: first.next! });
      expect([...first.items, ...second.items].map((g) => g.groupId)).toEqual(['b2b-a', 'ringing', 'busy', 'answered']);
    });
  });
}
