/**
 * The time range as the search and stats forms take it: a preset, or From/To typed in an explicit
 * zone. useTypedRange keeps what is typed; TimeRangeFields draws the fields.
 */
import { useEffect, useState } from 'react';
import { PRESETS, type Preset, parseZonedInput, toZonedInput } from './time-range.ts';
import type { Zone } from '../model/time-format.ts';
import type { EpochMicros } from '../model/units.ts';

/** The From/To texts of a custom range, as typed. */
export interface TypedRange {
  fromText: string;
  toText: string;
  setFromText(v: string): void;
  setToText(v: string): void;
  /** The instants typed so far, shown in zone `to` rather than `from`. */
  rezone(from: Zone, to: Zone): void;
  /** The range typed, read in `tz` (both null for a preset), or why it cannot be read. */
  read(range: Preset, tz: Zone): { from: EpochMicros | null; to: EpochMicros | null } | { error: string };
}

/** The texts of `filters`' custom range, typed again whenever the filters change (a link, back and forward). */
export function useTypedRange(filters: { from: EpochMicros | null; to: EpochMicros | null; tz: Zone }): TypedRange {
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  useEffect(() => {
    setFromText(filters.from !== null ? toZonedInput(filters.from, filters.tz) : '');
    setToText(filters.to !== null ? toZonedInput(filters.to, filters.tz) : '');
  }, [filters.from, filters.to, filters.tz]);
  return {
    fromText, toText, setFromText, setToText,
    rezone(from, to) {
      const a = parseZonedInput(fromText, from);
      const b = parseZonedInput(toText, from);
      if (a !== null) setFromText(toZonedInput(a, to));
      if (b !== null) setToText(toZonedInput(b, to));
    },
    read(range, tz) {
      if (range !== 'custom') return { from: null, to: null };
      const from = fromText ? parseZonedInput(fromText, tz) : null;
      const to = toText ? parseZonedInput(toText, tz) : null;
      if ((fromText && from === null) || (toText && to === null)) return { error: 'From/To must be dates like 2024-05-01T12:00:00' };
      if (from !== null && to !== null && from > to) return { error: 'From is after To' };
      return { from, to };
    },
  };
}

interface Props {
  range: Preset;
  tz: Zone;
  typed: TypedRange;
  onRange(range: Preset): void;
  onZone(tz: Zone): void;
  /** Prefix of the fields' test ids ("search" → search-range, search-from, search-to, search-tz). */
  testId: string;
}

export function TimeRangeFields({ range, tz, typed, onRange, onZone, testId }: Props) {
  return (
    <>
      <label>
        Time{' '}
        <select value={range} onChange={(e) => onRange(e.target.value as Preset)} data-testid={`${testId}-range`}>
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      {range === 'custom' && (
        <>
          <label>
            From <input type="datetime-local" step="0.001" value={typed.fromText} onChange={(e) => typed.setFromText(e.target.value)} data-testid={`${testId}-from`} />
          </label>
          <label>
            To <input type="datetime-local" step="0.001" value={typed.toText} onChange={(e) => typed.setToText(e.target.value)} data-testid={`${testId}-to`} />
          </label>
        </>
      )}
      <label>
        Zone{' '}
        <select
          value={tz}
          onChange={(e) => {
            typed.rezone(tz, e.target.value as Zone);
            onZone(e.target.value as Zone);
          }}
          data-testid={`${testId}-tz`}
        >
          <option value="utc">UTC</option>
          <option value="local">Browser local</option>
        </select>
      </label>
    </>
  );
}
