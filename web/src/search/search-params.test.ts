import { describe, expect, it } from 'vitest';
import type { ApiGroupSummary } from '../../../server/api/types.ts';
import { DEFAULT_FILTERS, callsQuery, microsToIso, parseFilters, serializeFilters } from './search-params.ts';
import { sortGroups } from './sort.ts';

describe('search filters in the URL', () => {
  it('round-trips every filter, a custom range with microseconds included', () => {
    const f = {
      ...DEFAULT_FILTERS,
      range: 'custom' as const,
      from: Date.UTC(2024, 0, 2, 3, 4, 5) * 1000 + 678_901,
      to: Date.UTC(2024, 0, 3) * 1000,
      tz: 'local' as const,
      callId: 'a@b',
      correlationId: 'corr-1',
      user: 'alice',
      ip: '10.0.0.1',
      method: 'INVITE',
      status: '486',
      q: 'free text',
      auto: true,
      sort: 'duration' as const,
      desc: false,
    };
    expect(parseFilters(serializeFilters(f))).toEqual(f);
  });

  it('leaves defaults out of the URL', () => {
    expect(serializeFilters(DEFAULT_FILTERS)).toBe('');
  });

  it('writes ISO times with microseconds in UTC', () => {
    expect(microsToIso(Date.UTC(2024, 0, 2) * 1000 + 5)).toBe('2024-01-02T00:00:00.000005Z');
  });

  it('builds the API query with resolved bounds and only the filters set', () => {
    const q = callsQuery({ ...DEFAULT_FILTERS, range: '1h', correlationId: 'x' }, 10_000_000_000);
    expect(q).toEqual({ from: String(10_000_000_000 - 3600e6), to: '10000000000', correlationId: 'x' });
    expect(callsQuery({ ...DEFAULT_FILTERS, range: 'all' }, 1)).toEqual({});
  });
});

function makeSummary(over: Partial<ApiGroupSummary>): ApiGroupSummary {
  return {
    groupId: 'g',
    callIds: ['g'],
    correlationIds: [],
    start: 0,
    duration: 0,
    caller: null,
    callee: null,
    legs: 1,
    messages: 1,
    method: 'INVITE',
    status: null,
    ...over,
  };
}

describe('sortGroups', () => {
  const items = [
    makeSummary({ groupId: 'a', start: 3, status: 200, caller: 'bob' }),
    makeSummary({ groupId: 'b', start: 1, status: null, caller: 'alice' }),
    makeSummary({ groupId: 'c', start: 2, status: 486, caller: 'carol' }),
  ];

  it('sorts numbers in either direction', () => {
    expect(sortGroups(items, 'start', true).map((g) => g.groupId)).toEqual(['a', 'c', 'b']);
    expect(sortGroups(items, 'start', false).map((g) => g.groupId)).toEqual(['b', 'c', 'a']);
  });

  it('sorts text and keeps missing values last', () => {
    expect(sortGroups(items, 'caller', false).map((g) => g.groupId)).toEqual(['b', 'a', 'c']);
    expect(sortGroups(items, 'status', true).map((g) => g.groupId)).toEqual(['c', 'a', 'b']);
  });
});
