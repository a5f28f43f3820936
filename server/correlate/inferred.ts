/**
 * Inferred links: two calls that share no value at all, joined because one leaves a B2BUA or SBC
 * shortly after the other reached it, between the same numbers. Off unless boxes are configured.
 *
 *   A ──INVITE c1 (4930123 → 4940555)──▶ SBC ──INVITE c2 (4930123 → 4940555)──▶ B
 *        "arrival" at SBC, ts t               "departure" from SBC, t ≤ ts ≤ t + window
 *
 * A departure links to the one unmatched arrival at the same box, at most `windowMicros` before
 * it, with the same caller (From user) and callee (Request-URI user, else To user) after
 * normalizeNumber, on another Call-ID. Each arrival is matched at most once, so a busy box pairs
 * each leg with its own partner. When two or more arrivals fit (the same caller called the same
 * number twice within the window) nothing tells them apart: by default the departure is left
 * unlinked (a missed link rather than a wrong one; `ties: 'earliest'` takes the earliest instead).
 * Messages are matched in receive order; a B-leg received before its A-leg is not linked.
 * Pure: no store, no clock, no I/O.
 */
import { formatEndpoint } from '../hep/inet.ts';
import type { LinkInput, LinkRule } from './types.ts';
import { TimedIndex } from './window.ts';
import { detached } from '../strings.ts';

/** Default window, ms: a B2BUA sends its B-leg within a second or two (a routing or LCR lookup). */
export const INFERRED_WINDOW_MS = 2000;
/** Default digits compared, from the end: 9 keeps the subscriber number and drops country and trunk prefixes. */
export const INFERRED_DIGITS = 9;
/** Default prefixes stripped before comparing: E.164 "+" and the international "00". */
export const INFERRED_STRIP_PREFIXES: readonly string[] = ['+', '00'];
/**
 * How long a Call-ID seen at a box is remembered, µs: INVITE retransmissions stop at Timer B,
 * 64·T1 = 32 s (RFC 3261 §17.1.1.2); a retransmission must not count as a new arrival.
 */
const SEEN_MICROS = 32_000_000;
/** Records kept, at most: 32 s of two INVITEs per call at 1,000 calls/s through the boxes. */
const MAX_SEEN = 64_000;
/** Arrivals kept, at most: the longest window the config accepts (10 s) at 1,000 calls/s. */
const MAX_ARRIVALS = 10_000;

/** Links that only say which legs share a value: they do not pair a B-leg with its A-leg. */
const SHARED_VALUE_RULES: ReadonlySet<LinkRule> = new Set(['session-id', 'icid', 'user']);

export interface InferredOptions {
  /** Box names as configured: an alias (config `aliases`) or ip[:port]. Empty: matching is off. */
  boxes: readonly string[];
  aliases: Readonly<Record<string, string>>;
  /** Window between the arrival and the departure, µs. */
  windowMicros: number;
  /** Digits compared from the end of an all-digit number; 0 compares the whole number. */
  digits: number;
  /** Prefixes stripped (the longest that matches, once) before comparing. */
  stripPrefixes: readonly string[];
  /** Two or more arrivals fit one departure: 'skip' links none (default), 'earliest' the earliest. */
  ties?: 'skip' | 'earliest';
}

/** The fields of a message the matcher reads; the collector's MessageInput has them all. */
export interface InferredMessage {
  /** µs since the epoch. */
  ts: number;
  callId: string;
  method: string | null;
  toTag: string | null;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  fromUser: string | null;
  toUser: string | null;
  ruriUser: string | null;
  /** Links the message carries already: a certain link to an arrival consumes it. */
  links: readonly LinkInput[];
}

interface Arrival {
  ts: number;
  callId: string;
  matched: boolean;
}

interface Seen {
  ts: number;
  /** The arrival recorded for this Call-ID at this box, null for a departure. */
  arrival: Arrival | null;
}

/**
 * A number as compared: URI parameters (";npdi", ";phone-context=…") and visual separators
 * (RFC 3966 §5.1.1: "-", ".", "(", ")", spaces) dropped, the longest matching prefix of
 * `stripPrefixes` stripped once, then the last `digits` digits of an all-digit number (0: all).
 * Case-insensitive for names ("anonymous"). Null when nothing is left.
 */
export function normalizeNumber(user: string | null, digits: number, stripPrefixes: readonly string[]): string | null {
  if (!user) return null;
  let s = user.split(';', 1)[0].replace(/[\s\-.()]/g, '').toLowerCase();
  let strip = '';
  for (const p of stripPrefixes) if (p.length > strip.length && s.startsWith(p) && s.length > p.length) strip = p;
  s = s.slice(strip.length);
  if (digits > 0 && s.length > digits && /^\d+$/.test(s)) s = s.slice(-digits);
  return s || null;
}

/**
 * Endpoint key ("ip", "ip:port" or "[v6]:port") → box name, from the configured boxes. A box is
 * an alias (every endpoint with that alias) or an address. Throws, naming the entry, for one
 * that is neither.
 */
export function resolveBoxes(boxes: readonly string[], aliases: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const box of boxes) {
    const named = Object.keys(aliases).filter((k) => aliases[k] === box);
    const keys = named.length ? named : [endpointKey(box)];
    if (keys[0] === null) {
      const known = [...new Set(Object.values(aliases))];
      throw new Error(`box "${box}" is neither an alias${known.length ? ` (aliases: ${known.join(', ')})` : ''} nor ip[:port]`);
    }
    for (const k of keys) if (k !== null && !out.has(k)) out.set(k, box);
  }
  return out;
}

