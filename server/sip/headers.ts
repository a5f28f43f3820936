import type { SipHeader } from './types.ts';

/**
 * Compact header forms, RFC 3261 §7.3.3 and the IANA "Header Fields" registry
 * (RFC 3265 o, RFC 3515 r, RFC 3892 b, RFC 3841 a/j/d, RFC 4028 x, RFC 4474 y/n).
 */
const COMPACT: Record<string, string> = {
  a: 'accept-contact',
  b: 'referred-by',
  c: 'content-type',
  d: 'request-disposition',
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact',
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  n: 'identity-info',
  o: 'event',
  r: 'refer-to',
  s: 'subject',
  t: 'to',
  u: 'allow-events',
  v: 'via',
  x: 'session-expires',
  y: 'identity',
};

/**
 * Headers whose grammar is `value *(COMMA value)`, so that several values may share one line
 * (RFC 3261 §7.3.1). Everything else is one value per line: From, To, Call-ID, CSeq, Refer-To,
 * the authentication headers (their parameters are comma-separated), Date (has a comma), ...
 */
const LIST_HEADERS = new Set([
  'accept',
  'accept-contact',
  'accept-encoding',
  'accept-language',
  'alert-info',
  'allow',
  'allow-events',
  'call-info',
  'contact',
  'content-encoding',
  'content-language',
  'diversion', // RFC 5806 §4
  'error-info',
  'history-info',
  'in-reply-to',
  'p-asserted-identity',
  'p-associated-uri',
  'p-preferred-identity',
  'path',
  'proxy-require',
  'reason',
  'record-route',
  'reject-contact',
  'request-disposition',
  'require',
  'route',
  'security-client',
  'security-server',
  'security-verify',
  'service-route',
  'supported',
  'unsupported',
  'via',
  'warning',
]);

/** Full lower-case header name: "Call-ID" and "i" both give "call-id". */
export function canonicalName(name: string): string {
  const known = seenNames.get(name);
  if (known !== undefined) return known;
  const lower = name.trim().toLowerCase();
  const canonical = internalized(lower.length === 1 ? (COMPACT[lower] ?? lower) : lower);
  // Traffic repeats a few dozen spellings; the cap keeps hostile input from growing the map.
  if (seenNames.size < MAX_SEEN_NAMES) seenNames.set(name, canonical);
  return canonical;
}

/**
 * The same text as an internalized string (V8 keeps one copy of each property-key string), so
 * that comparing it with the literal names the parser switches on is a pointer comparison.
 */
function internalized(s: string): string {
  return Object.keys({ [s]: 0 })[0];
}

/** Spellings already canonicalised ("Call-ID", "CALL-ID", "i"), so each costs one lookup. */
const seenNames = new Map<string, string>();
const MAX_SEEN_NAMES = 1000;

/** True when RFC 3261 lets the header (canonical name) carry several comma-separated values. */
export function isListHeader(canonical: string): boolean {
  return LIST_HEADERS.has(canonical);
}

/**
 * Splits `value` at commas that are outside double quotes (with backslash escapes, RFC 3261
 * §25.1 quoted-pair) and outside <...>. Empty pieces are dropped; pieces are trimmed.
 */
export function splitComma(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuote) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inQuote = false;
    } else if (c === 0x22) inQuote = true;
    else if (c === 0x3c /* < */) inAngle = true;
    else if (c === 0x3e /* > */) inAngle = false;
    else if (c === 0x2c /* , */ && !inAngle) {
      pushTrimmed(out, value.slice(start, i));
      start = i + 1;
    }
  }
  pushTrimmed(out, value.slice(start));
  return out;
}

function pushTrimmed(out: string[], piece: string): void {
  const t = piece.trim();
  if (t !== '') out.push(t);
}

/** The values of one header line: split at commas for list headers, else the value whole. */
export function splitHeaderValues(canonical: string, value: string): string[] {
  if (!isListHeader(canonical)) return value === '' ? [] : [value];
  // Fast path: most lines hold a single value.
  return value.indexOf(',') < 0 ? (value === '' ? [] : [value]) : splitComma(value);
}

/** Every value of header `name` (any spelling), across repeated lines, in message order. */
export function headerValues(headers: SipHeader[], name: string): string[] {
  const want = canonicalName(name);
  const out: string[] = [];
  for (const h of headers) {
    if (h.name === want) out.push(...splitHeaderValues(want, h.value));
  }
  return out;
}

