import { describe, expect, it } from 'vitest';
import { parseFilters } from '../search/search-params.ts';
import { SchemaError, importAnswer, validate } from '../api/schema.ts';
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
    expect(parseFilters(importSearch({ timeRange: null, callIds: ['only@x'] }).slice(2))).toMatchObject({ range: 'all', callId: 'only@x' });
  });

  it('says what was imported', () => {
    expect(importSummaryText({ sipMessages: 12, calls: 3, callsAtLeast: false, hepPackets: 0 })).toBe('Imported 12 SIP messages, 3 calls');
  });

  it('refuses an answer without the figures before anything reads it', () => {
    expect(() => validate(importAnswer, {})).toThrow(SchemaError);
  });
});