/** The alias key form of an address ("10.0.0.5", "10.0.0.5:5060", "[2001:db8::5]:5060", "2001:db8::5"); null if not one. */
function endpointKey(s: string): string | null {
  const v6port = /^\[([0-9a-f:.]+)\]:(\d{1,5})$/i.exec(s);
  if (v6port && v6port[1].includes(':')) return formatEndpoint(v6port[1].toLowerCase(), Number(v6port[2]));
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/.exec(s);
  if (v4 && v4[1].split('.').every((n) => Number(n) <= 255)) return v4[2] ? `${v4[1]}:${Number(v4[2])}` : v4[1];
  if (/^[0-9a-f:.]+$/i.test(s) && s.split(':').length > 2) return s.toLowerCase();
  return null;
}

/** The evidence kept in the link's value: "<delay> ms; <caller> → <callee>" (normalized numbers). */
export function inferredValue(delayMicros: number, caller: string, callee: string): string {
  return `${Math.round(delayMicros / 1000)} ms; ${caller} → ${callee}`;
}

export class InferredMatcher {
  private readonly boxAt: Map<string, string>;
  /** Arrivals by box and numbers, forgotten a window after they came. */
  private readonly arrivals = new TimedIndex<Arrival>(MAX_ARRIVALS);
  /** Call-IDs seen at each box ("box\0callId"), arriving or leaving. */
  private readonly seen = new TimedIndex<Seen>(MAX_SEEN);
  private readonly windowMicros: number;
  private readonly digits: number;
  private readonly strip: readonly string[];
  private readonly ties: 'skip' | 'earliest';
  /** Latest capture time seen, µs. */
  private now = 0;

  constructor(o: InferredOptions) {
    this.boxAt = resolveBoxes(o.boxes, o.aliases);
    this.windowMicros = o.windowMicros;
    this.digits = o.digits;
    this.strip = o.stripPrefixes;
    this.ties = o.ties ?? 'skip';
  }

  /** False when no box is configured: step() always answers null. */
  get enabled(): boolean {
    return this.boxAt.size > 0;
  }

  /**
   * The inferred link of `m` (to the A-leg it left a box for), or null; then `m` is remembered
   * when it reaches a box. Feed every message in receive order; only initial INVITEs count.
   */
  step(m: InferredMessage): LinkInput | null {
    if (m.method !== 'INVITE' || m.toTag !== null || this.boxAt.size === 0) return null;
    if (m.ts > this.now) {
      this.now = m.ts;
      this.arrivals.expire(m.ts - this.windowMicros);
      this.seen.expire(m.ts - SEEN_MICROS);
    }
    const from = this.box(m.srcIp, m.srcPort);
    const to = this.box(m.dstIp, m.dstPort);
    if (from === to) return null; // a box talking to itself (or neither end a box)
    const caller = normalizeNumber(m.fromUser, this.digits, this.strip);
    const callee = normalizeNumber(m.ruriUser ?? m.toUser, this.digits, this.strip);
    // Departure first: an INVITE from one box to another leaves the first and reaches the second.
    const link = from === null ? null : this.depart(from, m, caller, callee);
    if (to !== null) this.arrive(to, m, caller, callee);
    return link;
  }

  private box(ip: string, port: number): string | null {
    return this.boxAt.get(formatEndpoint(ip, port)) ?? this.boxAt.get(`${ip}:${port}`) ?? this.boxAt.get(ip) ?? null;
  }

  private depart(box: string, m: InferredMessage, caller: string | null, callee: string | null): LinkInput | null {
    const seenKey = `${box}\0${m.callId}`;
    // A retransmission, a second capture, or a call the box proxied (it arrived on this Call-ID).
    if (this.seen.last(seenKey)) return null;
    this.seen.add(seenKey, { ts: m.ts, arrival: null });
    // A certain link (X-CID, correlation id …) already pairs it: its A-leg is taken.
    for (const l of m.links) {
      if (SHARED_VALUE_RULES.has(l.rule)) continue;
      const a = this.seen.last(`${box}\0${l.target}`)?.arrival;
      if (a && !a.matched) {
        a.matched = true;
        return null;
      }
    }
    if (caller === null || callee === null) return null;
    let hit: Arrival | null = null;
    let fits = 0;
    for (const a of this.arrivals.get(numbersKey(box, caller, callee))) {
      const age = m.ts - a.ts;
      if (a.matched || a.callId === m.callId || age < 0 || age > this.windowMicros) continue;
      fits++;
      if (!hit || a.ts < hit.ts) hit = a;
    }
    if (!hit || (fits > 1 && this.ties === 'skip')) return null;
    hit.matched = true;
    return { target: hit.callId, rule: 'inferred', header: box, value: inferredValue(m.ts - hit.ts, caller, callee) };
  }

  private arrive(box: string, m: InferredMessage, caller: string | null, callee: string | null): void {
    const seenKey = `${box}\0${m.callId}`;
    if (this.seen.last(seenKey)) return; // a retransmission or a second capture: not a new arrival
    const arrival: Arrival = { ts: m.ts, callId: detached(m.callId), matched: false };
    this.seen.add(seenKey, { ts: m.ts, arrival });
    if (caller !== null && callee !== null) this.arrivals.add(numbersKey(box, caller, callee), arrival);
  }
}

function numbersKey(box: string, caller: string, callee: string): string {
  return `${box}\0${caller}\0${callee}`;
}
