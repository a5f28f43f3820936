/** The search form: free text, time range (preset or absolute, explicit zone) and field filters. */
import { type FormEvent, useEffect, useState } from 'react';
import { PRESETS, type Preset, parseZonedInput, toZonedInput } from './time-range.ts';
import type { SearchFilters } from './search-params.ts';
import type { Zone } from '../model/time-format.ts';
import './SearchForm.css';

interface Props {
  filters: SearchFilters;
  onSubmit(f: SearchFilters): void;
  onRefresh(): void;
}

type Field = 'callId' | 'correlationId' | 'user' | 'ip' | 'method' | 'status';
const FIELDS: { key: Field; label: string; placeholder: string }[] = [
  { key: 'callId', label: 'Call-ID', placeholder: 'a84b4c76e66710@pc33' },
  { key: 'correlationId', label: 'Correlation id', placeholder: 'X-CID / HEP 0x0011' },
  { key: 'user', label: 'From/To user', placeholder: 'alice' },
  { key: 'ip', label: 'IP', placeholder: '10.0.0.1' },
  { key: 'method', label: 'Method', placeholder: 'INVITE' },
  { key: 'status', label: 'Status', placeholder: '486' },
];

export function SearchForm({ filters, onSubmit, onRefresh }: Props) {
  const [draft, setDraft] = useState(filters);
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setDraft(filters);
    setFromText(filters.from !== null ? toZonedInput(filters.from, filters.tz) : '');
    setToText(filters.to !== null ? toZonedInput(filters.to, filters.tz) : '');
  }, [filters]);

  const set = <K extends keyof SearchFilters>(k: K, v: SearchFilters[K]) => setDraft((d) => ({ ...d, [k]: v }));

  const changeZone = (tz: Zone) => {
    // Keep the instants typed so far; show them in the new zone.
    const from = parseZonedInput(fromText, draft.tz);
    const to = parseZonedInput(toText, draft.tz);
    if (from !== null) setFromText(toZonedInput(from, tz));
    if (to !== null) setToText(toZonedInput(to, tz));
    set('tz', tz);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    let from: number | null = null;
    let to: number | null = null;
    if (draft.range === 'custom') {
      from = fromText ? parseZonedInput(fromText, draft.tz) : null;
      to = toText ? parseZonedInput(toText, draft.tz) : null;
      if ((fromText && from === null) || (toText && to === null)) return setError('From/To must be dates like 2024-05-01T12:00:00');
      if (from !== null && to !== null && from > to) return setError('From is after To');
    }
    setError(null);
    onSubmit({ ...draft, from, to, status: draft.status.trim(), method: draft.method.trim().toUpperCase() });
  };

  return (
    <form className="SearchForm" onSubmit={submit} role="search" aria-label="Search calls">
      <div className="SearchForm--line">
        <label className="SearchForm--q">
          <span className="visually-hidden">Any id</span>
          <input
            type="search"
            value={draft.q}
            onChange={(e) => set('q', e.target.value)}
            placeholder="Any Call-ID, correlation id, user or IP"
            data-testid="search-q"
            autoFocus
          />
        </label>
        <label>
          Time{' '}
          <select value={draft.range} onChange={(e) => set('range', e.target.value as Preset)} data-testid="search-range">
            {PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        {draft.range === 'custom' && (
          <>
            <label>
              From <input type="datetime-local" step="0.001" value={fromText} onChange={(e) => setFromText(e.target.value)} data-testid="search-from" />
            </label>
            <label>
              To <input type="datetime-local" step="0.001" value={toText} onChange={(e) => setToText(e.target.value)} data-testid="search-to" />
            </label>
          </>
        )}
        <label>
          Zone{' '}
          <select value={draft.tz} onChange={(e) => changeZone(e.target.value as Zone)} data-testid="search-tz">
            <option value="utc">UTC</option>
            <option value="local">Browser local</option>
          </select>
        </label>
        <button type="submit" className="btn is-primary" data-testid="search-submit">
          Search
        </button>
        <button type="button" className="btn" onClick={onRefresh}>
          Refresh
        </button>
        <label>
          <input type="checkbox" checked={draft.auto} onChange={(e) => onSubmit({ ...filters, auto: e.target.checked })} /> Auto-refresh
        </label>
      </div>
      <div className="SearchForm--line">
        {FIELDS.map((f) => (
          <label key={f.key} className="SearchForm--field">
            <span>{f.label}</span>
            <input value={draft[f.key]} onChange={(e) => set(f.key, e.target.value)} placeholder={f.placeholder} data-testid={`search-${f.key}`} />
          </label>
        ))}
      </div>
      {error && (
        <p className="SearchForm--error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
