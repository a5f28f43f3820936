/**
 * Links that no header of the new call carries as an id: the new call is matched to a recent
 * message of another call by who calls whom, and when.
 *  - blind transfer: an INVITE to a REFER's Refer-To target (blind.ts);
 *  - history-info / diversion: an INVITE whose History-Info (RFC 7044) or Diversion (RFC 5806)
 *    names the target of a recent INVITE from the same caller (a B2BUA or PBX forwarding);
 *  - redirect: an INVITE to the Contact of a recent 3xx to the same caller (RFC 3261 §8.1.3.4).
 * WindowMatcher remembers what it has seen, bounded in time and count, and is fed every message
 * in the order received. Pure: no store, no clock, no I/O.
 */
import { diversion, historyInfo, type ForwardEntry } from '../sip/correlation.ts';
import { headerValues } from '../sip/headers.ts';
import { parseSip } from '../sip/parse.ts';
import type { SipMessage } from '../sip/types.ts';
import { parseNameAddr } from '../sip/uri.ts';
import { blindTransferLink, matchBlindTransfer, referRecordOf, BLIND_TRANSFER_WINDOW_MICROS, type BlindInvite, type ReferCandidate } from './blind.ts';
import type { LinkInput, LinkRule } from './types.ts';
import { detached } from '../strings.ts';

/**
 * A forward's new INVITE follows the original one by the forwarding box's no-answer timer
 * (PBXs default to 15-30 s) or at once (busy, unconditional), µs. Two calls between the same
 * numbers a minute apart stay apart.
 */
export const FORWARD_WINDOW_MICROS = 40_000_000;
/** A UAC or proxy recurses on a 3xx at once (RFC 3261 §8.1.3.4; no person is involved), µs. */
export const REDIRECT_WINDOW_MICROS = 10_000_000;
/** Records kept per kind, at most: one window's worth of initial INVITE hops at a few hundred calls a second. */
export const MAX_RECENT = 20_000;
/** Links one forwarded INVITE gets, at most (the A- and B-legs of a PBX, the original proxy call ...). */
const MAX_FORWARD_LINKS = 4;

/** Links that only say which legs share a value: they do not tell where a new call came from. */
const SHARED_VALUE_RULES: ReadonlySet<LinkRule> = new Set(['session-id', 'icid', 'user']);

/** The fields window matching reads; the collector's MessageInput has them all. */
export interface WindowMessage {
  /** µs since the epoch. */
  ts: number;
  callId: string;
  method: string | null;
  status: number | null;
  cseqMethod: string | null;
  fromUser: string | null;
  toUser: string | null;
  toTag: string | null;
  ruriUser: string | null;
  raw: string;
  /** Links the message carries itself (linksOf). */
  links: readonly LinkInput[];
}

export interface WindowOptions {
  blindTransferWindowMicros?: number;
  forwardWindowMicros?: number;
  redirectWindowMicros?: number;
  maxRecent?: number;
}

export interface WindowStep {
  /** Links found for the message now. */
  links: LinkInput[];
  /**
   * An initial INVITE that could carry out a blind transfer and matched no REFER seen here:
   * REFERs another collector stored may still match it.
   */
  blind: BlindInvite | null;
}

interface InviteRecord {
  ts: number;
  callId: string;
  fromUser: string;
}

interface RedirectRecord {
  ts: number;
  callId: string;
  fromUser: string;
  /** The Contact as written. */
  contact: string;
}

const NOTHING: WindowStep = Object.freeze({ links: [], blind: null }) as WindowStep;

export class WindowMatcher {
  /** Initial INVITEs by Request-URI user and by To user. */
  private readonly invites: TimedIndex<InviteRecord>;
  /** 3xx responses to INVITE by Contact "user@host". */
  private readonly redirects: TimedIndex<RedirectRecord>;
  private readonly refers: TimedIndex<ReferCandidate>;
  private readonly blindWindow: number;
  private readonly forwardWindow: number;
  private readonly redirectWindow: number;
  /** Latest capture time seen, µs: what falls a window behind it is forgotten. */
  private now = 0;

  constructor(o: WindowOptions = {}) {
    const max = o.maxRecent ?? MAX_RECENT;
    this.invites = new TimedIndex(max);
    this.redirects = new TimedIndex(max);
    this.refers = new TimedIndex(max);
    this.blindWindow = o.blindTransferWindowMicros ?? BLIND_TRANSFER_WINDOW_MICROS;
    this.forwardWindow = o.forwardWindowMicros ?? FORWARD_WINDOW_MICROS;
    this.redirectWindow = o.redirectWindowMicros ?? REDIRECT_WINDOW_MICROS;
  }

