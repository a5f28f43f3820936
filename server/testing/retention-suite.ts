/**
 * Retention by kind, the same for every store: sqlite-purge.test.ts and homer/purge.test.ts run
 * this suite on a real SQLite file and a real PostgreSQL database.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import type { MessageInput, Store } from '../store/types.ts';
import { makeCall, makeMessage, type StoreHarness } from './store-suite.ts';

const DAY = 86_400_000_000; // µs
const HOUR = 3_600_000_000;
/** "Now" of the sweep: 2023-12-24, well after everything below. */
const NOW = 1_700_000_000_000_000 + 40 * DAY;
/** Calls kept 30 days, other traffic 2. */
const CUT = { calls: NOW - 30 * DAY, other: NOW - 2 * DAY };

/** A non-call request and its 200 (REGISTER, OPTIONS), under one Call-ID. */
function makeOther(callId: string, method: string, t: number, cseqNum = 1): MessageInput[] {
  const o = { callId, cseqNum, cseqMethod: method, toUser: 'alice', ruriUser: null, raw: `${callId} ${method} ${t}` };
  return [
    makeMessage({ ...o, ts: t, method }),
    makeMessage({ ...o, ts: t + 2_000, method: null, status: 200, reason: 'OK', srcIp: '10.0.0.2', dstIp: '10.0.0.1' }),
  ];
}

export function describeRetentionSuite(name: string, h: StoreHarness): void {
  describe(`${name} retention by kind`, () => {
    let store: Store;
    beforeEach(async () => { store = await h.open(); });
    afterEach(async () => { await h.destroy(store); });

    /*
     *   NOW-31d      NOW-30d (calls cut)       NOW-10d      NOW-5d  NOW-3d  NOW-2d (other cut)  NOW-1d  NOW-1h
     *   old-call ✗   straddle: INVITE ──────── BYE ✓        opt ✗   reg ✗                       reg ✓
     *                                          kept-call ✓ (+ in-dialog OPTIONS)
     *                                                       reg-long: REGISTER ✗ ... refresh ✓ ─────────────── ✓
     */
    it('deletes calls after the calls\' retention and other traffic after its own, message by message for a long-lived registration', async () => {
      await store.insert(makeCall('old-call', NOW - 31 * DAY));
      const straddle = makeCall('straddle', NOW - 30 * DAY - HOUR);
      straddle[4].ts = NOW - 30 * DAY + HOUR; // the BYE and its 200 come after the cutoff
      straddle[5].ts = NOW - 30 * DAY + HOUR + 1_000;
      await store.insert(straddle);
      await store.insert([...makeCall('kept-call', NOW - 10 * DAY),
        ...makeOther('kept-call', 'OPTIONS', NOW - 10 * DAY + 1_000_000, 5)]); // in-dialog: Homer files it as "default"
      await store.insert(makeOther('opt-old', 'OPTIONS', NOW - 5 * DAY));
      await store.insert(makeOther('reg-old', 'REGISTER', NOW - 3 * DAY));
      await store.insert(makeOther('reg-new', 'REGISTER', NOW - DAY));
      await store.insert([...makeOther('reg-long', 'REGISTER', NOW - 5 * DAY), ...makeOther('reg-long', 'REGISTER', NOW - HOUR, 2)]);

      expect(await store.purge(CUT)).toBe(6 + 2 + 2 + 2);

      for (const gone of ['old-call', 'opt-old', 'reg-old']) expect(await store.getGroup(gone)).toBeNull();
      expect((await store.getGroup('straddle'))?.messages.map((m) => m.ts)).toEqual(straddle.map((m) => m.ts));
      expect((await store.getGroup('kept-call'))?.messages).toHaveLength(8);
      expect((await store.getGroup('reg-new'))?.messages).toHaveLength(2);
      expect((await store.getGroup('reg-long'))?.messages.map((m) => m.ts)).toEqual([NOW - HOUR, NOW - HOUR + 2_000]);
      expect((await store.counts()).messages).toBe(6 + 8 + 2 + 2);
      expect(await store.purge(CUT)).toBe(0);
    });

    /*
     *   leg-a  INVITE … BYE                 (ended 2 h before the calls' cutoff)
     *                       ┊ cutoff
     *   leg-b                ┊  INVITE … BYE (same HEP correlation id: one group)
     */
    it('never cuts a call group that is still within retention, even legs that ended before the cutoff', async () => {
      const link = { target: 'scenario-1', rule: 'hep-correlation-id' as const, header: '0x0011', value: 'scenario-1' };
      const a = makeCall('leg-a', CUT.calls - 2 * HOUR, { hepCorrelationId: 'scenario-1', links: [link] });
      const b = makeCall('leg-b', CUT.calls + HOUR, { hepCorrelationId: 'scenario-1', links: [link] });
      await store.insert(a);
      await store.insert(b);
      expect(await store.purge(CUT)).toBe(0);
      const g = await store.getGroup('leg-a');
      expect(g?.callIds.sort()).toEqual(['leg-a', 'leg-b']);
      expect(g?.messages).toHaveLength(12);
      // A day later the whole group is past the cutoff: it goes at once.
      expect(await store.purge({ calls: CUT.calls + DAY, other: CUT.other + DAY })).toBe(12);
      expect(await store.getGroup('leg-b')).toBeNull();
      expect(await store.counts()).toEqual({ messages: 0, calls: 0, groups: 0 });
    });

    it('keeps a kind for ever when its cutoff is 0', async () => {
      await store.insert(makeCall('c', NOW - 300 * DAY));
      await store.insert(makeOther('r', 'REGISTER', NOW - 300 * DAY));
      expect(await store.purge({ calls: 0, other: CUT.other })).toBe(2);
      expect((await store.getGroup('c'))?.messages).toHaveLength(6);
      expect(await store.purge({ calls: CUT.calls, other: 0 })).toBe(6);
      expect(await store.counts()).toEqual({ messages: 0, calls: 0, groups: 0 });
    });
  });
}
