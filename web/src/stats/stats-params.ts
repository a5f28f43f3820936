/**
 * The stats page's filters ↔ its URL, and its links into the search list: the search's own URL form
 * (search/search-params.ts) for the range, zone and address, so that a stats link and a search link
 * read alike, and a bar opens the search with exactly the range the stats counted. Pure.
 */
import type { EpochMicros } from '../model/units.ts';
import { resolveRange } from '../search/time-range.ts';
import { DEFAULT_FILTERS, parseFilters, serializeFilters, type SearchFilters } from '../search/search-params.ts';

/** What the stats take of a search: the time range (preset or custom, in a zone) and one address. */
export type StatsFilters = Pick<SearchFilters, 'range' | 'from' | 'to' | 'tz' | 'ip'>;

export function parseStatsFilters(search: string | URLSearchParams): StatsFilters {
  const { range, from, to, tz, ip } = parseFilters(search);
  return { range, from, to, tz, ip };
}

export function serializeStatsFilters(f: StatsFilters): string {
  return serializeFilters({ ...DEFAULT_FILTERS, ...f });
}

/** The API query (GET /api/v1/stats) for filters at time `now`, µs. */
export function statsQuery(f: StatsFilters, now: EpochMicros): Record<string, string> {
  const bounds = resolveRange(f.range, now, { from: f.from ?? undefined, to: f.to ?? undefined });
  const out: Record<string, string> = {};
  if (bounds.from !== undefined) out.from = String(bounds.from);
  if (bounds.to !== undefined) out.to = String(bounds.to);
  if (f.ip) out.ip = f.ip;
  return out;
}

/**
 * The search list's link ("/?…") for the calls of [from, to] (µs, the range the stats counted,
 * null for an open end) under `f`'s zone and address, narrowed by `narrow` (a disposition, a
 * status, another address).
 */
export function searchLink(f: StatsFilters, from: EpochMicros | null, to: EpochMicros | null, narrow: Partial<SearchFilters> = {}): string {
  const range = from === null && to === null ? 'all' : 'custom';
  return `/?${serializeFilters({ ...DEFAULT_FILTERS, tz: f.tz, ip: f.ip, range, from, to, ...narrow })}`;
}
