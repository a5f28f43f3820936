/**
 * Time text for the ladder, the detail pane and the results table. Zone is explicit everywhere
 * (homer-app#391, homer#508): 'utc' or 'local' (the browser's zone). Microsecond precision is kept,
 * since HEP3 stamps µs (chunk 0x000a) and same-millisecond hops are common.
 */
import type { EpochMicros, Micros } from './units.ts';

export type Zone = 'utc' | 'local';
export type RowTimeMode = 'abs' | 'delta-prev' | 'delta-first';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

function parts(ms: number, zone: Zone): Parts {
  const t = new Date(ms);
  return zone === 'utc'
    ? { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours(), mi: t.getUTCMinutes(), s: t.getUTCSeconds() }
    : { y: t.getFullYear(), mo: t.getMonth() + 1, d: t.getDate(), h: t.getHours(), mi: t.getMinutes(), s: t.getSeconds() };
}

/** Microseconds within the second, 0..999999 (also for times before 1970). */
function subSecond(ts: EpochMicros): number {
  return ((ts % 1_000_000) + 1_000_000) % 1_000_000;
}

/** "HH:MM:SS.ffffff" in the zone. */
export function formatClock(ts: EpochMicros, zone: Zone): string {
  const p = parts(Math.floor(ts / 1000), zone);
  return `${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}.${pad(subSecond(ts), 6)}`;
}

/** "YYYY-MM-DD" in the zone. */
export function formatDate(ts: EpochMicros, zone: Zone): string {
  const p = parts(Math.floor(ts / 1000), zone);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}`;
}

/** "YYYY-MM-DD HH:MM:SS.ffffff" in the zone. */
export function formatDateTime(ts: EpochMicros, zone: Zone): string {
  return `${formatDate(ts, zone)} ${formatClock(ts, zone)}`;
}

/** A signed delta in seconds with µs precision: "+0.012345", "-1.000000". */
export function formatDelta(us: Micros): string {
  const sign = us < 0 ? '-' : '+';
  const a = Math.abs(Math.round(us));
  return `${sign}${Math.floor(a / 1_000_000)}.${pad(a % 1_000_000, 6)}`;
}

/** A human duration: "850 ms", "12.4 s", "3 m 05 s", "2 h 01 m". */
export function formatDuration(us: Micros): string {
  const ms = Math.max(0, us) / 1000;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${pad(Math.floor(s % 60))} s`;
  return `${Math.floor(m / 60)} h ${pad(m % 60)} m`;
}

/** The text of a row's time cell in one of the three modes. */
export function formatRowTime(ts: EpochMicros, mode: RowTimeMode, zone: Zone, prevTs: EpochMicros | null, firstTs: EpochMicros): string {
  if (mode === 'delta-prev') return formatDelta(prevTs === null ? 0 : ts - prevTs);
  if (mode === 'delta-first') return formatDelta(ts - firstTs);
  return formatClock(ts, zone);
}

/** "UTC" or "local, UTC+02:00" (offset at `at`, as zones shift with summer time). */
export function zoneLabel(zone: Zone, at: EpochMicros): string {
  if (zone === 'utc') return 'UTC';
  const off = -new Date(Math.floor(at / 1000)).getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  return `local, UTC${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}
