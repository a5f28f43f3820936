/**
 * Why each leg is in its group: the stored links turned into the legend's sentences. Every link
 * between two legs is told once, on the later leg (the one that joined because of it); a link to
 * a correlation id that is not a Call-ID is told on each leg that carries it, except the first.
 * Leg numbers in sentences count from 1 ("leg 1" is index 0). Pure.
 */
import type { ApiLink } from '../api/types.ts';
import type { MessageMeta, StoredLink } from '../store/types.ts';
import type { LinkRule } from './types.ts';

/** Ids longer than this are shortened in sentences: the full id stays in `target` / `value`. */
const SHORT_ID_CHARS = 12;

/** "8f2c41d0…" for long ids, the id itself otherwise. */
export function shortId(id: string): string {
  return id.length > SHORT_ID_CHARS ? `${id.slice(0, 8)}…` : id;
}

export interface LinkContext {
  /** 'out': this leg's message carries the link; 'in': another leg's message names this leg. */
  direction: 'out' | 'in';
  /** 0-based index of the other leg, null when the target is no leg of the group. */
  otherLeg: number | null;
  /** The target is a correlation id that the other leg carries too (not its Call-ID). */
  shared: boolean;
  /** Method of the message that carried the link (INVITE, REFER ...), null when unknown. */
  method: string | null;
}

/** One sentence for one link, seen from the leg it is listed on. */
export function linkText(link: { rule: LinkRule; header: string | null; value: string; target: string }, ctx: LinkContext): string {
  const other = ctx.otherLeg === null ? shortId(link.target) : `leg ${ctx.otherLeg + 1}`;
  const method = ctx.method ?? 'INVITE';
  const incoming = ctx.direction === 'in';
  switch (link.rule) {
    case 'hep-correlation-id':
      if (incoming) return `Leg ${ctx.otherLeg! + 1} carries this Call-ID as HEP correlation id`;
      if (ctx.otherLeg === null) return `HEP correlation id ${shortId(link.value)}`;
      return ctx.shared
        ? `HEP correlation id ${shortId(link.value)} shared with leg ${ctx.otherLeg + 1}`
        : `HEP correlation id ${shortId(link.value)} = Call-ID of leg ${ctx.otherLeg + 1}`;
    case 'replaces':
      return incoming ? `Replaced by the ${method} of ${other}` : `${method} with Replaces naming ${other}`;
    case 'join':
      return incoming ? `Joined by the ${method} of ${other}` : `${method} with Join naming ${other}`;
    case 'refer-replaces':
      return incoming ? `Named by the Replaces in the REFER of ${other}` : `REFER with Replaces naming ${other}`;
    case 'blind-transfer':
      return incoming
        ? `Its REFER was carried out by the new call of ${other}`
        : `New call to the Refer-To target of the REFER on ${other}`;
    case 'header':
      return incoming ? `Named by the ${link.header ?? 'correlation'} header of ${other}` : `${link.header ?? 'Correlation'} header naming ${other}`;
    case 'b2b-suffix':
      return incoming ? `Call-ID of ${other} is this Call-ID with a _b2b suffix` : `Call-ID with the _b2b suffix of ${other}'s Call-ID`;
    case 'session-id':
      return sharedText('Session-ID', link.target, ctx);
    case 'icid':
      return sharedText('IMS charging id (icid-value)', link.target, ctx);
    case 'user':
      return sharedText(`Rule "${link.header ?? 'user'}":`, link.target, ctx);
    case 'history-info':
    case 'diversion': {
      const header = link.rule === 'history-info' ? 'History-Info' : 'Diversion';
      return incoming ? `Forwarded on by the new call of ${other} (${header})` : `Forwarded call: its ${header} names the target of ${other}`;
    }
    case 'inferred':
      return inferredText(link, ctx);
    case 'redirect':
      return incoming ? `Its 3xx redirect was followed by the new call of ${other}` : `New call to the Contact of the 3xx on ${other}`;
  }
}

