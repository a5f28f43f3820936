/** The stats page's filters: time range (a preset, or from/to in an explicit zone, as the search form takes them) and one address. */
import { type FormEvent, useEffect, useState } from 'react';
import { TimeRangeFields, useTypedRange } from '../search/TimeRangeFields.tsx';
import type { StatsFilters } from './stats-params.ts';
import '../search/SearchForm.css';

interface Props {
  filters: StatsFilters;
  onSubmit(f: StatsFilters): void;
  onRefresh(): void;
}

export function StatsForm({ filters, onSubmit, onRefresh }: Props) {
  const [draft, setDraft] = useState(filters);
  const typed = useTypedRange(filters);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => setDraft(filters), [filters]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const range = typed.read(draft.range, draft.tz);
    if ('error' in range) return setError(range.error);
    const { from, to } = range;
    setError(null);
    onSubmit({ ...draft, from, to, ip: draft.ip.trim() });
  };

  return (
    <form className="SearchForm" onSubmit={submit} aria-label="Statistics range">
      <div className="SearchForm--line">
        <TimeRangeFields range={draft.range} tz={draft.tz} typed={typed} onRange={(range) => setDraft({ ...draft, range })}
          onZone={(tz) => setDraft({ ...draft, tz })} testId="stats" />
        <label>
          Endpoint{' '}
          <input value={draft.ip} onChange={(e) => setDraft({ ...draft, ip: e.target.value })} placeholder="any (10.0.0.5 or an alias)" data-testid="stats-ip" />
        </label>
        <button type="submit" className="btn is-primary" data-testid="stats-submit">
          Show
        </button>
        <button type="button" className="btn" onClick={onRefresh}>
          Refresh
        </button>
      </div>
      {error && (
        <p className="SearchForm--error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
