import { describe } from 'vitest';
import { openPostgresStore } from '../postgres.ts';
import { describeRetentionSuite } from '../../testing/retention-suite.ts';
import { createTestDatabase, noPostgres, pgConfig, type TestDatabase } from '../../testing/postgres.ts';
import type { Store } from '../types.ts';

describe.skipIf(noPostgres)('PostgreSQL (Homer 7 partitions)', () => {
  const dbs = new Map<Store, TestDatabase>();
  describeRetentionSuite('PostgreSQL', {
    async open() {
      const db = await createTestDatabase();
      const store = await openPostgresStore(pgConfig(db.url));
      dbs.set(store, db);
      return store;
    },
    async destroy(store) {
      await store.close();
      await dbs.get(store)!.drop();
    },
  });
});
