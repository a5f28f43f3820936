/**
 * GET /api/v1/stats's aggregates (kpi/stats.ts), which each store computes in its database: run
 * against a real SQLite file (store/sqlite-stats.test.ts) and a real PostgreSQL database
 * (store/homer/stats.test.ts). Calls of the scenario library go through the real ingest path;
 * the search rows of the same calls are the reference for the per-call figures.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Store } from '../store/types.ts';
import { defaults } from '../config.ts';
import { Ingest } from '../collector/ingest.ts';
import { Metrics } from '../collector/metrics.ts';
import { encodeHep3 } from '../hep/encode.ts';
import type { HepEncodeInput } from '../hep/types.ts';
import { findScenario } from '../scenarios/index.ts';
import { opensipsTracer, ScenarioBuilder, type Node } from '../scenarios/builder.ts';
import { Dialog } from '../scenarios/dialog.ts';
import { AGENT, node, office } from '../scenarios/nodes.ts';
import { callStats, quantile, type CallStats, type StatsQuery } from '../kpi/stats.ts';
import type { StoreHarness } from './store-suite.ts';

const MIN = 60_000_000;
/** A whole hour, µs (2023-11-14 22:00 UTC): the calls lie in its minutes. */
const T0 = 1_699_999_200_000_000;
/** The far end of the network failures below: a carrier, as the scenario library's cast has them. */
const CARRIER: Node = node('Carrier', '198.51.100.7', AGENT.carrier);

/** Alice → Main proxy → `far`, ringing, then a final `status` from `far` (hop-by-hop ACKs). */
function rejected(base: number, status: number, reason: string, far: Node): HepEncodeInput[] {
  const { alice, proxy } = office();
  // The builder's ids are seeded by its capture id: one per call, so that each has its own Call-ID.
  const b = new ScenarioBuilder(base, status, [opensipsTracer(proxy, 1)]);
  const d = new Dialog(b, { callId: b.callId(alice), path: [alice, proxy, far], sides: ['caller', 'callee'], from: { user: 'alice' }, to: { user: 'bob' } });
  const inv = d.invite({ sdp: 'sendrecv' });
  b.wait(60);
  d.respond(inv, 180, 'Ringing');
  b.wait(2_000);
  d.respond(inv, status, reason);
  return b.sortedPackets();
}

/**
 * One call every 2 minutes from T0 + 1 min:
 *   answered ×2 (basic-call, hold-resume), busy 486 (rejected-486), cancelled 487 (cancelled-487), all to Bob;
 *   failed 503 and rejected 404 by the carrier (network failures); rejected 603 by Bob (his own choice).
 */
const CALLS: ((base: number) => HepEncodeInput[])[] = [
  (t) => findScenario('basic-call')!.build(t).packets,
  (t) => findScenario('rejected-486')!.build(t).packets,
  (t) => rejected(t, 503, 'Service Unavailable', CARRIER),
  (t) => findScenario('hold-resume')!.build(t).packets,
  (t) => findScenario('cancelled-487')!.build(t).packets,
  (t) => rejected(t, 404, 'Not Found', CARRIER),
  (t) => rejected(t, 603, 'Decline', office().bob),
];
const startOf = (i: number) => T0 + MIN + i * 2 * MIN;

async function storeCalls(store: Store): Promise<void> {
  const ingest = new Ingest({ store, config: { ...defaults, batchDelayMs: 5 }, metrics: new Metrics() });
  for (const [i, build] of CALLS.entries()) {
    for (const p of build(startOf(i))) ingest.hep(encodeHep3(p), { transport: 'udp', peer: '127.0.0.1:9999', receivedAt: 0 });
  }
  await ingest.close();
}

