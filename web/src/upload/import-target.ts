/**
 * Where to go after a capture upload: the search, filtered to what the file held. Reads the
 * import summary defensively (the route answers the importer's CaptureImport: callIds and
 * timeRange {from, to} in µs), and falls back to "any time" when it holds neither.
 */
import { DEFAULT_FILTERS, type SearchFilters, serializeFilters } from '../search/search-params.ts';

/** Slack around the file's time range, µs: the search matches group starts, which lie inside it. */
const SLACK = 1_000_000;

export function importSearch(summary: Record<string, unknown>): string {
  const f: SearchFilters = { ...DEFAULT_FILTERS, range: 'all' };
  const tr = summary.timeRange as { from?: unknown; to?: unknown } | null | undefined;
  if (tr && typeof tr.from === 'number' && typeof tr.to === 'number') {
    f.range = 'custom';
    f.from = tr.from - SLACK;
    f.to = tr.to + SLACK;
  }
  const ids = Array.isArray(summary.callIds) ? summary.callIds.filter((x): x is string => typeof x === 'string') : [];
  if (ids.length === 1) f.callId = ids[0];
  const q = serializeFilters(f);
  return `/${q ? `?${q}` : ''}`;
}

/** One line about the import for the status text. */
export function importSummaryText(summary: Record<string, unknown>): string {
  const n = (k: string) => (typeof summary[k] === 'number' ? (summary[k] as number) : null);
  const parts = [
    n('sipMessages') !== null ? `${n('sipMessages')} SIP messages` : null,
    n('calls') !== null ? `${n('calls')}${summary.callsAtLeast === true ? '+' : ''} calls` : null,
    n('hepPackets') ? `${n('hepPackets')} HEP packets` : null,
  ].filter((x): x is string => x !== null);
  return parts.length > 0 ? `Imported ${parts.join(', ')}` : 'Imported';
}
