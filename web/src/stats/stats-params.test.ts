import { describe, it, expect } from 'vitest';
import { parseStatsFilters, searchLink, serializeStatsFilters, statsQuery } from './stats-params.ts';
import { parseFilters } from '../search/search-params.ts';

const NOW = 1_700_000_000_000_000;

describe('stats filters', () => {
  it('read and write the search\'s URL form for range, zone and address, and nothing else', () => {
    const f = parseStatsFilters('range=1h&ip=10.0.0.5&tz=local&disposition=busy');
    expect(f).toEqual({ range: '1h', from: null, to: null, tz: 'local', ip: '10.0.0.5' });
    expect(serializeStatsFilters(f)).toBe('range=1h&tz=local&ip=10.0.0.5');
    expect(parseStatsFilters(serializeStatsFilters(f))).toEqual(f);
  });

  it('ask the API for the preset\'s bounds at the time asked, and the address', () => {
    expect(statsQuery(parseStatsFilters('range=15m&ip=10.0.0.5'), NOW)).toEqual({ from: String(NOW - 15 * 60e6), to: String(NOW), ip: '10.0.0.5' });
    expect(statsQuery(parseStatsFilters('range=all'), NOW)).toEqual({});
  });

  it('link to the search list with the exact range counted, the address and the bar\'s filter', () => {
    const f = parseStatsFilters('range=24h&ip=10.0.0.5&tz=local');
    const link = searchLink(f, NOW - 3600e6, NOW, { disposition: 'busy' });
    expect(link.startsWith('/?')).toBe(true);
    const back = parseFilters(link.slice(2));
    expect(back).toMatchObject({ range: 'custom', from: NOW - 3600e6, to: NOW, tz: 'local', ip: '10.0.0.5', disposition: 'busy' });
    expect(parseFilters(searchLink(f, null, null, { ip: '192.0.2.7', status: '503' }).slice(2)))
      .toMatchObject({ range: 'all', ip: '192.0.2.7', status: '503' });
  });
});
