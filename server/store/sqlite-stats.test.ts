import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { openSqliteStore } from './sqlite.ts';
import { sqliteStats } from './sqlite-stats.ts';
import { describeStatsSuite } from '../testing/stats-suite.ts';
import type { Store } from './types.ts';

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
      // A call, so that the outcome walk finds one and its statements run.
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

  it('counts a range from the index of outcomes and the index of PDDs alone, sorting nothing', () => {
    const p = plans({ from: 0, to: 10 });
    expect(p.filter((x) => /groups_cells \(disposition=\? AND final_status=\? AND start>\? AND start<\?\)$/.test(x))).toHaveLength(1);
    expect(p.some((x) => /^SEARCH groups USING COVERING INDEX groups_pdd/.test(x) && !/TEMP B-TREE/.test(x))).toBe(true);
    // Every other statement is a seek: the outcomes' skip-scan, the edges, the last id (max(id)).
    for (const x of p) expect(x).toMatch(/^SEARCH groups( USING (COVERING INDEX|INTEGER PRIMARY KEY)|$)/);
  });

  it('counts an address along its own indexes as a range along the groups\', sorting nothing', () => {
    const p = plans({ from: 0, to: 10, ip: '10.0.0.1' });
    expect(p.filter((x) => /group_ips_cells \(ip=\? AND disposition=\? AND final_status=\? AND start>\? AND start<\?\)$/.test(x))).toHaveLength(1);
    // Hour by hour (the <expr>), each in PDD order; what is sorted is the hours' rows (the
    // subquery's), one per hour and PDD, not the address's calls.
    const pdd = p.filter((x) => x.includes('group_ips_pdd'));
    expect(pdd).toEqual(['CO-ROUTINE (subquery-1); SEARCH group_ips USING COVERING INDEX group_ips_pdd (ip=? AND <expr>>? AND <expr><?); '
      + 'SCAN (subquery-1); USE TEMP B-TREE FOR GROUP BY']);
    // No group is read by id; the edges of the range are two seeks along groups_start.
    for (const x of p.filter((y) => !pdd.includes(y))) expect(x).toMatch(/^SEARCH (group_ips USING COVERING INDEX|groups USING COVERING INDEX groups_start)/);
  });
});
