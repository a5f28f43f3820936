import { describe } from 'vitest';
import { describeStatsSuite } from '../../testing/stats-suite.ts';
import { noPostgres, postgresHarness } from '../../testing/postgres.ts';

describe.skipIf(noPostgres)('PostgreSQL', () => {
  describeStatsSuite('PostgreSQL', postgresHarness());
});
