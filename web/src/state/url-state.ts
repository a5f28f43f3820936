/**
 * The flow view's share state ↔ URL query string. Every part of the view a colleague must see
 * the same is here, so a link shares the view; the group id is the path (/flow/:id).
 * Lists are repeated parameters (hideLeg=a&hideLeg=b), so values may hold any character.
 * Defaults are left out of the query, so a plain /flow/:id is the default view.
 *
 *   side    both | caller | callee          pivot   endpoint id (ip:port) of the pivot column
 *   hideLeg Call-ID of a hidden leg          hideCol column key of a hidden column
 *   group   ip:port | ip | alias             col     column key, in display order
 *   time    abs | delta-prev | delta-first   tz      utc | local
 *   msg     selected message id (a second one = compare)
 *   hideKind item kind not shown: log | rest | transport | rtcp | qos | other | sip
 *   unlink  Call-ID of a leg the user took out of the group (an inferred link they do not believe)
 */
import { GROUPINGS, type Grouping } from '../ladder/columns.ts';
import type { SideMode } from '../ladder/sides.ts';
import { ITEM_KINDS, type ItemKind } from '../ladder/kinds.ts';

export type TimeMode = 'abs' | 'delta-prev' | 'delta-first';
export type TimeZoneMode = 'utc' | 'local';
export const TIME_MODES: readonly TimeMode[] = ['abs', 'delta-prev', 'delta-first'];
export const TIME_ZONES: readonly TimeZoneMode[] = ['utc', 'local'];
export const SIDE_MODES: readonly SideMode[] = ['both', 'caller', 'callee'];

export interface FlowUrlState {
  side: SideMode;
  /** Endpoint id of the pivot; null = the default pivot. */
  pivot: string | null;
  /** Call-IDs of hidden legs. */
  hiddenLegs: string[];
  /** Keys of hidden columns (in the grouping below). */
  hiddenColumns: string[];
  grouping: Grouping;
  /** Column keys in display order; empty = default order. */
  columnOrder: string[];
  /** null = the user's saved preference. */
  timeMode: TimeMode | null;
  timeZone: TimeZoneMode | null;
  /** Selected message ids: one opens its detail, two compare them. */
  selected: string[];
  /** Item kinds hidden (ladder/kinds.ts): logs, REST, transport events, RTCP, QoS. */
  hiddenKinds: ItemKind[];
  /**
   * Call-IDs of legs unlinked from the group: a link the server only inferred (no shared id) that
   * the user judged wrong. Off the ladder with their messages, as hidden legs are, but told apart
   * in the legend so that hiding all legs and showing them again does not bring them back.
   */
  unlinkedLegs: string[];
}

export const DEFAULT_FLOW_STATE: FlowUrlState = {
  side: 'both',
  pivot: null,
  hiddenLegs: [],
  hiddenColumns: [],
  grouping: 'ip:port',
  columnOrder: [],
  timeMode: null,
  timeZone: null,
  selected: [],
  hiddenKinds: [],
  unlinkedLegs: [],
};

/** At most two messages are selected: one to read, two to compare. */
export const MAX_SELECTED = 2;

function oneOf<T extends string>(allowed: readonly T[], v: string | null, fallback: T): T;
function oneOf<T extends string>(allowed: readonly T[], v: string | null, fallback: null): T | null;
function oneOf<T extends string>(allowed: readonly T[], v: string | null, fallback: T | null): T | null {
  return v !== null && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}

const nonEmpty = (xs: string[]) => xs.filter((x) => x.length > 0);

export function parseFlowState(search: string | URLSearchParams): FlowUrlState {
  const p = typeof search === 'string' ? new URLSearchParams(search) : search;
  return {
    side: oneOf(SIDE_MODES, p.get('side'), 'both'),
    pivot: p.get('pivot') || null,
    hiddenLegs: nonEmpty(p.getAll('hideLeg')),
    hiddenColumns: nonEmpty(p.getAll('hideCol')),
    grouping: oneOf(GROUPINGS, p.get('group'), 'ip:port'),
    columnOrder: nonEmpty(p.getAll('col')),
    timeMode: oneOf(TIME_MODES, p.get('time'), null),
    timeZone: oneOf(TIME_ZONES, p.get('tz'), null),
    selected: nonEmpty(p.getAll('msg')).slice(0, MAX_SELECTED),
    hiddenKinds: [...new Set(p.getAll('hideKind'))].filter((k): k is ItemKind => (ITEM_KINDS as readonly string[]).includes(k)),
    unlinkedLegs: [...new Set(nonEmpty(p.getAll('unlink')))],
  };
}

/** The query string (without "?") for a state; parameters at their default are left out. */
export function serializeFlowState(s: FlowUrlState): string {
  const p = new URLSearchParams();
  if (s.side !== 'both') p.set('side', s.side);
  if (s.pivot) p.set('pivot', s.pivot);
  for (const v of s.hiddenLegs) p.append('hideLeg', v);
  for (const v of s.hiddenColumns) p.append('hideCol', v);
  if (s.grouping !== 'ip:port') p.set('group', s.grouping);
  for (const v of s.columnOrder) p.append('col', v);
  if (s.timeMode) p.set('time', s.timeMode);
  if (s.timeZone) p.set('tz', s.timeZone);
  for (const v of s.selected.slice(0, MAX_SELECTED)) p.append('msg', v);
  for (const v of s.hiddenKinds) p.append('hideKind', v);
  for (const v of s.unlinkedLegs) p.append('unlink', v);
  return p.toString();
}

/** Call-IDs of the legs kept off the ladder: hidden ones and unlinked ones, each once. */
export function legsOffLadder(s: Pick<FlowUrlState, 'hiddenLegs' | 'unlinkedLegs'>): string[] {
  if (s.unlinkedLegs.length === 0) return s.hiddenLegs;
  return [...new Set([...s.hiddenLegs, ...s.unlinkedLegs])];
}

/** The path and query of a flow view. */
export function flowHref(groupId: string, s: FlowUrlState): string {
  const q = serializeFlowState(s);
  return `/flow/${encodeURIComponent(groupId)}${q ? `?${q}` : ''}`;
}

/** Toggles `value` in a list, returning a new list (the input is never changed). */
export function toggleIn(list: readonly string[], value: string): string[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}
