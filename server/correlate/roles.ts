/**
 * Leg roles for the diagram's legend, from the links between legs and the legs' own signalling.
 * Deterministic: the same legs and links always give the same roles. Decision order (the first
 * rule that holds wins; each is the strongest evidence left):
 *  1. INVITE with Replaces (RFC 3891) naming leg T: 'retrieve' when T is a parked call; 'pickup'
 *     when T was not answered yet when this leg began, or the Replaces says early-only (directed
 *     pickup by BLF/dialog-event phones replaces the ringing dialog); else 'replacement'.
 *  2. INVITE with Join (RFC 3911): 'leg' ("joins leg T").
 *  3. Feature codes / orbit users on the initial INVITE (Request-URI or To user): retrieve,
 *     pickup, park (see the patterns below).
 *  4. A dialog named by a REFER's Refer-To Replaces (RFC 5589 §7): 'consultation'.
 *  5. Matched blind transfer: 'park' when the Refer-To target is a park orbit, else 'blind-transfer';
 *     a forwarded (History-Info, Diversion) or redirected (3xx) call: 'leg', its text says which.
 *  6. A later leg towards a media-server user (queue, announcement, music on hold, IVR ...) or
 *     answered by a media-server User-Agent: 'media-server'.
 *  7. B2B pairs: legs tied by a shared HEP correlation id, an A-leg header, the _b2b-N suffix, a
 *     Session-ID, an icid-value, a user rule or an inferred link (inferred.ts),
 *     where the later leg's INVITE leaves the box that received the earlier leg's INVITE
 *     (same IP, ports may differ). The later leg is 'b2b-outbound' and the earlier 'b2b-inbound',
 *     except when the later leg goes straight back to the node that sent the earlier one to the
 *     box: that box is an external media server looping the call, and the later leg is
 *     'media-server' ("looped back from <box>") while the earlier keeps its own role.
 *  8. The first leg is 'original'; any other leg is 'leg' ("Leg N").
 * Texts number legs from 1 ("Leg 1" is index 0).
 */
import type { LegRole } from './types.ts';
import type { MessageMeta, StoredLink } from '../store/types.ts';
import type { LinkRule } from './types.ts';

/** Park orbits / park feature users: "park", "parking+701", "valet-3". */
export const PARK_USER = /^(?:park(?:ing)?|valet)(?:[-_+.]?\d+)?$/i;
/** Retrieval of a parked call by orbit user: "unpark+701", "retrieve-3". */
export const RETRIEVE_USER = /^(?:unpark|retrieve)(?:[-_+.]?\d+)?$/i;
/** Pickup feature codes: *8 (group pickup), **NNN (Asterisk/FreePBX directed pickup), "pickup". */
export const PICKUP_USER = /^(?:\*8|\*\*\d+|pickup(?:[-_+.]?\d+)?)$/i;
/** Users that name a playback service rather than a person. */
export const MEDIA_USER = /^(?:queue|moh|music|announce(?:ment)?|annc|playback|prompt|ivr|welcome|media|conf(?:erence)?|voicemail|vm)(?:[-_+.].*|\d*)$/i;
/** A Replaces that may replace an early dialog only (RFC 3891 §3): directed pickup of a ringing call. */
export const EARLY_ONLY = /early-only/i;
/** User-Agent / Server values of media servers. */
const MEDIA_AGENT = /media[ -]?server|announcement|\bivr\b/i;

/** Links that say two legs are one B2B session (not a transfer). */
export const B2B_RULES: ReadonlySet<LinkRule> = new Set(['hep-correlation-id', 'header', 'b2b-suffix', 'session-id', 'icid', 'user', 'inferred']);
/** Links that say a leg is a call forwarded or redirected from another leg, and how it reads. */
export const FORWARD_RULES: ReadonlyMap<LinkRule, string> = new Map([
  ['history-info', 'Forwarded call (History-Info'], ['diversion', 'Forwarded call (Diversion'], ['redirect', 'Redirected call (3xx'],
]);

