/** Client-side sort of loaded search results (the API pages by start time). Pure; returns a copy. */
import type { ApiGroupSummary } from '../../../server/api/types.ts';
import type { SortKey } from './search-params.ts';

export function sortGroups(items: readonly ApiGroupSummary[], key: SortKey, desc: boolean): ApiGroupSummary[] {
  const dir = desc ? -1 : 1;
  const val = (g: ApiGroupSummary): string | number | null => (key === 'legs' ? g.legs : g[key]);
  return [...items].sort((a, b) => {
    const x = val(a);
    const y = val(b);
    // Missing values last whatever the direction: an unanswered call has no status to compare.
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return c * dir || a.start - b.start;
  });
}
