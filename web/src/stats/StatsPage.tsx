/**
 * "/stats": call statistics of a time range, optionally of one address. Every bar opens the search
 * list ("/") with the range the figures were counted over and the bar's own filter.
 */
import { useMemo } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useStatsQuery } from '../api/queries.ts';
import type { SearchFilters } from '../search/search-params.ts';
import { parseStatsFilters, searchLink, serializeStatsFilters } from './stats-params.ts';
import { StatsForm } from './StatsForm.tsx';
import { KpiTiles } from './KpiTiles.tsx';
import { BarChart, type Bar } from './BarChart.tsx';
import { SeriesChart } from './SeriesChart.tsx';
import './StatsPage.css';

export function StatsPage() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseStatsFilters(params), [params]);
  const stats = useStatsQuery(filters);
  const navigate = useNavigate();
  const s = stats.data;

  const open = (narrow: Partial<SearchFilters>, from = s?.from ?? null, to = s?.to ?? null) => navigate(searchLink(filters, from, to, narrow));
  const charts = useMemo(() => {
    if (!s) return null;
    const dispositions: Bar[] = s.dispositions.map((d) => ({ key: d.disposition, label: d.disposition, value: d.calls, tone: d.disposition }));
    const statuses: Bar[] = s.statuses.map((x) => ({ key: String(x.status), label: String(x.status), value: x.calls, tone: `${Math.floor(x.status / 100)}xx` }));
    const codes: Bar[] = s.failureCodes.map((x) => ({ key: String(x.status), label: String(x.status), value: x.calls, tone: `${Math.floor(x.status / 100)}xx` }));
    const peers: Bar[] = s.failingPeers.map((p) => ({ key: p.ip, label: p.alias ? `${p.alias} (${p.ip})` : p.ip, value: p.calls, tone: 'failed' }));
    return { dispositions, statuses, codes, peers };
  }, [s]);

  return (
    <div className="StatsPage">
      <StatsForm filters={filters} onSubmit={(f) => setParams(serializeStatsFilters(f))} onRefresh={() => void stats.refetch()} />
      <div className="StatsPage--status" role="status" aria-live="polite" data-testid="stats-status">
        {stats.isError ? <span className="StatsPage--error">Statistics failed: {stats.error.message}</span>
          : stats.isPending ? 'Counting…' : stats.isFetching ? 'Refreshing…' : ''}
      </div>
      {s && charts && (
        <div className="StatsPage--body">
          <KpiTiles s={s} />
          <SeriesChart
            series={s.series}
            bucketMicros={s.bucketMicros}
            zone={filters.tz}
            // The bucket's own time, within the range counted.
            onPick={(p) => open({}, Math.max(p.start, s.from ?? p.start), Math.min(p.start + s.bucketMicros - 1, s.to ?? Infinity))}
          />
          <div className="StatsPage--grid">
            <BarChart title="Disposition" testId="stats-dispositions" bars={charts.dispositions} empty="No calls."
              onPick={(b) => open({ disposition: b.key as SearchFilters['disposition'] })} />
            <BarChart title="Final status" testId="stats-statuses" bars={charts.statuses} empty="No final answers."
              onPick={(b) => open({ status: b.key })} />
            <BarChart title="Top failure codes" testId="stats-codes" bars={charts.codes} empty="No network failures."
              onPick={(b) => open({ status: b.key })} />
            <BarChart title="Top failing peers" testId="stats-peers" bars={charts.peers} empty="No network failures."
              onPick={(b) => open({ ip: b.key })} />
          </div>
        </div>
      )}
    </div>
  );
}
