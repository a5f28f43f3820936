/** Every library scenario named by the search list and the group view on PostgreSQL (testing/scenario-kind-suite.ts). */
import { afterAll, describe } from 'vitest';
import { createTestDatabase, noPostgres, type TestDatabase } from '../testing/postgres.ts';
import { describeScenarioKinds } from '../testing/scenario-kind-suite.ts';

describe.skipIf(noPostgres)('PostgreSQL', () => {
  let db: TestDatabase | undefined;
  afterAll(async () => {
    await db?.drop();
  });
  describeScenarioKinds('PostgreSQL', async () => {
    db = await createTestDatabase();
    return { store: db.url, pgPool: 4 };
  });
});
