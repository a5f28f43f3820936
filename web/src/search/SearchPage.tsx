/** "/": the search form, then the results of the filters in the URL. */
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useCallsSearch, useStoreEmpty } from '../api/queries.ts';
import { parseFilters, serializeFilters, type SearchFilters, type SortKey } from './search-params.ts';
import { sortGroups } from './sort.ts';
import { SearchForm } from './SearchForm.tsx';
import { ResultsTable } from './ResultsTable.tsx';
import { useLiveSearch } from '../live/useLiveSearch.ts';
import { LiveToggle } from '../live/SearchLive.tsx';
import './SearchPage.css';

export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseFilters(params), [params]);
  const navigate = useNavigate();
  const search = useCallsSearch(filters);
  // Live by default for ranges that end now; a range that ended can gain nothing new.
  const [liveOn, setLiveOn] = useState(true);
  const liveEndsNow = filters.range !== 'custom' || filters.to === null;
  const live = useLiveSearch(filters, liveOn && liveEndsNow);
  const items = useMemo(() => search.data?.pages.flatMap((p) => p.items) ?? [], [search.data]);
  const sorted = useMemo(() => sortGroups(items, filters.sort, filters.desc), [items, filters.sort, filters.desc]);
  const storeEmpty = useStoreEmpty(search.isSuccess && items.length === 0).data === true;

  const apply = (f: SearchFilters) => setParams(serializeFilters(f));
  const onSort = (key: SortKey) =>
    apply({ ...filters, sort: key, desc: filters.sort === key ? !filters.desc : key === 'start' || key === 'duration' });

  return (
    <div className="SearchPage">
      <SearchForm filters={filters} onSubmit={apply} onRefresh={() => void search.refetch()} />
      <div className="SearchPage--status" role="status" aria-live="polite" data-testid="result-count">
        {search.isError ? (
          <span className="SearchPage--error">Search failed: {search.error.message}</span>
        ) : search.isPending ? (
          'Searching…'
        ) : (
          <>
            {sorted.length} group{sorted.length === 1 ? '' : 's'}
            {search.hasNextPage ? ' (more available)' : ''}
            {search.isFetching ? ' · refreshing…' : ''}
          </>
        )}{' '}
        <LiveToggle status={live} possible={liveEndsNow} on={liveOn} onChange={setLiveOn} />
      </div>
      <ResultsTable
        items={sorted}
        zone={filters.tz}
        sort={filters.sort}
        desc={filters.desc}
        onSort={onSort}
        onOpen={(id) => navigate(`/flow/${encodeURIComponent(id)}`)}
        storeEmpty={storeEmpty}
        onEndReached={() => {
          if (search.hasNextPage && !search.isFetchingNextPage) void search.fetchNextPage();
        }}
      />
    </div>
  );
}
