/**
 * What kind of scenario a correlation group is, named once for the group view and the search
 * list alike: both pass the same inputs, the links among the group's calls and what each call's
 * search row keeps (store/summary.ts CallSummary), so they cannot disagree. Roles (roles.ts) read
 * every message; the search cannot afford that, so the kind reads only these. Pure.
 *
 * Decision order (the first rule that holds wins; each is the strongest evidence left):
 *  1. A REFER whose Refer-To carries Replaces (refer-replaces): 'attended-transfer'.
 *  2. An INVITE with Replaces that says early-only, or that names a call of the group never
 *     answered (a ringing dialog, RFC 3891 §3), or a call to a pickup feature user (*8, **NNN,
 *     "pickup"): 'pickup'.
 *  3. A call to a park or retrieve orbit user ("park+701", "unpark+701"): 'park'.
 *  4. A new INVITE matched to a REFER's target (blind-transfer): 'blind-transfer'.
 *  5. Any other Replaces (of an answered call; its REFER was not captured): 'attended-transfer'.
 *  6. History-Info, Diversion or a 3xx redirect: 'forward'.
 *  7. A call other than the first to a media-server user ("queue-moh", "ivr", "announcement"):
 *     'queue'.
 *  8. Two calls or more tied by B2B links (shared HEP correlation id, A-leg header, _b2b-N suffix,
 *     Session-ID, icid-value, a user rule, an inferred link): 'b2b'.
 *  9. Otherwise 'basic' (a Join, RFC 3911, names no kind of its own).
 * Users are the ones roles.ts matches (the same patterns), read from the call's first request:
 * its Request-URI user, else its To user.
 */
import type { StoredLink } from '../store/types.ts';
import { B2B_RULES, EARLY_ONLY, FORWARD_RULES, MEDIA_USER, PARK_USER, PICKUP_USER, RETRIEVE_USER } from './roles.ts';

/** Every kind, in the decision order's first appearance (the API's enum and the search form's list). */
export const SCENARIO_KINDS = ['attended-transfer', 'pickup', 'park', 'blind-transfer', 'forward', 'queue', 'b2b', 'basic'] as const;
export type ScenarioKind = (typeof SCENARIO_KINDS)[number];

/** What each kind means, as the app shows it on hover (the rule above that names it). */
export const SCENARIO_TITLES: Readonly<Record<ScenarioKind, string>> = {
  'attended-transfer': 'Attended transfer: a REFER with Replaces, or an INVITE replacing an answered call',
  pickup: 'Call pickup: an INVITE replacing a ringing call (early-only), or a pickup feature code',
  park: 'Call park: a call to a park orbit, or its retrieval',
  'blind-transfer': 'Blind transfer: a new call to the target of a REFER',
  forward: 'Forwarded or redirected: History-Info, Diversion or a 3xx',
  queue: 'Queue: a later leg to a media server (queue, music on hold, announcement, IVR)',
  b2b: 'B2B: legs of one call through a B2BUA or SBC, tied by a shared id',
  basic: 'Basic call: nothing links it to a transfer, pickup, park, forward, queue or B2BUA',
};

/** What the kind reads of one call: its search row's fields. */
export interface ScenarioCall {
  callId: string;
  /** Request-URI user of the call's first request, else its To user (summary.ts `callee`). */
  callee: string | null;
  /** True once the initial INVITE had a 2xx (summary.ts `setup_ms` not null). */
  answered: boolean;
}

/** What the kind reads of one link. */
export type ScenarioLink = Pick<StoredLink, 'callId' | 'target' | 'rule' | 'value'>;

/**
 * The kind of the group of `calls` (earliest first, as the store orders them: start, then
 * Call-ID) and `links` (every link of those calls, in any order).
 */
export function scenarioKind(calls: readonly ScenarioCall[], links: readonly ScenarioLink[]): ScenarioKind {
  const has = (rule: StoredLink['rule']): boolean => links.some((l) => l.rule === rule);
  const calledUser = (re: RegExp, from = 0): boolean => calls.some((c, i) => i >= from && c.callee !== null && re.test(c.callee));
  const byId = new Map(calls.map((c) => [c.callId, c]));
  const replaces = links.filter((l) => l.rule === 'replaces');

  if (has('refer-replaces')) return 'attended-transfer';
  const ringing = (l: ScenarioLink): boolean => EARLY_ONLY.test(l.value) || byId.get(l.target)?.answered === false;
  if (replaces.some(ringing) || calledUser(PICKUP_USER)) return 'pickup';
  if (calledUser(PARK_USER) || calledUser(RETRIEVE_USER)) return 'park';
  if (has('blind-transfer')) return 'blind-transfer';
  if (replaces.length) return 'attended-transfer';
  if (links.some((l) => FORWARD_RULES.has(l.rule))) return 'forward';
  if (calledUser(MEDIA_USER, 1)) return 'queue';
  if (calls.length > 1 && links.some((l) => B2B_RULES.has(l.rule))) return 'b2b';
  return 'basic';
}
