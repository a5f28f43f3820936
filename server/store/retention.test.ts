import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { retentionCutoffs } from './retention.ts';

const DAY = 86_400_000_000;
const NOW = 1_800_000_000_000_000;

describe('retentionCutoffs', () => {
  it('takes each kind\'s own days, falling back to retentionDays', () => {
    expect(retentionCutoffs({ retentionDays: 7, retentionDaysCalls: 30, retentionDaysOther: 2 }, NOW)).toEqual({ calls: NOW - 30 * DAY, other: NOW - 2 * DAY });
    expect(retentionCutoffs({ retentionDays: 7, retentionDaysCalls: null, retentionDaysOther: 2 }, NOW)).toEqual({ calls: NOW - 7 * DAY, other: NOW - 2 * DAY });
  });

  it('keeps a kind for ever at 0 days, and answers null when both are kept for ever', () => {
    expect(retentionCutoffs({ retentionDays: 0, retentionDaysCalls: null, retentionDaysOther: 1 }, NOW)).toEqual({ calls: 0, other: NOW - DAY });
    expect(retentionCutoffs({ retentionDays: 0, retentionDaysCalls: null, retentionDaysOther: null }, NOW)).toBeNull();
  });

  it('reads --retention-days-calls/-other from flags, environment and file like every setting', () => {
    const c = loadConfig({ retentionDaysCalls: '30' }, { HEPFLOW_RETENTION_DAYS_OTHER: '2' });
    expect([c.retentionDaysCalls, c.retentionDaysOther, c.retentionDays]).toEqual([30, 2, 7]);
    expect(loadConfig({}, { HEPFLOW_RETENTION_DAYS_CALLS: '' }).retentionDaysCalls).toBeNull();
    expect(() => loadConfig({}, { HEPFLOW_RETENTION_DAYS_OTHER: 'two' })).toThrow('environment: retentionDaysOther must be a number, got "two"');
  });
});
