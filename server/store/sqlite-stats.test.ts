import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect, vi, afterAll } from 'vitest';
import Database from 'better-sqlite3';
import { openSqliteStore } from './sqlite.ts';
import { sqliteStats } from './sqlite-stats.ts';
import { describeStatsSuite } from '../testing/stats-suite.ts';
import type { Store } from './types.ts';
import { statsCall, carrierOf } from '../testing/stats-calls.ts';
import { bucketMicros, isNetworkFailure, type StatsQuery, type StatsRows } from '../kpi/stats.ts';
import { timedOutBefore } from './summary.ts';

const dirs = new Map<Store, string>();
describeStatsSuite('SQLite', {
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'hepflow-stats-'));
    const store = openSqliteStore(join(dir, 'stats.db'));
    dirs.set(store, dir);
    return store;
  },
  async destroy(store) {
    await store.close();
    rmSync(dirs.get(store)!, { recursive: true, force: true });
  },
});

describe('SQLite call statistics plan', () => {
  /** The plan of every statement sqliteStats prepares for `q` on an empty file. */
  function plans(q: Parameters<typeof sqliteStats>[1]): string[] {
    const dir = mkdtempSync(join(tmpdir(), 'hepflow-stats-plan-'));
    try {
      const file = join(dir, 'plan.db');
      openSqliteStore(file).close();
      const db = new Database(file);
      // A call, so that a range without ends has its span.
      db.prepare(`INSERT INTO groups (size, start, end, disposition, final_status, pdd_ms) VALUES (1, 5, 5, 'failed', 503, 10)`).run();
      db.prepare(`INSERT INTO group_ips (group_id, ip, start, disposition, final_status, pdd_ms) VALUES (1, '10.0.0.1', 5, 'failed', 503, 10)`).run();
      const out: string[] = [];
      const prepare = db.prepare.bind(db);
      db.prepare = ((sql: string) => {
        const args = sql.split('?').slice(1).map(() => 0);
        out.push((prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('; '));
        return prepare(sql);
      }) as typeof db.prepare;
      sqliteStats(db, q);
      db.close();
      return out;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  // Ten hours: whole minutes and hours, and edges.
  const range = { from: 1, to: 36_000_000_000 };

  it('reads a range from the counts by minute and by hour, and only the calls of its edges, along the start time', () => {
    expect(plans(range).sort()).toEqual([
      'SEARCH groups USING INDEX groups_start (start>? AND start<?)',
      'SEARCH groups USING INDEX groups_start (start>? AND start<?); USE TEMP B-TREE FOR GROUP BY', // an edge's PDDs
      // Its minutes summed by bucket, and by failing peer.
      'SEARCH stats_minutes USING PRIMARY KEY (ip=? AND minute>? AND minute<?); USE TEMP B-TREE FOR GROUP BY',
      'SEARCH stats_minutes USING PRIMARY KEY (ip=? AND minute>? AND minute<?); USE TEMP B-TREE FOR GROUP BY',
      'SEARCH stats_pdd_hours USING PRIMARY KEY (ip=? AND hour>? AND hour<?); USE TEMP B-TREE FOR GROUP BY', // the hours' PDDs summed
    ]);
  });

  it('reads an address from its own counts and calls the same way, never a group by id', () => {
    expect(plans({ ...range, ip: '10.0.0.1' }).sort()).toEqual([
      'SEARCH group_ips USING INDEX group_ips_start (ip=? AND start>? AND start<?)',
      'SEARCH group_ips USING INDEX group_ips_start (ip=? AND start>? AND start<?); USE TEMP B-TREE FOR GROUP BY',
      'SEARCH stats_minutes USING PRIMARY KEY (ip=? AND minute>? AND minute<?); USE TEMP B-TREE FOR GROUP BY',
      'SEARCH stats_minutes USING PRIMARY KEY (ip=? AND minute>? AND minute<?); USE TEMP B-TREE FOR GROUP BY',
      'SEARCH stats_pdd_hours USING PRIMARY KEY (ip=? AND hour>? AND hour<?); USE TEMP B-TREE FOR GROUP BY',
    ]);
  });

  it('finds the stored calls\' span by a seek at each end', () => {
    expect(plans({}).slice(0, 2)).toEqual(['SEARCH groups USING INDEX groups_start (start>?)',
      'SEARCH groups USING INDEX groups_start (start>?)']);
  });
});

describe('SQLite call statistics from the counts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hepflow-stats-counts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The answer counted one call row at a time (groups, or group_ips for an address), in a canonical order. */
  function fromRows(db: Database.Database, q: StatsQuery, from: number, to: number): Omit<StatsRows, 'from' | 'to'> {
    const b = bucketMicros(from, to);
    const cutoff = timedOutBefore(Date.now() * 1000);
    const rows = (q.ip
      ? db.prepare('SELECT start, disposition, final_status, fail_peer, duration_ms, pdd_ms FROM group_ips WHERE ip = ?').all(q.ip)
      : db.prepare('SELECT start, disposition, final_status, fail_peer, duration_ms, pdd_ms FROM groups WHERE disposition IS NOT NULL').all()) as {
      start: number; disposition: string; final_status: number | null; fail_peer: string | null; duration_ms: number | null; pdd_ms: number | null;
    }[];
    const cells = new Map<string, StatsRows['cells'][number]>();
    const pdd = new Map<number, number>();
    const peers = new Map<string, number>();
    for (const r of rows.filter((x) => x.start >= from && x.start <= to)) {
      const bucket = Math.floor(r.start / b) * b;
      const as = r.disposition === 'in-progress' && r.start < cutoff ? 'failed' : r.disposition;
      const key = `${bucket} ${as} ${r.final_status}`;
      const c = cells.get(key) ?? { bucket, disposition: as as never, finalStatus: r.final_status, calls: 0, durationSumMs: 0, durations: 0 };
      cells.set(key, c);
      c.calls++;
      c.durationSumMs += r.duration_ms ?? 0;
      c.durations += r.duration_ms === null ? 0 : 1;
      if (r.pdd_ms !== null) pdd.set(r.pdd_ms, (pdd.get(r.pdd_ms) ?? 0) + 1);
      if (r.fail_peer !== null && isNetworkFailure(r.disposition as never, r.final_status)) peers.set(r.fail_peer, (peers.get(r.fail_peer) ?? 0) + 1);
    }
    return {
      bucketMicros: b, cells: canonical([...cells.values()]),
      pdd: [...pdd].sort((x, y) => x[0] - y[0]).map(([pddMs, calls]) => ({ pddMs, calls })),
      peers: [...peers].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, 10).map(([ip, calls]) => ({ ip, calls })),
    };
  }
  const canonical = (cells: StatsRows['cells']) => [...cells].sort((x, y) => x.bucket - y.bucket
    || (x.disposition < y.disposition ? -1 : x.disposition > y.disposition ? 1 : (x.finalStatus ?? -1) - (y.finalStatus ?? -1)));

  it('answers as counting the calls themselves would, over whole minutes and hours, their edges and the cutoff', async () => {
    // Calls 41 s apart over 5 hours, the clock within them: those of the last half hour lack their
    // final answer (some still in progress, some past 64×T1), so that the cutoff's minute is counted.
    // 40 s into a minute: the cutoff (now - 64×T1) is 8 s into it.
    const now = 29_333_383 * 60_000_000 + 40_000_000;
    const cutoff = timedOutBefore(now);
    vi.useFakeTimers({ toFake: ['Date'], now: now / 1000 });
    const file = join(dir, 'counts.db');
    const store = openSqliteStore(file);
    const start = now - 4 * 3_600_000_000 - 1_234_567_891;
    const calls = 440;
    for (let n = 0; n < calls; n++) {
      const t = start + n * 41_000_000;
      const messages = statsCall(n, t);
      await store.insert(t > now - 1_800_000_000 ? messages.slice(0, 4) : messages);
    }
    // In the cutoff's minute, a call in progress on either side of it; calls 1 µs before a minute and at the next.
    const boundary = Math.ceil((start + 3_600_000_000) / 60_000_000) * 60_000_000;
    for (const [n, t] of [[10_001, cutoff - 5_000_000], [10_002, cutoff + 5_000_000]]) await store.insert(statsCall(n, t).slice(0, 2));
    for (const [n, t] of [[10_003, boundary - 1], [10_004, boundary + 60_000_000]]) await store.insert(statsCall(n, t));
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      const minutes = (db.prepare(`SELECT count(*) FROM stats_minutes WHERE ip = ''`).pluck().get() as number);
      expect(minutes).toBeGreaterThan(300);
      const last = start + (calls - 1) * 41_000_000;
      const ranges: [number, number][] = [
        [start, last],
        [start - 3_600_000_000, last + 3_600_000_000], // whole hours on both sides
        [start + 17_000_000, start + 50_000_000], // within a minute or two
        [now - 300_000_000 + 7, now + 123_456_789], // the cutoff inside
        [now - 3_600_000_000 * 2 - 61_000_001, now - 59_999_999], // the cutoff after the end's minute
        [boundary - 30_000_000, boundary + 7_200_000_000], // from 1 µs into the next minute's edge
        [boundary - 1, boundary + 59_999_999],
        [boundary - 1, boundary + 60_000_005], // to 5 µs into the minute after
      ];
      for (let k = 0; k < 6; k++) {
        const a = start + Math.floor(((k * 7919) % 1000) / 1000 * (last - start));
        ranges.push([a, a + 1 + Math.floor(((k * 104729) % 1000) / 1000 * (last - a))]);
      }
      for (const ip of [undefined, '10.0.0.5', carrierOf(3), '192.0.2.1']) {
        for (const [from, to] of ranges) {
          const got = sqliteStats(db, { ip, from, to });
          expect({ ...got, cells: canonical(got.cells) }, `${ip} ${from}-${to}`).toEqual({ from, to, ...fromRows(db, { ip }, from, to) });
        }
        const whole = sqliteStats(db, { ip });
        expect([whole.from, whole.to]).toEqual([start, last]);
        expect({ ...whole, cells: canonical(whole.cells) }).toEqual({ from: start, to: last, ...fromRows(db, { ip }, start, last) });
      }
      // Failed, in progress and answered calls alike, and the calls in progress past the cutoff as failed.
      const kinds = new Set(sqliteStats(db, {}).cells.map((c) => c.disposition));
      expect([...kinds].sort()).toEqual(['answered', 'busy', 'cancelled', 'failed', 'in-progress', 'no-answer', 'rejected']);
    } finally {
      db.close();
      vi.useRealTimers();
    }
  });
});
