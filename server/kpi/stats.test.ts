import { describe, it, expect } from 'vitest';
import { BUCKET_SIZES, MAX_BUCKETS, bucketMicros, callStats, isNetworkFailure, quantile, type StatsCell, type StatsRows } from './stats.ts';

const MIN = 60_000_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = 1_700_000_000_000_000 - (1_700_000_000_000_000 % DAY); // a UTC midnight, µs

function cell(o: Partial<StatsCell>): StatsCell {
  return { bucket: T0, disposition: 'answered', finalStatus: 200, calls: 1, durationSumMs: 0, durations: 0, ...o };
}

function rows(cells: StatsCell[], o: Partial<StatsRows> = {}): StatsRows {
  return { from: T0, to: T0 + HOUR - 1, bucketMicros: MIN, cells, pdd: [], peers: [], ...o };
}

describe('bucketMicros', () => {
  it('gives a minute a bucket for up to MAX_BUCKETS minutes, then the next round size', () => {
    expect(bucketMicros(T0, T0 + 15 * MIN)).toBe(MIN);
    expect(bucketMicros(T0, T0 + (MAX_BUCKETS - 1) * MIN)).toBe(MIN);
    expect(bucketMicros(T0, T0 + MAX_BUCKETS * MIN)).toBe(2 * MIN);
    expect(bucketMicros(T0, T0 + DAY)).toBe(5 * MIN);
    expect(bucketMicros(T0, T0 + 7 * DAY)).toBe(30 * MIN);
    expect(bucketMicros(T0, T0 + 30 * DAY)).toBe(180 * MIN); // 2 h would make 361
  });

  it('keeps every range within MAX_BUCKETS buckets, whole days past the largest size', () => {
    for (const span of [0, 1, MIN, 59 * MIN + 1, 6 * HOUR, 6 * HOUR + 1, 90 * DAY, 365 * DAY, 10 * 365 * DAY]) {
      for (const offset of [0, 1, 7 * MIN + 3]) {
        const from = T0 + offset;
        const b = bucketMicros(from, from + span);
        expect(BUCKET_SIZES.includes(b) || b % DAY === 0).toBe(true);
        expect(Math.floor((from + span) / b) - Math.floor(from / b) + 1).toBeLessThanOrEqual(MAX_BUCKETS);
      }
    }
    expect(bucketMicros(T0, T0 + 365 * DAY)).toBe(2 * DAY);
  });
});

describe('quantile', () => {
  it('reads the nearest rank from counts by value, as percentile_disc does', () => {
    const counts = [{ value: 100, calls: 1 }, { value: 200, calls: 2 }, { value: 5000, calls: 1 }];
    // Sorted: 100, 200, 200, 5000
    expect(quantile(counts, 0.5)).toBe(200);
    expect(quantile(counts, 0.25)).toBe(100);
    expect(quantile(counts, 0.95)).toBe(5000);
    expect(quantile(counts, 0)).toBe(100);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe('isNetworkFailure', () => {
  it('counts 5xx and rejections other than the user\'s own as network failures', () => {
    expect(isNetworkFailure('failed', 503)).toBe(true);
    expect(isNetworkFailure('rejected', 404)).toBe(true);
    expect(isNetworkFailure('rejected', 302)).toBe(true);
    expect(isNetworkFailure('rejected', 603)).toBe(false);
    expect(isNetworkFailure('rejected', 607)).toBe(false);
    for (const d of ['answered', 'busy', 'no-answer', 'cancelled', 'in-progress'] as const) expect(isNetworkFailure(d, null)).toBe(false);
  });
});

describe('callStats', () => {
  /*
   * bucket 0:  answered ×6 (durations 60 s ×5, one not hung up), busy 486 ×1, in progress ×1
   * bucket 2:  failed 503 ×1, rejected 404 ×1, rejected 603 ×1, no-answer 480 ×1, cancelled 487 ×1
   *            attempts 12, answered 6, network failures 2 (503, 404)
   */
  const sample = rows([
    cell({ calls: 6, durationSumMs: 300_000, durations: 5 }),
    cell({ disposition: 'busy', finalStatus: 486 }),
    cell({ disposition: 'in-progress', finalStatus: null }),
    cell({ bucket: T0 + 2 * MIN, disposition: 'failed', finalStatus: 503 }),
    cell({ bucket: T0 + 2 * MIN, disposition: 'rejected', finalStatus: 404 }),
    cell({ bucket: T0 + 2 * MIN, disposition: 'rejected', finalStatus: 603 }),
    cell({ bucket: T0 + 2 * MIN, disposition: 'no-answer', finalStatus: 480 }),
    cell({ bucket: T0 + 2 * MIN, disposition: 'cancelled', finalStatus: 487 }),
  ], { from: T0, to: T0 + 3 * MIN - 1, pdd: [{ pddMs: 100, calls: 10 }, { pddMs: 4000, calls: 2 }], peers: [{ ip: '10.0.0.9', calls: 2 }] });

  it('reads ASR as answered over calls with a final answer, and NER as those not failed for a network reason', () => {
    const s = callStats(sample, () => null);
    expect([s.calls, s.attempts, s.answered, s.inProgress]).toEqual([13, 12, 6, 1]);
    expect(s.asr).toBe(6 / 12);
    expect(s.ner).toBe(10 / 12);
  });

  it('reads ACD over the answered calls that ended, and PDD percentiles from the distribution', () => {
    const s = callStats(sample, () => null);
    expect(s.acdMs).toBe(60_000);
    expect([s.pddP50Ms, s.pddP95Ms]).toEqual([100, 4000]);
  });

  it('breaks calls down by disposition, final status class and code, and lists the failure codes and peers', () => {
    const s = callStats(sample, (ip) => (ip === '10.0.0.9' ? 'Carrier' : null));
    expect(s.dispositions).toEqual([
      { disposition: 'answered', calls: 6 }, { disposition: 'busy', calls: 1 }, { disposition: 'no-answer', calls: 1 },
      { disposition: 'cancelled', calls: 1 }, { disposition: 'rejected', calls: 2 }, { disposition: 'failed', calls: 1 },
      { disposition: 'in-progress', calls: 1 }]);
    expect(s.statusClasses).toEqual([{ statusClass: '2xx', calls: 6 }, { statusClass: '4xx', calls: 4 },
      { statusClass: '5xx', calls: 1 }, { statusClass: '6xx', calls: 1 }]);
    expect(s.statuses.map((x) => x.status)).toEqual([200, 404, 480, 486, 487, 503, 603]);
    expect(s.failureCodes).toEqual([{ status: 404, calls: 1 }, { status: 503, calls: 1 }]);
    expect(s.failingPeers).toEqual([{ ip: '10.0.0.9', alias: 'Carrier', calls: 2 }]);
  });

  it('gives every bucket of the range, empty ones as zero', () => {
    expect(callStats(sample, () => null).series).toEqual([
      { start: T0, calls: 8, answered: 6 }, { start: T0 + MIN, calls: 0, answered: 0 }, { start: T0 + 2 * MIN, calls: 5, answered: 0 }]);
  });

  it('says null, not 0 %, when there is nothing to divide', () => {
    const s = callStats(rows([cell({ disposition: 'in-progress', finalStatus: null })]), () => null);
    expect([s.asr, s.ner, s.acdMs, s.pddP50Ms]).toEqual([null, null, null, null]);
    expect(callStats(rows([], { from: null, to: null }), () => null).series).toEqual([]);
  });
});