export interface LegFacts {
  index: number;
  callId: string;
  /** The leg's messages without duplicate copies, in time order. */
  messages: MessageMeta[];
}

export interface LegRoleResult {
  role: LegRole;
  roleText: string;
}

interface Facts extends LegFacts {
  start: number;
  /** Initial INVITE hops (no To tag, first INVITE CSeq), in time order; empty when none. */
  hops: MessageMeta[];
  /** Time of the first 2xx to the initial INVITE, null when never answered. */
  answeredAt: number | null;
  /** Request-URI and To users of the initial INVITE's hops. */
  users: string[];
}

export function legRoles(legs: readonly LegFacts[], links: readonly StoredLink[]): LegRoleResult[] {
  const facts = legs.map(factsOf);
  const byCall = new Map(facts.map((f) => [f.callId, f]));
  const out: (LegRoleResult | null)[] = facts.map((f) => transferRole(f, byCall, links));
  b2bRoles(facts, links, out);
  return facts.map((f, i) => out[i] ?? (f.index === 0 ? { role: 'original', roleText: 'Original call' } : { role: 'leg', roleText: `Leg ${f.index + 1}` }));
}

function factsOf(leg: LegFacts): Facts {
  const first = leg.messages.find((m) => m.method === 'INVITE' && m.toTag === null);
  const hops = first ? leg.messages.filter((m) => m.method === 'INVITE' && m.toTag === null && m.cseqNum === first.cseqNum) : [];
  const answer = first
    ? leg.messages.find((m) => m.status !== null && m.status >= 200 && m.status < 300 && m.cseqMethod === 'INVITE' && m.cseqNum === first.cseqNum)
    : undefined;
  const users = hops.flatMap((h) => [h.ruriUser, h.toUser]).filter((u): u is string => !!u);
  return { ...leg, start: leg.messages[0]?.ts ?? 0, hops, answeredAt: answer?.ts ?? null, users };
}

const legNo = (f: Facts): number => f.index + 1;
const matchesAny = (f: Facts, re: RegExp): string | undefined => f.users.find((u) => re.test(u));

/** Rules 1 to 6: what the leg's own links and signalling say. */
function transferRole(f: Facts, byCall: Map<string, Facts>, links: readonly StoredLink[]): LegRoleResult | null {
  const own = links.filter((l) => l.callId === f.callId).sort((a, b) => a.ts - b.ts);
  const replaces = own.find((l) => l.rule === 'replaces' && byCall.has(l.target));
  if (replaces) {
    const t = byCall.get(replaces.target)!;
    if (isPark(t, links)) return { role: 'retrieve', roleText: `Retrieval of the call parked in leg ${legNo(t)}` };
    const early = EARLY_ONLY.test(replaces.value) || t.answeredAt === null || t.answeredAt > f.start;
    if (early) return { role: 'pickup', roleText: `Call pickup (replaces the ringing leg ${legNo(t)})` };
    return { role: 'replacement', roleText: `Replacement call (INVITE with Replaces naming leg ${legNo(t)})` };
  }
  const join = own.find((l) => l.rule === 'join' && byCall.has(l.target));
  if (join) return { role: 'leg', roleText: `Leg ${legNo(f)} (joins leg ${legNo(byCall.get(join.target)!)})` };
  const retrieveUser = matchesAny(f, RETRIEVE_USER);
  if (retrieveUser) return { role: 'retrieve', roleText: `Retrieval of a parked call (${retrieveUser})` };
  const pickupUser = matchesAny(f, PICKUP_USER);
  if (pickupUser) return { role: 'pickup', roleText: `Call pickup (${pickupUser})` };
  const parkUser = matchesAny(f, PARK_USER);
  if (parkUser) return { role: 'park', roleText: `Parked call (${parkUser})` };
  const referrer = links.find((l) => l.rule === 'refer-replaces' && l.target === f.callId && byCall.has(l.callId));
  if (referrer) return { role: 'consultation', roleText: 'Consultation call (attended transfer)' };
  const blind = own.find((l) => l.rule === 'blind-transfer');
  if (blind) {
    const from = byCall.get(blind.target);
    return { role: 'blind-transfer', roleText: `Blind-transfer call${from ? ` (REFER on leg ${legNo(from)})` : ''}` };
  }
  const forward = own.find((l) => FORWARD_RULES.has(l.rule) && byCall.has(l.target));
  if (forward) return { role: 'leg', roleText: `${FORWARD_RULES.get(forward.rule)} from leg ${legNo(byCall.get(forward.target)!)})` };
  if (f.index > 0) {
    const user = matchesAny(f, MEDIA_USER);
    if (user) return { role: 'media-server', roleText: `Media-server leg (${user})` };
    const agent = f.messages.find((m) => m.status !== null && m.userAgent && MEDIA_AGENT.test(m.userAgent));
    if (agent) return { role: 'media-server', roleText: `Media-server leg (${agent.userAgent})` };
  }
  return null;
}

