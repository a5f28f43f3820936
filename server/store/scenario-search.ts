/**
 * Search by scenario kind, for every store alike. The kind is no column: it is named from a
 * group's calls and links as each page is read (summary.ts scenarioOf), so this reads the search
 * without it, page after page, and keeps the groups of that kind in the same order, up to a
 * page. A rare kind over a long range could mean reading every group: past `scanMax` groups read
 * it answers what it found so far, maybe nothing, with a cursor to go on from.
 */
import type { ScenarioKind } from '../correlate/scenario-kind.ts';
import type { CallQuery, GroupPage, GroupSummary, Store } from './types.ts';

/** Groups one request reads at most (~0.2 s on SQLite at 1,000 a page). */
export const SCENARIO_SCAN_MAX = 20_000;
const CHUNK = 1000;

export async function searchByScenario(store: Pick<Store, 'searchGroups'>, q: CallQuery, kind: ScenarioKind,
  scanMax = SCENARIO_SCAN_MAX): Promise<GroupPage> {
  const items: GroupSummary[] = [];
  // Where the last item kept was read: the chunk's cursor and the item's place in it.
  let keptFrom: string | undefined;
  let keptAt = -1;
  let cursor = q.cursor;
  for (let scanned = 0; ;) {
    const page = await store.searchGroups({ ...q, cursor, limit: Math.min(CHUNK, scanMax) });
    for (let i = 0; i < page.items.length; i++) {
      if (page.items[i].scenario !== kind) continue;
      if (items.length === q.limit) {
        // One more of the kind: the page is full and goes on just after its last item, whose
        // cursor is the next of the same read cut there (cursors are the store's own).
        const cut = await store.searchGroups({ ...q, cursor: keptFrom, limit: keptAt + 1 });
        return { items, next: cut.next };
      }
      items.push(page.items[i]);
      keptFrom = cursor;
      keptAt = i;
    }
    scanned += page.items.length;
    if (page.next === null || scanned >= scanMax) return { items, next: page.next };
    cursor = page.next;
  }
}
