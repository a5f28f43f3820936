/**
 * Search results: one row per correlation group, virtualized (only rows in view are in the DOM),
 * sortable by column header. Enter or click opens the flow; arrow keys move between rows.
 */
import { type KeyboardEvent, useEffect, useMemo, useRef } from 'react';
import type { ApiGroupSummary } from '../../../server/api/types.ts';
import { uniformRowIndex } from '../ladder/row-index.ts';
import { useVirtualRows } from '../ui/useVirtualRows.ts';
import { formatDateTime, formatDuration, type Zone } from '../model/time-format.ts';
import { statusClass } from '../ladder/colors.ts';
import type { SortKey } from './search-params.ts';
import { useLiveRows } from '../live/useLiveRows.ts';
import { NewRowsButton } from '../live/SearchLive.tsx';
import { EmptyStore } from './EmptyStore.tsx';
import type { Disposition } from '../../../server/kpi/codes.ts';
import { ProblemBadges } from './ProblemBadges.tsx';
import { SCENARIO_TITLES } from '../../../server/correlate/scenario-kind.ts';
import './ResultsTable.css';

/** 30 px rows: one line of 13 px text with room for the focus ring. */
const ROW_H = 30;
const HEAD_H = 32;

interface Props {
  items: ApiGroupSummary[];
  zone: Zone;
  sort: SortKey;
  desc: boolean;
  onSort(key: SortKey): void;
  onOpen(groupId: string): void;
  onEndReached(): void;
  /** True when the store holds no call at all: the empty table says how to send traffic. */
  storeEmpty?: boolean;
}

/** Columns in order; every one sorts but problems (a set of codes). */
const COLUMNS: { key: SortKey | 'problems'; label: string }[] = [
  { key: 'start', label: 'Start' },
  { key: 'duration', label: 'Duration' },
  { key: 'legs', label: 'Legs' },
  { key: 'scenario', label: 'Scenario' },
  { key: 'messages', label: 'Msgs' },
  { key: 'caller', label: 'Caller' },
  { key: 'callee', label: 'Callee' },
  { key: 'status', label: 'Status' },
  { key: 'disposition', label: 'Disposition' },
  { key: 'pddMs', label: 'PDD' },
  { key: 'problems', label: 'Problems' },
  { key: 'groupId', label: 'Call-ID / correlation' },
];

/** Colour class of a disposition (the status colours): answered green, ringing provisional, failures red. */
const DISPOSITION_CLASS: Record<Disposition, string> = {
  answered: 'st-success', 'in-progress': 'st-provisional', busy: 'st-client-error', 'no-answer': 'st-client-error',
  cancelled: 'st-redirect', rejected: 'st-client-error', failed: 'st-server-error',
};


