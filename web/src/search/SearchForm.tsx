/** The search form: free text, time range (preset or absolute, explicit zone), field filters and KPI filters. */
import { type FormEvent, useEffect, useState } from 'react';
import type { SearchFilters } from './search-params.ts';
import { TimeRangeFields, useTypedRange } from './TimeRangeFields.tsx';
import { DISPOSITIONS, PROBLEM_CODES, PROBLEM_CODE_LIST, type ProblemCode } from '../../../server/kpi/codes.ts';
import { SCENARIO_KINDS, SCENARIO_TITLES } from '../../../server/correlate/scenario-kind.ts';
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
  const typed = useTypedRange(filters);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => setDraft(filters), [filters]);

  const set = <K extends keyof SearchFilters>(k: K, v: SearchFilters[K]) => setDraft((d) => ({ ...d, [k]: v }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const range = typed.read(draft.range, draft.tz);
    if ('error' in range) return setError(range.error);
    const { from, to } = range;
    const minPddMs = draft.minPddMs.trim();
    if (minPddMs && !/^\d{1,9}$/.test(minPddMs)) return setError('Min PDD must be a whole number of milliseconds');
    setError(null);
    onSubmit({ ...draft, from, to, status: draft.status.trim(), method: draft.method.trim().toUpperCase(), minPddMs });
  };

  const toggleProblem = (code: ProblemCode, on: boolean) =>
    set('problems', PROBLEM_CODE_LIST.filter((c) => (c === code ? on : draft.problems.includes(c))));

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
        <TimeRangeFields range={draft.range} tz={draft.tz} typed={typed} onRange={(r) => set('range', r)} onZone={(tz) => set('tz', tz)} testId="search" />
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
      <div className="SearchForm--line">
        <AnyOf label="Disposition" value={draft.disposition} options={DISPOSITIONS} onChange={(v) => set('disposition', v)} testId="search-disposition" />
        <AnyOf label="Scenario" value={draft.scenario} options={SCENARIO_KINDS} titles={SCENARIO_TITLES} onChange={(v) => set('scenario', v)} testId="search-scenario" />
        <label className="SearchForm--field">
          <span>Min PDD (ms)</span>
          <input
            inputMode="numeric"
            value={draft.minPddMs}
            onChange={(e) => set('minPddMs', e.target.value)}
            placeholder="3000"
            data-testid="search-minPddMs"
          />
        </label>
        <details className="SearchForm--problems" data-testid="search-problems">
          <summary>Problems: {draft.problems.length ? draft.problems.join(', ') : 'any'}</summary>
          <fieldset>
            <legend className="visually-hidden">Groups with any of these problems</legend>
            {PROBLEM_CODE_LIST.map((c) => (
              <label key={c} title={PROBLEM_CODES[c]}>
                <input
                  type="checkbox"
                  checked={draft.problems.includes(c)}
                  onChange={(e) => toggleProblem(c, e.target.checked)}
                  data-testid={`search-problem-${c}`}
                />{' '}
                {c}
              </label>
            ))}
          </fieldset>
        </details>
      </div>
      {error && (
        <p className="SearchForm--error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** A select of one of `options`, or '' for any; each option's meaning on hover when `titles` has it. */
function AnyOf<T extends string>(p: {
  label: string;
  value: T | '';
  options: readonly T[];
  titles?: Readonly<Record<T, string>>;
  onChange(v: T | ''): void;
  testId: string;
}) {
  return (
    <label className="SearchForm--field">
      <span>{p.label}</span>
      <select value={p.value} onChange={(e) => p.onChange(e.target.value as T | '')} data-testid={p.testId}>
        <option value="">any</option>
        {p.options.map((o) => (
          <option key={o} value={o} title={p.titles?.[o]}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}