  /**
   * Links `m` gets from the messages seen before it; then `m` is remembered. Feed messages in
   * receive order. `parsed` is `m.raw` parsed already, when the caller has it.
   */
  step(m: WindowMessage, parsed?: SipMessage): WindowStep {
    const initialInvite = m.method === 'INVITE' && m.toTag === null;
    const redirect = m.status !== null && m.status >= 300 && m.status < 400 && m.cseqMethod === 'INVITE';
    if (!initialInvite && !redirect && m.method !== 'REFER') return NOTHING;
    if (m.ts > this.now) {
      this.now = m.ts;
      this.invites.expire(m.ts - this.forwardWindow);
      this.redirects.expire(m.ts - this.redirectWindow);
      this.refers.expire(m.ts - this.blindWindow);
    }
    const sip = parsed ?? parseSip(m.raw, { correlationHeaders: [], sdp: false });
    if (redirect) {
      this.rememberRedirect(m, sip);
      return NOTHING;
    }
    if (!initialInvite) {
      const r = referRecordOf(sip, m.ts);
      // A transfer's new call goes to the Refer-To target: index by that user.
      if (r?.targetUser) this.refers.add(r.targetUser, r);
      return NOTHING;
    }
    const out: LinkInput[] = [];
    this.forwardLinks(m, sip, out);
    this.redirectLinks(m, sip, out);
    let blind: BlindInvite | null = null;
    if (out.length === 0 && m.links.every((l) => SHARED_VALUE_RULES.has(l.rule))) {
      const invite: BlindInvite = { ts: m.ts, callId: m.callId, fromUser: m.fromUser, toUser: m.toUser, ruriUser: m.ruriUser, referredBy: sip.referredBy };
      const refers = m.toUser === m.ruriUser || !m.toUser ? this.refers.get(m.ruriUser ?? '') : [...this.refers.get(m.ruriUser ?? ''), ...this.refers.get(m.toUser)];
      const hit = matchBlindTransfer(invite, refers, this.blindWindow);
      if (hit) out.push(blindTransferLink(hit.refer));
      else blind = invite;
    }
    this.rememberInvite(m);
    return out.length === 0 && blind === null ? NOTHING : { links: out, blind };
  }

  private rememberInvite(m: WindowMessage): void {
    if (!m.fromUser) return;
    const rec = { ts: m.ts, callId: detached(m.callId), fromUser: detached(m.fromUser) };
    // Each hop of one INVITE is captured: one record per user and Call-ID is enough.
    for (const user of new Set([m.ruriUser, m.toUser])) if (user && this.invites.last(user)?.callId !== m.callId) this.invites.add(user, rec);
  }

  private rememberRedirect(m: WindowMessage, sip: SipMessage): void {
    if (!m.fromUser) return;
    for (const value of headerValues(sip.headers, 'contact')) {
      const key = contactKey(parseNameAddr(value)?.uri ?? null);
      if (key !== null && this.redirects.last(key)?.callId !== m.callId) this.redirects.add(key, { ts: m.ts, callId: detached(m.callId), fromUser: detached(m.fromUser), contact: detached(value) });
    }
  }

  /** History-Info / Diversion naming the target of a recent INVITE from the same caller. */
  private forwardLinks(m: WindowMessage, sip: SipMessage, out: LinkInput[]): void {
    if (!m.fromUser) return;
    const named = [...historyInfo(sip.headers), ...diversion(sip.headers)];
    if (named.length === 0) return;
    const matches = matchForward({ ts: m.ts, callId: m.callId, fromUser: m.fromUser, ruriUser: m.ruriUser, toUser: m.toUser }, named,
      (user) => this.invites.get(user), this.forwardWindow);
    for (const { record, entry } of matches) {
      out.push({ target: record.callId, rule: entry.header === 'History-Info' ? 'history-info' : 'diversion', header: entry.header, value: entry.value });
    }
  }

  /** An INVITE to the Contact of a recent 3xx to the same caller. */
  private redirectLinks(m: WindowMessage, sip: SipMessage, out: LinkInput[]): void {
    const key = contactKey(sip.requestUri);
    if (key === null || !m.fromUser) return;
    const hit = latest(this.redirects.get(key), (r) => r.callId !== m.callId && r.fromUser === m.fromUser && within(m.ts, r.ts, this.redirectWindow));
    if (hit && !out.some((l) => l.target === hit.callId)) out.push({ target: hit.callId, rule: 'redirect', header: 'Contact', value: hit.contact });
  }
}

/** The initial INVITE a forward match looks from. */
export interface ForwardInvite {
  ts: number;
  callId: string;
  fromUser: string;
  ruriUser: string | null;
  toUser: string | null;
}