export function ResultsTable({ items, zone, sort, desc, onSort, onOpen, onEndReached, storeEmpty = false }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const index = useMemo(() => uniformRowIndex(items.length, ROW_H), [items.length]);
  const { start, end } = useVirtualRows(scroller, index, HEAD_H);
  const keys = useMemo(() => items.map((g) => g.groupId), [items]);
  const live = useLiveRows(scroller, keys, ROW_H, HEAD_H);
  const atEnd = items.length > 0 && end >= items.length;
  useEffect(() => {
    if (atEnd) onEndReached();
  }, [atEnd, items.length, onEndReached]);

  const focusRow = (i: number) => {
    const el = scroller.current;
    if (!el || i < 0 || i >= items.length) return;
    const top = i * ROW_H;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_H > el.scrollTop + el.clientHeight - HEAD_H) el.scrollTop = top + ROW_H - el.clientHeight + HEAD_H;
    requestAnimationFrame(() => el.querySelector<HTMLElement>(`[data-row="${i}"]`)?.focus());
  };

  const onKey = (e: KeyboardEvent<HTMLDivElement>, i: number, id: string) => {
    if (e.key === 'Enter') onOpen(id);
    else if (e.key === 'ArrowDown' || e.key === 'j') focusRow(i + 1);
    else if (e.key === 'ArrowUp' || e.key === 'k') focusRow(i - 1);
    else return;
    e.preventDefault();
  };

  return (
    <div className="ResultsTable" ref={scroller} role="table" aria-label="Search results" aria-rowcount={items.length + 1} data-testid="results">
      <div className="ResultsTable--head" role="row" style={{ height: HEAD_H }}>
        {COLUMNS.map(({ key, label }) =>
          key === 'problems' ? (
            <div key={key} role="columnheader" className={`ResultsTable--cell ResultsTable--${key} ResultsTable--label`}>
              {label}
            </div>
          ) : (
            <div key={key} role="columnheader" aria-sort={sort === key ? (desc ? 'descending' : 'ascending') : 'none'} className={`ResultsTable--cell ResultsTable--${key}`}>
              <button type="button" className="ResultsTable--sort" onClick={() => onSort(key)}>
                {label}
                {sort === key ? (desc ? ' ▼' : ' ▲') : ''}
              </button>
            </div>
          ),
        )}
      </div>
      <NewRowsButton count={live.unseen} onClick={live.toTop} />
      <div className="ResultsTable--body" style={{ height: items.length * ROW_H }}>
        {items.length === 0 && (storeEmpty ? <EmptyStore /> : <p className="ResultsTable--empty">No calls match. Widen the time range or clear a filter.</p>)}
        {items.slice(start, end).map((g, k) => {
          const i = start + k;
          return (
            <div
              key={g.groupId}
              role="row"
              tabIndex={0}
              aria-rowindex={i + 2}
              data-row={i}
              data-testid="result-row"
              data-group-id={g.groupId}
              className="ResultsTable--row"
              style={{ top: i * ROW_H, height: ROW_H }}
              onClick={() => onOpen(g.groupId)}
              onKeyDown={(e) => onKey(e, i, g.groupId)}
            >
              <div role="cell" className="ResultsTable--cell ResultsTable--start mono">{formatDateTime(g.start, zone).slice(0, 23)}</div>
              <div role="cell" className="ResultsTable--cell ResultsTable--duration">{formatDuration(g.duration)}</div>
              <div role="cell" className="ResultsTable--cell ResultsTable--legs">{g.legs}</div>
              <div role="cell" className="ResultsTable--cell ResultsTable--scenario" data-testid="result-scenario">
                <span className={`ResultsTable--kind is-${g.scenario}`} title={SCENARIO_TITLES[g.scenario]}>{g.scenario}</span>
              </div>
              <div role="cell" className="ResultsTable--cell ResultsTable--messages">{g.messages}</div>
              <div role="cell" className="ResultsTable--cell ResultsTable--caller">{g.caller ?? '—'}</div>
              <div role="cell" className="ResultsTable--cell ResultsTable--callee">{g.callee ?? '—'}</div>
              <div role="cell" className={`ResultsTable--cell ResultsTable--status st-${statusClass(g.status)}`}>
                {g.status ?? (g.method ? `${g.method} …` : '—')}
              </div>
              <div role="cell" className={`ResultsTable--cell ResultsTable--disposition ${g.disposition ? DISPOSITION_CLASS[g.disposition] ?? '' : ''}`}>
                {g.disposition ?? '—'}
              </div>
              <div role="cell" className="ResultsTable--cell ResultsTable--pddMs">{g.pddMs === null ? '—' : formatDuration(g.pddMs * 1000)}</div>
              <div role="cell" className="ResultsTable--cell ResultsTable--problems" data-testid="result-problems">
                <ProblemBadges codes={g.problems} />
              </div>
              <div role="cell" className="ResultsTable--cell ResultsTable--groupId mono" title={[...g.callIds, ...g.correlationIds].join('\n')}>
                {g.groupId}
                {g.callIds.length > 1 ? ` +${g.callIds.length - 1}` : ''}
                {g.correlationIds.length > 0 ? ` · ${g.correlationIds[0]}` : ''}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
