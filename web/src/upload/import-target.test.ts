import { describe, expect, it } from 'vitest';
import { parseFilters } from '../search/search-params.ts';
import { importSearch, importSummaryText } from './import-target.ts';

describe('after an import', () => {
  it('opens the search on the file time range, with slack', () => {
    const href = importSearch({ timeRange: { from: 10_000_000, to: 20_000_000 }, callIds: ['a', 'b'] });
    const f = parseFilters(href.slice(2));
    expect(f.range).toBe('custom');
    expect(f.from).toBe(9_000_000);
    expect(f.to).toBe(21_000_000);
    expect(f.callId).toBe('');
  });

  it('filters on the Call-ID when the file held one call', () => {
    expect(parseFilters(importSearch({ callIds: ['only@x'] }).slice(2))).toMatchObject({ range: 'all', callId: 'only@x' });
  });

  it('says what was imported', () => {
    expect(importSummaryText({ sipMessages: 12, calls: 3, callsAtLeast: false })).toBe('Imported 12 SIP messages, 3 calls');
    expect(importSummaryText({})).toBe('Imported');
  });
});
