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
      disposition: 'busy' as const,
      problems: ['missing-ack' as const, 'server-error-5xx' as const],
      minPddMs: '3000',
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

  it('writes KPI filters as the API takes them: problems repeated in the link, in one comma list for the API', () => {
    const f = { ...DEFAULT_FILTERS, disposition: 'failed' as const, problems: ['long-gap' as const, 'glare-491' as const], minPddMs: '2500' };
    expect(serializeFilters(f)).toBe('disposition=failed&problem=long-gap&problem=glare-491&minPddMs=2500');
    expect(callsQuery({ ...f, range: 'all' }, 1)).toEqual({ disposition: 'failed', problem: 'long-gap,glare-491', minPddMs: '2500' });
  });

  it('carries the scenario kind in the link and the API query, and leaves out a kind the server does not name', () => {
    const f = { ...DEFAULT_FILTERS, scenario: 'blind-transfer' as const };
    expect(serializeFilters(f)).toBe('scenario=blind-transfer');
    expect(parseFilters(serializeFilters(f)).scenario).toBe('blind-transfer');
    expect(callsQuery({ ...f, range: 'all' }, 1)).toEqual({ scenario: 'blind-transfer' });
    expect(parseFilters('scenario=conference').scenario).toBe('');
  });

  it('reads problems in table order, repeated or comma-separated, and leaves out values the server would refuse', () => {
    const f = parseFilters('problem=long-gap,missing-ack&problem=nope&problem=timeout-408&disposition=ringing&minPddMs=-5');
    expect(f.problems).toEqual(['missing-ack', 'timeout-408', 'long-gap']);
    expect([f.disposition, f.minPddMs]).toEqual(['', '']);
    expect(parseFilters('disposition=no-answer&minPddMs=1500')).toMatchObject({ disposition: 'no-answer', minPddMs: '1500' });
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
    disposition: null,
    pddMs: null,
    setupMs: null,
    durationMs: null,
    finalStatus: null,
    problems: [],
    scenario: 'basic',
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

  it('sorts by PDD and disposition, calls without one last', () => {
    const kpi = [
      makeSummary({ groupId: 'a', pddMs: 900, disposition: 'busy' }),
      makeSummary({ groupId: 'b', pddMs: null, disposition: null }),
      makeSummary({ groupId: 'c', pddMs: 120, disposition: 'answered' }),
    ];
    expect(sortGroups(kpi, 'pddMs', false).map((g) => g.groupId)).toEqual(['c', 'a', 'b']);
    expect(sortGroups(kpi, 'disposition', false).map((g) => g.groupId)).toEqual(['c', 'a', 'b']);
  });

  it('sorts by scenario kind, ties by start, and keeps that sort in the link', () => {
    const kinds = [
      makeSummary({ groupId: 'a', start: 1, scenario: 'queue' }),
      makeSummary({ groupId: 'b', start: 2, scenario: 'attended-transfer' }),
      makeSummary({ groupId: 'c', start: 3, scenario: 'basic' }),
      makeSummary({ groupId: 'd', start: 0, scenario: 'basic' }),
    ];
    expect(sortGroups(kinds, 'scenario', false).map((g) => g.groupId)).toEqual(['b', 'd', 'c', 'a']);
    expect(parseFilters(serializeFilters({ ...DEFAULT_FILTERS, sort: 'scenario' })).sort).toBe('scenario');
  });

  it('sorts text and keeps missing values last', () => {
    expect(sortGroups(items, 'caller', false).map((g) => g.groupId)).toEqual(['b', 'a', 'c']);
    expect(sortGroups(items, 'status', true).map((g) => g.groupId)).toEqual(['c', 'a', 'b']);
  });
});
