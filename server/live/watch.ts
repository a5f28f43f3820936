/**
 * What one live stream watches, and whether a tick concerns it. Pure.
 * - A group: the keys of all its ids (Call-IDs and correlation ids); a new leg joins through a
 *   link that names one of them, and its own Call-ID is watched once the group is read again.
 * - The search list: changes to messages at or before the range's end (a new call, a changed
 *   summary). Under filters (GET /api/v1/calls's), only changes that could touch a row:
 *
 *   A group matches when every filter holds for some message of it, not necessarily the same
 *   one, nor the changed one (an ACK names no status=486, a hop of a proxied call no ip=), so
 *   a tick that matches no filter may still change a listed row. The watch therefore holds the
 *   ids of the groups its search found (`listed`, read again after each change): a tick hits
 *   when it touches one of them, or when a message in it meets one of the filters (a group
 *   that may match from now on), or, under two filters or more, when it links ids (a merge can
 *   join a group that met one filter to one that met the other). Under a KPI filter, any change.
 */
import type { EpochMicros } from '../store/types.ts';
import type { CallFilters } from '../api/query.ts';
import type { Tick } from './hub.ts';
import { idKey, termKey } from './keys.ts';

/** One filter: met by a tick that touches any of these id keys or carries any of these term keys. */
export interface Condition {
  ids: readonly number[];
  terms: readonly number[];
}

export interface SearchMatch {
  /** One per content filter (callId, correlationId, user, ip, method, status, q); never empty. */
  conditions: readonly Condition[];
  /** Id keys of the groups the search found. */
  listed: ReadonlySet<number>;
}

export type Watch =
  | { kind: 'group'; keys: ReadonlySet<number> }
  /** `match` null: no content filter, any change up to `to` counts. */
  | { kind: 'calls'; to: EpochMicros | null; match: SearchMatch | null };

/** The watch of a group whose ids are these (the id asked for is always among them: it may not be stored yet). */
export function groupWatch(asked: string, ids: readonly string[]): Watch {
  const keys = new Set<number>([idKey(asked)]);
  for (const id of ids) keys.add(idKey(id));
  return { kind: 'group', keys };
}

/**
 * The content filters of `f` as conditions (time is `to`, apart); empty when there is none, and
 * when one is a KPI of the first leg (disposition, problem, PDD, duration): a message cannot say
 * whether its group's KPI changed, so then every change counts.
 */
export function conditionsOf(f: CallFilters): Condition[] {
  const kpi = f.disposition !== undefined || (f.problems?.length ?? 0) > 0 || f.minPddMs !== undefined
    || f.minDurationMs !== undefined || f.maxDurationMs !== undefined;
  if (kpi) return [];
  const out: Condition[] = [];
  // The stores match a Call-ID or correlation id filter against every id of a group, as touchedBy keys them.
  if (f.callId) out.push({ ids: [idKey(f.callId)], terms: [] });
  if (f.correlationId) out.push({ ids: [idKey(f.correlationId)], terms: [] });
  if (f.user) out.push({ ids: [], terms: [termKey('user', f.user)] });
  if (f.ip) out.push({ ids: [], terms: [termKey('ip', f.ip)] });
  if (f.method) out.push({ ids: [], terms: [termKey('method', f.method)] });
  if (f.status !== undefined) out.push({ ids: [], terms: [termKey('status', f.status)] });
  // Free text: any id, user or address.
  if (f.q) out.push({ ids: [idKey(f.q)], terms: [termKey('user', f.q), termKey('ip', f.q)] });
  return out;
}

/**
 * The watch of a search list: `filters` as GET /api/v1/calls took them, `groups` the ids of the
 * groups that search found (any number; the more, the fewer changes to listed rows are missed).
 */
export function searchWatch(filters: CallFilters, groups: readonly { callIds: readonly string[]; correlationIds: readonly string[] }[]): Watch {
  const to = filters.to ?? null;
  const conditions = conditionsOf(filters);
  if (!conditions.length) return { kind: 'calls', to, match: null };
  const listed = new Set<number>();
  for (const g of groups) {
    for (const id of g.callIds) listed.add(idKey(id));
    for (const id of g.correlationIds) listed.add(idKey(id));
  }
  return { kind: 'calls', to, match: { conditions, listed } };
}

export function hits(w: Watch, tick: Tick): boolean {
  if (w.kind === 'group') return intersects(w.keys, tick.keys);
  if (w.to !== null && tick.minTs > w.to) return false;
  const m = w.match;
  if (m === null) return true;
  for (const c of m.conditions) {
    for (const k of c.ids) if (tick.keys.has(k)) return true;
    // Terms not read (nobody matched them when the batch was stored): it may meet this filter.
    for (const k of c.terms) if (tick.terms === null || tick.terms.has(k)) return true;
  }
  if (m.conditions.length > 1 && tick.linked) return true;
  return intersects(m.listed, tick.keys);
}

/** Whether two key sets share one; walks the smaller (a group has a few ids, a busy tick thousands). */
function intersects(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const k of small) if (large.has(k)) return true;
  return false;
}