function isPark(f: Facts, links: readonly StoredLink[]): boolean {
  return matchesAny(f, PARK_USER) !== undefined && !links.some((l) => l.callId === f.callId && l.rule === 'replaces');
}

/** Rule 7, for legs that rules 1-5 left open (media-server legs still make their box a B2B). */
function b2bRoles(facts: Facts[], links: readonly StoredLink[], out: (LegRoleResult | null)[]): void {
  const component = b2bComponents(facts, links);
  const fixed = out.map((r) => r !== null && r.role !== 'media-server');
  const transfer = (i: number): boolean => fixed[i];
  for (let y = 0; y < facts.length; y++) {
    const Y = facts[y];
    if (transfer(y) || !Y.hops.length) continue;
    for (let x = 0; x < facts.length; x++) {
      const X = facts[x];
      if (x === y || transfer(x) || !X.hops.length || X.start > Y.start || component[x] !== component[y]) continue;
      const box = X.hops[X.hops.length - 1].dstIp;
      if (Y.hops[0].srcIp !== box) continue;
      const loop = Y.hops[0].dstIp === X.hops[X.hops.length - 1].srcIp;
      if (out[y] === null) {
        out[y] = loop
          ? { role: 'media-server', roleText: `Media-server leg (looped back from ${box})` }
          : { role: 'b2b-outbound', roleText: `B2B outbound leg (from ${box})` };
      }
      if (!loop && out[x] === null) out[x] = { role: 'b2b-inbound', roleText: `B2B inbound leg (to ${box})` };
      break;
    }
  }
  // An inbound leg may be met first as X of a later pair whose Y already had a role.
  for (let x = 0; x < facts.length; x++) {
    if (out[x] !== null || !facts[x].hops.length) continue;
    const X = facts[x];
    const box = X.hops[X.hops.length - 1].dstIp;
    const paired = facts.some((Y, y) => y !== x && component[y] === component[x] && Y.start >= X.start && Y.hops.length
      && !transfer(y) && Y.hops[0].srcIp === box && Y.hops[0].dstIp !== X.hops[X.hops.length - 1].srcIp);
    if (paired) out[x] = { role: 'b2b-inbound', roleText: `B2B inbound leg (to ${box})` };
  }
}

/** Component number of each leg over B2B-kind links (direct, or through a shared target id). */
function b2bComponents(facts: Facts[], links: readonly StoredLink[]): number[] {
  const parent = facts.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const index = new Map(facts.map((f, i) => [f.callId, i]));
  const byTarget = new Map<string, number>();
  for (const l of links) {
    if (!B2B_RULES.has(l.rule)) continue;
    const a = index.get(l.callId);
    if (a === undefined) continue;
    const b = index.get(l.target) ?? byTarget.get(l.target);
    if (b !== undefined) parent[find(a)] = find(b);
    else byTarget.set(l.target, a);
  }
  return facts.map((_, i) => find(i));
}
