import { describe, expect, it } from 'vitest';
import { parseZonedInput, resolveRange, toZonedInput } from './time-range.ts';

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0) * 1000;

describe('time ranges', () => {
  it('resolves a preset to a window ending now', () => {
    expect(resolveRange('1h', NOW)).toEqual({ from: NOW - 3600e6, to: NOW });
  });

  it('has no bounds for any time and the typed bounds for custom', () => {
    expect(resolveRange('all', NOW)).toEqual({});
    expect(resolveRange('custom', NOW, { from: 5 })).toEqual({ from: 5 });
  });

  it('reads an input time in UTC with microseconds', () => {
    expect(parseZonedInput('2024-05-01T12:00:01.5', 'utc')).toBe(NOW + 1_500_000);
    expect(parseZonedInput('2024-05-01 12:00', 'utc')).toBe(NOW);
  });

  it('reads an input time in the local zone', () => {
    const local = parseZonedInput('2024-05-01T12:00', 'local')!;
    expect(local).toBe(new Date(2024, 4, 1, 12, 0).getTime() * 1000);
  });

  it('refuses text that is not a time', () => {
    expect(parseZonedInput('yesterday', 'utc')).toBeNull();
    expect(parseZonedInput('2024-13-01T00:00', 'utc')).toBeNull();
  });

  it('writes input text that reads back to the same millisecond in either zone', () => {
    for (const zone of ['utc', 'local'] as const) {
      expect(parseZonedInput(toZonedInput(NOW + 123_000, zone), zone)).toBe(NOW + 123_000);
    }
  });
});