/**
 * The recent INVITEs `invite` was forwarded from: for each user that `named` (its History-Info
 * and Diversion entries) gives, other than the INVITE's own target, the INVITEs `byTarget(user)`
 * that went to that user from the same caller, on another Call-ID, at most `windowMicros`
 * before (0 ≤ invite.ts − ts ≤ window). One match per Call-ID (the first entry naming it), the
 * latest first, at most MAX_FORWARD_LINKS: a PBX forwarding its own B-leg matches both its A-
 * and B-leg, which are one call.
 */
export function matchForward<R extends InviteRecord>(invite: ForwardInvite, named: readonly ForwardEntry[],
  byTarget: (user: string) => readonly R[], windowMicros: number): { record: R; entry: ForwardEntry }[] {
  const found = new Map<string, { record: R; entry: ForwardEntry }>();
  for (const entry of named) {
    const user = entry.uri.user;
    if (!user || user === invite.ruriUser || user === invite.toUser) continue;
    for (const r of byTarget(user)) {
      if (r.callId === invite.callId || r.fromUser !== invite.fromUser || !within(invite.ts, r.ts, windowMicros)) continue;
      const prev = found.get(r.callId);
      if (!prev) found.set(r.callId, { record: r, entry });
      else if (r.ts > prev.record.ts) prev.record = r;
    }
  }
  return [...found.values()].sort((a, b) => b.record.ts - a.record.ts || (a.record.callId < b.record.callId ? -1 : 1)).slice(0, MAX_FORWARD_LINKS);
}

/** "user@host" of a URI for redirect matching (host lower-cased, port ignored); null without a host. */
export function contactKey(uri: { user: string | null; host: string | null } | null): string | null {
  if (!uri?.host) return null;
  return `${uri.user ?? ''}@${uri.host.toLowerCase()}`;
}

/** 0 ≤ ts − earlier ≤ window. */
function within(ts: number, earlier: number, windowMicros: number): boolean {
  const age = ts - earlier;
  return age >= 0 && age <= windowMicros;
}

/** The latest record that passes `ok`; equal times go to the smaller Call-ID, so input order never matters. */
function latest<R extends { ts: number; callId: string }>(list: readonly R[], ok: (r: R) => boolean): R | null {
  let best: R | null = null;
  for (const r of list) if (ok(r) && (!best || r.ts > best.ts || (r.ts === best.ts && r.callId < best.callId))) best = r;
  return best;
}

/**
 * Records by key, forgotten in the order they came once older than a bound or past `max`.
 * Exported for tests.
 */
export class TimedIndex<T extends { ts: number }> {
  private readonly byKey = new Map<string, KeyQueue<T>>();
  private readonly order: { key: string; item: T }[] = [];
  private head = 0;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.order.length - this.head;
  }

  add(key: string, item: T): void {
    const q = this.byKey.get(key);
    const own = detached(key);
    if (q) q.items.push(item);
    else this.byKey.set(own, { items: [item], head: 0 });
    this.order.push({ key: own, item });
    if (this.size > this.max) this.dropOldest();
  }

  get(key: string): readonly T[] {
    const q = this.byKey.get(key);
    if (!q) return EMPTY;
    // Whoever asks reads the whole list anyway: dropping the front first costs no more.
    if (q.head > 0) compact(q);
    return q.items;
  }

  last(key: string): T | undefined {
    return this.byKey.get(key)?.items.at(-1);
  }

  /** Forgets records, in arrival order, while the oldest is older than `before` (µs). */
  expire(before: number): void {
    while (this.size > 0 && this.order[this.head].item.ts < before) this.dropOldest();
  }

  private dropOldest(): void {
    const { key, item } = this.order[this.head++];
    const q = this.byKey.get(key)!;
    // A key's records come in arrival order and leave in it, so the one leaving is the first: it
    // is stepped over, not shifted out. A user in every call (a trunk's pilot number) has a list
    // `max` long, and shifting it moved every entry each time: 12 % of the ingest thread at
    // 40,000 msg/s (bench/ingest calls-nosdp).
    if (q.items[q.head] === item) q.head++;
    else q.items.splice(q.items.indexOf(item, q.head), 1);
    if (q.head === q.items.length) this.byKey.delete(key);
    else if (q.head > 1024 && q.head * 2 >= q.items.length) compact(q);
    // Reclaim the consumed front now and then, so the array does not grow forever.
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** One key's records: those before `head` are forgotten. */
interface KeyQueue<T> {
  items: T[];
  head: number;
}

function compact<T>(q: KeyQueue<T>): void {
  q.items.splice(0, q.head);
  q.head = 0;
}

const EMPTY: readonly never[] = Object.freeze([]);