/**
 * An inferred link (inferred.ts): `header` is the box, `value` "<delay> ms; <caller> → <callee>".
 * The sentence starts with "Inferred" so that no one takes it for a certain link.
 */
function inferredText(link: { header: string | null; value: string; target: string }, ctx: LinkContext): string {
  const [delay, numbers] = link.value.split('; ');
  const box = link.header ?? 'a B2BUA';
  const other = ctx.otherLeg === null ? shortId(link.target) : `leg ${ctx.otherLeg + 1}`;
  const same = numbers ? `, same numbers ${numbers}` : '';
  return ctx.direction === 'in'
    ? `Inferred, no shared id: ${other} left ${box} ${delay} after this leg reached it${same}`
    : `Inferred, no shared id: left ${box} ${delay} after ${other} reached it${same}`;
}

/** A value several legs carry (Session-ID, icid, a user rule's capture), told as `label value ...`. */
function sharedText(label: string, value: string, ctx: LinkContext): string {
  if (ctx.direction === 'in') return `Leg ${ctx.otherLeg! + 1} carries this Call-ID as ${label.replace(/:$/, '')}`;
  if (ctx.otherLeg === null) return `${label} ${shortId(value)}`;
  return ctx.shared ? `${label} ${shortId(value)} shared with leg ${ctx.otherLeg + 1}` : `${label} ${shortId(value)} = Call-ID of leg ${ctx.otherLeg + 1}`;
}

/**
 * The links listed on each leg (index = leg index): see the file comment for which leg tells
 * which link. Duplicates (same rule, other end and direction) keep the earliest; each list is in
 * time order. `legOf` maps a Call-ID to its leg index.
 */
export function legLinks(
  legCount: number,
  legOf: ReadonlyMap<string, number>,
  links: readonly StoredLink[],
  messageById: ReadonlyMap<string, MessageMeta>,
): ApiLink[][] {
  const out: ApiLink[][] = Array.from({ length: legCount }, () => []);
  const seen = new Set<string>();
  const sorted = [...links].sort((a, b) => a.ts - b.ts);
  // First carrier of each non-Call-ID target, for "shared with leg N".
  const carriers = new Map<string, number[]>();
  for (const l of sorted) {
    const from = legOf.get(l.callId);
    if (from === undefined || legOf.has(l.target)) continue;
    const list = carriers.get(l.target) ?? [];
    if (!list.includes(from)) list.push(from);
    carriers.set(l.target, list);
  }
  for (const l of sorted) {
    const from = legOf.get(l.callId);
    if (from === undefined) continue;
    const to = legOf.get(l.target);
    const method = messageById.get(l.messageId)?.method ?? null;
    let leg: number;
    let item: ApiLink;
    if (to === undefined) {
      const sharers = (carriers.get(l.target) ?? []).filter((i) => i !== from).sort((a, b) => a - b);
      const otherLeg = sharers[0] ?? null;
      leg = from;
      item = apiLink(l, l.target, otherLeg, linkText(l, { direction: 'out', otherLeg, shared: otherLeg !== null, method }));
    } else if (to < from) {
      leg = from;
      item = apiLink(l, l.target, to, linkText(l, { direction: 'out', otherLeg: to, shared: false, method }));
    } else if (to > from) {
      leg = to;
      item = apiLink(l, l.callId, from, linkText(l, { direction: 'in', otherLeg: from, shared: false, method }));
    } else continue;
    if (leg === 0) continue;
    const key = `${leg}\u0000${item.rule}\u0000${item.target}\u0000${to !== undefined && to > from ? 'in' : 'out'}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out[leg].push(item);
  }
  return out;
}

function apiLink(l: StoredLink, target: string, targetLeg: number | null, text: string): ApiLink {
  return { rule: l.rule, header: l.header, value: l.value, target, targetLeg, messageId: l.messageId, text };
}
