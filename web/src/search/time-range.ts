/**
 * Search time ranges: quick presets relative to now, or absolute from/to typed in an explicit
 * zone. Pure: `now` is passed in. Times are µs since the epoch, as the API takes them.
 */
import type { EpochMicros } from '../model/units.ts';
import type { Zone } from '../model/time-format.ts';

export type Preset = '15m' | '1h' | '6h' | '24h' | '7d' | '30d' | 'all' | 'custom';

/** Preset → length in µs; 'all' has no bounds and 'custom' uses from/to. */
export const PRESETS: readonly { id: Preset; label: string; micros: number | null }[] = [
  { id: '15m', label: 'Last 15 minutes', micros: 15 * 60e6 },
  { id: '1h', label: 'Last hour', micros: 3600e6 },
  { id: '6h', label: 'Last 6 hours', micros: 6 * 3600e6 },
  { id: '24h', label: 'Last 24 hours', micros: 24 * 3600e6 },
  { id: '7d', label: 'Last 7 days', micros: 7 * 24 * 3600e6 },
  { id: '30d', label: 'Last 30 days', micros: 30 * 24 * 3600e6 },
  { id: 'all', label: 'Any time', micros: null },
  { id: 'custom', label: 'Custom range', micros: null },
];

export interface TimeBounds {
  from?: EpochMicros;
  to?: EpochMicros;
}

/** The bounds a preset (or a custom from/to) stands for at time `now`. */
export function resolveRange(preset: Preset, now: EpochMicros, custom: TimeBounds = {}): TimeBounds {
  if (preset === 'custom') return { ...custom };
  const p = PRESETS.find((x) => x.id === preset);
  if (!p || p.micros === null) return {};
  return { from: now - p.micros, to: now };
}

const INPUT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/;

/**
 * Reads "YYYY-MM-DDTHH:MM[:SS[.ffffff]]" (a datetime-local input's value) as a time in `zone`.
 * Null when the text is not such a time.
 */
export function parseZonedInput(text: string, zone: Zone): EpochMicros | null {
  const m = INPUT.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  const frac = Number((m[7] ?? '').padEnd(6, '0'));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const ms = zone === 'utc' ? Date.UTC(y, mo - 1, d, h, mi, s) : new Date(y, mo - 1, d, h, mi, s).getTime();
  return Number.isFinite(ms) ? ms * 1000 + frac : null;
}

/** The datetime-local text ("YYYY-MM-DDTHH:MM:SS.fff") for a time in `zone`; ms precision, as inputs show. */
export function toZonedInput(ts: EpochMicros, zone: Zone): string {
  const t = new Date(Math.floor(ts / 1000));
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const [y, mo, d, h, mi, s, ms] =
    zone === 'utc'
      ? [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds(), t.getUTCMilliseconds()]
      : [t.getFullYear(), t.getMonth() + 1, t.getDate(), t.getHours(), t.getMinutes(), t.getSeconds(), t.getMilliseconds()];
  return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.${pad(ms, 3)}`;
}
