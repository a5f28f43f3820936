/**
 * Search filters ↔ URL query: a search is a link that can be shared and reloaded. Custom from/to travel as
 * ISO-8601 UTC text so a link reads the same in every zone; tz only says how to show them.
 */
import type { EpochMicros } from '../model/units.ts';
import type { Zone } from '../model/time-format.ts';
import { PRESETS, type Preset, resolveRange } from './time-range.ts';
import { DISPOSITIONS, PROBLEM_CODE_LIST, type Disposition, type ProblemCode } from '../../../server/kpi/codes.ts';
import { SCENARIO_KINDS, type ScenarioKind } from '../../../server/correlate/scenario-kind.ts';

export type SortKey = 'start' | 'duration' | 'legs' | 'scenario' | 'messages' | 'caller' | 'callee' | 'status' | 'disposition' | 'pddMs' | 'groupId';
export const SORT_KEYS: readonly SortKey[] = ['start', 'duration', 'legs', 'scenario', 'messages', 'caller', 'callee', 'status', 'disposition', 'pddMs', 'groupId'];

export interface SearchFilters {
  range: Preset;
  from: EpochMicros | null;
  to: EpochMicros | null;
  tz: Zone;
  callId: string;
  correlationId: string;
  user: string;
  ip: string;
  method: string;
  status: string;
  q: string;
  /** The first leg's disposition; '' for any. */
  disposition: Disposition | '';
  /** Groups with any of these problems; none for any. */
  problems: ProblemCode[];
  /** Minimum PDD, ms, as typed (digits); '' for none. */
  minPddMs: string;
  /** The group's scenario kind; '' for any. */
  scenario: ScenarioKind | '';
  /** Re-run the search every few seconds (live traffic). */
  auto: boolean;
  sort: SortKey;
  desc: boolean;
}

export const DEFAULT_FILTERS: SearchFilters = {
  range: '24h',
  from: null,
  to: null,
  tz: 'utc',
  callId: '',
  correlationId: '',
  user: '',
  ip: '',
  method: '',
  status: '',
  q: '',
  disposition: '',
  problems: [],
  minPddMs: '',
  scenario: '',
  auto: false,
  sort: 'start',
  desc: true,
};

const TEXT_FIELDS = ['callId', 'correlationId', 'user', 'ip', 'method', 'status', 'q'] as const;

function isoToMicros(s: string | null): EpochMicros | null {
  if (!s) return null;
  if (/^\d+$/.test(s)) return Number(s);
  const m = /\.(\d+)Z$/.exec(s);
  const ms = Date.parse(s);
  if (!Number.isFinite(ms)) return null;
  const extra = m && m[1].length > 3 ? Number(m[1].slice(3, 6).padEnd(3, '0')) : 0;
  return ms * 1000 + extra;
}

/** ISO-8601 UTC with microseconds: "2024-05-01T12:00:00.123456Z". */
export function microsToIso(ts: EpochMicros): string {
  const base = new Date(Math.floor(ts / 1000)).toISOString().slice(0, 19);
  return `${base}.${String(((ts % 1e6) + 1e6) % 1e6).padStart(6, '0')}Z`;
}

export function parseFilters(search: string | URLSearchParams): SearchFilters {
  const p = typeof search === 'string' ? new URLSearchParams(search) : search;
  const range = PRESETS.some((x) => x.id === p.get('range')) ? (p.get('range') as Preset) : DEFAULT_FILTERS.range;
  const sort = SORT_KEYS.includes(p.get('sort') as SortKey) ? (p.get('sort') as SortKey) : DEFAULT_FILTERS.sort;
  const out: SearchFilters = {
    ...DEFAULT_FILTERS,
    range,
    from: isoToMicros(p.get('from')),
    to: isoToMicros(p.get('to')),
    tz: p.get('tz') === 'local' ? 'local' : 'utc',
    auto: p.get('auto') === '1',
    sort,
    desc: p.get('dir') !== 'asc',
  };
  for (const k of TEXT_FIELDS) out[k] = p.get(k)?.trim() ?? '';
  // Values a link may carry but the server would refuse are left out, so that an old or edited
  // link still searches.
  const disposition = p.get('disposition') ?? '';
  out.disposition = (DISPOSITIONS as readonly string[]).includes(disposition) ? (disposition as Disposition) : '';
  const named = new Set(p.getAll('problem').flatMap((v) => v.split(',')).map((v) => v.trim()));
  out.problems = PROBLEM_CODE_LIST.filter((c) => named.has(c));
  const pdd = p.get('minPddMs')?.trim() ?? '';
  out.minPddMs = /^\d{1,9}$/.test(pdd) ? pdd : '';
  const scenario = p.get('scenario') ?? '';
  out.scenario = (SCENARIO_KINDS as readonly string[]).includes(scenario) ? (scenario as ScenarioKind) : '';
  return out;
}

export function serializeFilters(f: SearchFilters): string {
  const p = new URLSearchParams();
  if (f.range !== DEFAULT_FILTERS.range) p.set('range', f.range);
  if (f.range === 'custom') {
    if (f.from !== null) p.set('from', microsToIso(f.from));
    if (f.to !== null) p.set('to', microsToIso(f.to));
  }
  if (f.tz !== 'utc') p.set('tz', f.tz);
  for (const k of TEXT_FIELDS) if (f[k]) p.set(k, f[k]);
  if (f.disposition) p.set('disposition', f.disposition);
  for (const c of f.problems) p.append('problem', c);
  if (f.minPddMs) p.set('minPddMs', f.minPddMs);
  if (f.scenario) p.set('scenario', f.scenario);
  if (f.auto) p.set('auto', '1');
  if (f.sort !== DEFAULT_FILTERS.sort) p.set('sort', f.sort);
  if (!f.desc) p.set('dir', 'asc');
  return p.toString();
}

/** The API query (GET /api/v1/calls) for filters at time `now`; sort is applied client-side. */
export function callsQuery(f: SearchFilters, now: EpochMicros): Record<string, string> {
  const bounds = resolveRange(f.range, now, { from: f.from ?? undefined, to: f.to ?? undefined });
  const out: Record<string, string> = {};
  if (bounds.from !== undefined) out.from = String(bounds.from);
  if (bounds.to !== undefined) out.to = String(bounds.to);
  for (const k of TEXT_FIELDS) if (f[k]) out[k] = f[k];
  if (f.disposition) out.disposition = f.disposition;
  // One value, comma-separated: the API takes `problem` repeated or so, and a record holds one value a name.
  if (f.problems.length) out.problem = f.problems.join(',');
  if (f.minPddMs) out.minPddMs = f.minPddMs;
  if (f.scenario) out.scenario = f.scenario;
  return out;
}