/** RFC 3261 §25.1 token characters, indexed by char code (0..127). */
const TOKEN = new Uint8Array(128);
for (const ch of "-.!%*_+`'~") TOKEN[ch.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TOKEN[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TOKEN[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOKEN[c] = 1;

/** True when `s` is a non-empty RFC 3261 token (method names, header names). */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TOKEN[c] === 0) return false;
  }
  return true;
}

/** The header section as read: lines in order, and where the body begins. */
export interface HeaderBlock {
  headers: SipHeader[];
  /** Offset of the first body character, or null when no empty line ends the headers. */
  bodyStart: number | null;
}

/**
 * Reads header lines from `text` at offset `from` up to the first empty line, in one pass.
 * Lines end in CRLF or bare LF (mixed is fine). A line starting with SP/HT continues the previous
 * header (RFC 3261 §7.3.1 folding); the fold becomes one space. Repeated headers stay separate
 * entries in message order. Faults go into `problems` as codes.
 */
export function readHeaders(text: string, from: number, problems: Set<string>): HeaderBlock {
  const headers: SipHeader[] = [];
  let name: string | null = null;
  let value = '';
  // Next ':' at or after pos, cached so that lines without a colon do not rescan the text.
  let colon = -1;
  let pos = from;
  const len = text.length;
  while (pos < len) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl < 0 ? len : nl;
    const end = lineEnd > pos && text.charCodeAt(lineEnd - 1) === 0x0d ? lineEnd - 1 : lineEnd;
    const next = nl < 0 ? len : nl + 1;
    if (end === pos) {
      if (name !== null) headers.push({ name, value });
      return { headers, bodyStart: next };
    }
    const c0 = text.charCodeAt(pos);
    if (c0 === 0x20 || c0 === 0x09) {
      const more = trimmedSlice(text, pos, end);
      if (name === null) problems.add('bad-header-line');
      else if (more !== '') value = value === '' ? more : value + ' ' + more;
    } else {
      if (name !== null) headers.push({ name, value });
      name = null;
      if (colon < pos) {
        colon = text.indexOf(':', pos);
        if (colon < 0) colon = len;
      }
      if (colon >= end) {
        problems.add('bad-header-line');
      } else {
        name = headerNameAt(text, pos, colon, problems);
        value = trimmedSlice(text, colon + 1, end);
      }
    }
    pos = next;
  }
  if (name !== null) headers.push({ name, value });
  return { headers, bodyStart: null };
}

/** True for what String.prototype.trim removes (ECMAScript WhiteSpace and LineTerminator). */
function isTrimmed(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0xa0 && (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff));
}

/** text.slice(start, end).trim(), cutting once instead of twice. */
function trimmedSlice(text: string, start: number, end: number): string {
  while (start < end && isTrimmed(text.charCodeAt(start))) start++;
  while (end > start && isTrimmed(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/**
 * Canonical name of the header whose name is text[start, colon) (white space before the colon
 * allowed), flagging 'bad-header-name' when it is not a token. What canonicalName gives, but a
 * spelling met before is found by a hash of its characters, taken in the pass that checks them:
 * no string is cut, trimmed and hashed again for it, a dozen times a message.
 */
function headerNameAt(text: string, start: number, colon: number, problems: Set<string>): string {
  let end = colon;
  while (end > start && isTrimmed(text.charCodeAt(end - 1))) end--;
  let hash = end - start;
  let token = end > start;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || TOKEN[c] === 0) token = false;
    hash = (Math.imul(hash, 31) + c) | 0;
  }
  if (!token) problems.add('bad-header-name');
  const seen = spellings.get(hash);
  if (seen !== undefined) {
    // [spelling, canonical, spelling, canonical, ...] for the spellings of this hash.
    for (let k = 0; k < seen.length; k += 2) {
      if (seen[k].length === end - start && text.startsWith(seen[k], start)) return seen[k + 1];
    }
  }
  const spelling = text.slice(start, end);
  const canonical = canonicalName(spelling);
  if (spellings.size < MAX_SEEN_NAMES) {
    if (seen === undefined) spellings.set(hash, [spelling, canonical]);
    else if (seen.length < 8) seen.push(spelling, canonical);
  }
  return canonical;
}

/** headerNameAt's spellings met so far, by hash; bounded like seenNames. */
const spellings = new Map<number, string[]>();
