import { describe } from 'vitest';
import { describeRetentionSuite } from '../../testing/retention-suite.ts';
import { noPostgres, postgresHarness } from '../../testing/postgres.ts';

describe.skipIf(noPostgres)('PostgreSQL (Homer 7 partitions)', () => {
  describeRetentionSuite('PostgreSQL', postgresHarness());
});
