/**
 * Where to go after a capture upload: the search, filtered to what the file held (its time
 * range, and its Call-ID when it held one call); "any time" when it held no message.
 */
import type { ApiImport } from '../../../server/api/types.ts';
import { DEFAULT_FILTERS, type SearchFilters, serializeFilters } from '../search/search-params.ts';

/** Slack around the file's time range, µs: the search matches group starts, which lie inside it. */
const SLACK = 1_000_000;

export function importSearch(answer: Pick<ApiImport, 'timeRange' | 'callIds'>): string {
  const f: SearchFilters = { ...DEFAULT_FILTERS, range: 'all' };
  if (answer.timeRange) {
    f.range = 'custom';
    f.from = answer.timeRange.from - SLACK;
    f.to = answer.timeRange.to + SLACK;
  }
  if (answer.callIds.length === 1) f.callId = answer.callIds[0];
  const q = serializeFilters(f);
  return `/${q ? `?${q}` : ''}`;
}

/** One line about the import for the status text. */
export function importSummaryText(answer: Pick<ApiImport, 'sipMessages' | 'calls' | 'callsAtLeast' | 'hepPackets'>): string {
  const parts = [`${answer.sipMessages} SIP messages`, `${answer.calls}${answer.callsAtLeast ? '+' : ''} calls`];
  if (answer.hepPackets) parts.push(`${answer.hepPackets} HEP packets`);
  return `Imported ${parts.join(', ')}`;
}
