import { describe, expect, it } from 'vitest';
import { formatClock, formatDateTime, formatDelta, formatDuration, formatRowTime, zoneLabel } from './time-format.ts';

// 2024-05-01T12:34:56.789012Z in µs
const T = Date.UTC(2024, 4, 1, 12, 34, 56) * 1000 + 789_012;

describe('time format', () => {
  it('formats a UTC clock and date with microseconds', () => {
    expect(formatClock(T, 'utc')).toBe('12:34:56.789012');
    expect(formatDateTime(T, 'utc')).toBe('2024-05-01 12:34:56.789012');
  });

  it('formats local time with the offset the browser reports', () => {
    const offMin = new Date(T / 1000).getTimezoneOffset();
    expect(formatClock(T - offMin * 60_000_000, 'local')).toBe('12:34:56.789012');
  });

  it('formats signed deltas in seconds', () => {
    expect(formatDelta(12_345)).toBe('+0.012345');
    expect(formatDelta(-1_000_000)).toBe('-1.000000');
    expect(formatDelta(0)).toBe('+0.000000');
  });

  it('picks the row time text by mode', () => {
    expect(formatRowTime(T, 'abs', 'utc', null, T)).toBe('12:34:56.789012');
    expect(formatRowTime(T + 5, 'delta-prev', 'utc', T, T - 10)).toBe('+0.000005');
    expect(formatRowTime(T + 5, 'delta-first', 'utc', T, T - 10)).toBe('+0.000015');
    expect(formatRowTime(T, 'delta-prev', 'utc', null, T)).toBe('+0.000000');
  });

  it('formats durations for people', () => {
    expect(formatDuration(850_000)).toBe('850 ms');
    expect(formatDuration(12_400_000)).toBe('12.4 s');
    expect(formatDuration(185_000_000)).toBe('3 m 05 s');
    expect(formatDuration(7_260_000_000)).toBe('2 h 01 m');
  });

  it('names the zone explicitly', () => {
    expect(zoneLabel('utc', T)).toBe('UTC');
    expect(zoneLabel('local', T)).toMatch(/^local, UTC[+-]\d\d:\d\d$/);
  });
});
