import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { openPostgresStore } from './postgres.ts';
import { describeStoreSuite, makeCall, makeMessage } from '../testing/store-suite.ts';
import { createTestDatabase, noPostgres, pgConfig, type TestDatabase } from '../testing/postgres.ts';
import type { Store } from './types.ts';

const T0 = 1_700_000_000_000_000; // µs: 2023-11-14 22:13:20 UTC

describe.skipIf(noPostgres)('PostgreSQL', () => {
  const dbs = new Map<Store, TestDatabase>();
  const harness = {
    async open() {
      const db = await createTestDatabase();
      const store = await openPostgresStore(pgConfig(db.url));
      dbs.set(store, db);
      return store;
    },
    async destroy(store: Store) {
      await store.close();
      await dbs.get(store)!.drop();
    },
  };
  describeStoreSuite('PostgreSQL', harness);
});
