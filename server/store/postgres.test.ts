import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { openPostgresStore } from './postgres.ts';
import { describeStoreSuite, makeCall, makeMessage } from '../testing/store-suite.ts';
import { describeKpiSearchSuite } from '../testing/kpi-suite.ts';
import { createTestDatabase, noPostgres, pgConfig, postgresHarness, type TestDatabase } from '../testing/postgres.ts';

const T0 = 1_700_000_000_000_000; // µs: 2023-11-14 22:13:20 UTC

describe.skipIf(noPostgres)('PostgreSQL', () => {
  const harness = postgresHarness();
  describeStoreSuite('PostgreSQL', harness);
  describeKpiSearchSuite('PostgreSQL', harness);
});

describe.skipIf(noPostgres)('PostgreSQL hepflow tables written before the search rows had KPIs', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => { await db?.drop(); });

  it('gains the KPI columns when opened, keeps the KPIs of earlier calls unknown, and folds new calls', async () => {
    const a = await openPostgresStore(pgConfig(db.url));
    const ringing = makeCall('legacy', T0);
    await a.insert([ringing[0]]);
    await a.close();
    // hepflow_calls and hepflow_groups as an earlier hepflow created them: without the KPI columns.
    await db.query(`ALTER TABLE hepflow_calls DROP COLUMN kpi, DROP COLUMN disposition, DROP COLUMN pdd_ms, DROP COLUMN setup_ms,
      DROP COLUMN duration_ms, DROP COLUMN final_status, DROP COLUMN problems`);
    await db.query(`ALTER TABLE hepflow_groups DROP COLUMN disposition, DROP COLUMN pdd_ms, DROP COLUMN setup_ms,
      DROP COLUMN duration_ms, DROP COLUMN final_status, DROP COLUMN problems`);

    const b = await openPostgresStore(pgConfig(db.url));
    try {
      const cols = await db.query(`SELECT table_name || '.' || column_name AS c FROM information_schema.columns
        WHERE column_name IN ('kpi', 'problems') AND table_name IN ('hepflow_calls', 'hepflow_groups') ORDER BY 1`);
      expect(cols.rows.map((r) => r.c)).toEqual(['hepflow_calls.kpi', 'hepflow_calls.problems', 'hepflow_groups.problems']);
      const idx = await db.query(`SELECT indexname FROM pg_indexes WHERE indexname LIKE 'hepflow_groups_%' ORDER BY 1`);
      expect(idx.rows.map((r) => r.indexname)).toEqual(['hepflow_groups_disposition', 'hepflow_groups_pkey', 'hepflow_groups_problems', 'hepflow_groups_start',
        'hepflow_groups_stats']);
      // The rest of the legacy call: its start is not known to the fold, so its KPIs stay unknown.
      await b.insert(ringing.slice(1));
      await b.insert(makeCall('fresh', T0 + 1_000_000));
      const items = (await b.searchGroups({ limit: 10 })).items;
      expect(items.map((g) => [g.groupId, g.disposition, g.setupMs, g.durationMs, g.problems])).toEqual([
        ['fresh', 'answered', 50, 4950, []], ['legacy', null, null, null, []]]);
      expect((await b.searchGroups({ limit: 10, disposition: 'answered' })).items.map((g) => g.groupId)).toEqual(['fresh']);
      // Opening again adds nothing (no ALTER when the columns are there).
      await (await openPostgresStore(pgConfig(db.url))).close();
    } finally {
      await b.close();
    }
  });
});