export function describeStatsSuite(name: string, h: StoreHarness): void {
  describe(`${name} call statistics`, () => {
    let store: Store;
    beforeAll(async () => { store = await h.open(); await storeCalls(store); });
    afterAll(async () => { await h.destroy(store); });

    const stats = async (q: StatsQuery): Promise<CallStats> => callStats(await store.callStats(q), () => null);
    const hour = { from: T0, to: T0 + 60 * MIN - 1 };

    it('counts the calls started in the range by disposition, and reads ASR and NER from them', async () => {
      const s = await stats(hour);
      expect([s.calls, s.attempts, s.answered, s.inProgress]).toEqual([7, 7, 2, 0]);
      expect(Object.fromEntries(s.dispositions.map((d) => [d.disposition, d.calls]))).toEqual({
        answered: 2, busy: 1, 'no-answer': 0, cancelled: 1, rejected: 2, failed: 1, 'in-progress': 0 });
      expect(s.asr).toBeCloseTo(2 / 7, 10);
      // Not failed for a network reason: 2 answered, busy, cancelled, declined (603).
      expect(s.ner).toBeCloseTo(5 / 7, 10);
    });

    it('breaks the final statuses down by class and code, and names the failure codes and the far end that sent them', async () => {
      const s = await stats(hour);
      expect(s.statuses).toEqual([{ status: 200, calls: 2 }, { status: 404, calls: 1 }, { status: 486, calls: 1 },
        { status: 487, calls: 1 }, { status: 503, calls: 1 }, { status: 603, calls: 1 }]);
      expect(s.statusClasses).toEqual([{ statusClass: '2xx', calls: 2 }, { statusClass: '4xx', calls: 3 },
        { statusClass: '5xx', calls: 1 }, { statusClass: '6xx', calls: 1 }]);
      expect(s.failureCodes).toEqual([{ status: 404, calls: 1 }, { status: 503, calls: 1 }]);
      // The carrier sent both rejections; the proxy only relayed them.
      expect(s.failingPeers).toEqual([{ ip: CARRIER.ip, alias: null, calls: 2 }]);
    });

    it('gives ACD and the PDD percentiles the search rows of the same calls give', async () => {
      const s = await stats(hour);
      const rows = (await store.searchGroups({ ...hour, limit: 100 })).items;
      expect(rows).toHaveLength(7);
      const answered = rows.filter((r) => r.disposition === 'answered').map((r) => r.durationMs!);
      expect(answered).toHaveLength(2);
      expect(s.acdMs).toBe(Math.round((answered[0] + answered[1]) / 2));
      expect(s.acdMs).toBeGreaterThanOrEqual(60_000); // basic-call: Alice hangs up after a minute; hold-resume lasts longer
      const pdds = rows.map((r) => r.pddMs!).sort((a, b) => a - b);
      const counts = pdds.map((v) => ({ value: v, calls: 1 }));
      expect(s.pddP50Ms).toBe(quantile(counts, 0.5));
      expect(s.pddP95Ms).toBe(quantile(counts, 0.95));
      expect(s.pddP95Ms).toBeGreaterThan(s.pddP50Ms!);
    });

    it('puts each call in the minute it started, and gives every minute of the range', async () => {
      const s = await stats(hour);
      expect(s.bucketMicros).toBe(MIN);
      expect(s.series).toHaveLength(60);
      const busy = s.series.filter((p) => p.calls > 0);
      expect(busy.map((p) => (p.start - T0) / MIN)).toEqual([1, 3, 5, 7, 9, 11, 13]);
      expect(busy.map((p) => p.answered)).toEqual([1, 0, 0, 1, 0, 0, 0]);
    });

    it('counts only the calls started within the range, and of one address when asked', async () => {
      expect((await stats({ from: startOf(3), to: hour.to })).calls).toBe(4);
      expect((await stats({ from: T0, to: startOf(3) - 1 })).calls).toBe(3);
      const carrier = await stats({ ...hour, ip: CARRIER.ip });
      expect([carrier.calls, carrier.answered, carrier.ner]).toEqual([2, 0, 0]);
      const bob = await stats({ ...hour, ip: office().bob.ip });
      expect([bob.calls, bob.answered]).toEqual([5, 2]);
      expect((await stats({ ...hour, ip: '192.0.2.99' })).calls).toBe(0);
    });

    it('spans the stored calls when no range is given', async () => {
      const s = await stats({});
      expect(s.calls).toBe(7);
      const rows = (await store.searchGroups({ limit: 100 })).items;
      expect(s.from).toBe(Math.min(...rows.map((r) => r.start)));
      expect(s.to).toBe(Math.max(...rows.map((r) => r.start)));
    });

    // Last: it stores two more calls.
    it('counts a call still unanswered 64×T1 after it began as failed, as the search list does, and a younger one as in progress', async () => {
      const later = { from: T0 + 70 * MIN, to: T0 + 80 * MIN };
      const recent = Date.now() * 1000 - 5_000_000;
      const ingest = new Ingest({ store, config: { ...defaults, batchDelayMs: 5 }, metrics: new Metrics() });
      // The scenario's Call-ID is seeded: the second copy gets one of its own (and its 0x0011 with it).
      for (const [t, suffix] of [[later.from + MIN, ''], [recent, '-now']] as const) {
        for (const p of findScenario('no-final-response')!.build(t).packets) {
          const payload = String(p.payload).replace(/^(Call-ID: *)(\S+)/im, `$1$2${suffix}`);
          const correlationId = p.correlationId ? p.correlationId + suffix : p.correlationId;
          ingest.hep(encodeHep3({ ...p, payload, correlationId }), { transport: 'udp', peer: '127.0.0.1:9999', receivedAt: 0 });
        }
      }
      await ingest.close();
      const old = await stats(later);
      expect([old.calls, old.attempts, old.inProgress, old.answered, old.ner]).toEqual([1, 1, 0, 0, 0]);
      expect((await store.searchGroups({ ...later, limit: 10 })).items.map((g) => g.disposition)).toEqual(['failed']);
      const now = await stats({ from: recent - MIN, to: recent + MIN });
      expect([now.calls, now.inProgress]).toEqual([1, 1]);
      expect((await stats({ ...later, ip: office().bob.ip })).dispositions.find((d) => d.disposition === 'failed')?.calls).toBe(1);
    });
  });
}
