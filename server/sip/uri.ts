import { startsWithUpper } from './ascii.ts';
import { canonicalName } from './headers.ts';
import type { DialogRef, NameAddr, SipUri } from './types.ts';

/**
 * Percent-decodes `s` (RFC 3986 §2.1), leaving any broken escape as written instead of throwing.
 * '+' stays '+': SIP URIs are not form-encoded.
 */
export function percentDecode(s: string): string {
  if (s.indexOf('%') < 0) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    // Lone '%' or an escape that is not UTF-8: decode the well-formed %XX one byte at a time.
    return s.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/**
 * Index of the first `ch` in `s` at or after `from` that is outside "quoted strings" (with
 * backslash escapes, RFC 3261 §25.1) and, when `skipAngles`, outside <...>; -1 when none.
 */
export function indexOutside(s: string, ch: string, from = 0, skipAngles = false): number {
  const want = ch.charCodeAt(0);
  let inQuote = false;
  let inAngle = false;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inQuote) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inQuote = false;
    } else if (c === want && !inAngle) return i;
    else if (c === 0x22) inQuote = true;
    else if (skipAngles && c === 0x3c) inAngle = true;
    else if (skipAngles && c === 0x3e) inAngle = false;
  }
  return -1;
}

/**
 * Sets an own property even for the name `__proto__`, which plain assignment would treat as the
 * prototype setter (hostile messages may carry `;__proto__=x`).
 */
function setOwn(out: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  else out[name] = value;
}

/** What most URIs and header values carry: no parameters. Shared, so frozen. */
const NO_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * Parses `a=b;c;d="x;y"` (a leading ';' and white space around pieces are fine). Names are
 * lower-cased (they are case-insensitive, RFC 3261 §19.1.4, §7.3.1); values are kept as written,
 * quotes included; a flag parameter gets ''. The first of two equal names wins.
 */
export function parseParams(s: string): Record<string, string> {
  if (s === '') return NO_PARAMS;
  const out: Record<string, string> = {};
  let start = 0;
  while (start <= s.length) {
    let semi = indexOutside(s, ';', start);
    if (semi < 0) semi = s.length;
    const piece = s.slice(start, semi);
    const eq = piece.indexOf('=');
    const name = (eq < 0 ? piece : piece.slice(0, eq)).trim().toLowerCase();
    if (name !== '' && !Object.hasOwn(out, name)) setOwn(out, name, eq < 0 ? '' : piece.slice(eq + 1).trim());
    start = semi + 1;
  }
  return out;
}

/** Parameters of a header value after its first ';' outside quotes and <> (Via, Content-Type). */
export function headerParams(value: string): Record<string, string> {
  const semi = indexOutside(value, ';', 0, true);
  return semi < 0 ? NO_PARAMS : parseParams(value.slice(semi + 1));
}

/**
 * One parameter of a header value (`branch` of a Via), as headerParams(value)[name] would give it,
 * without building the others. `name` is lower case.
 */
export function headerParam(value: string, name: string): string | undefined {
  let start = indexOutside(value, ';', 0, true) + 1;
  if (start === 0) return undefined;
  while (start <= value.length) {
    let semi = indexOutside(value, ';', start);
    if (semi < 0) semi = value.length;
    const eq = value.indexOf('=', start);
    const nameEnd = eq < 0 || eq > semi ? semi : eq;
    if (value.slice(start, nameEnd).trim().toLowerCase() === name) return nameEnd === semi ? '' : value.slice(eq + 1, semi).trim();
    start = semi + 1;
  }
  return undefined;
}

/** RFC 3261 §25.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). */
function isScheme(s: string, end: number): boolean {
  if (end === 0) return false;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    const alpha = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    const other = (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e; // digit + - .
    if (i === 0 ? !alpha : !(alpha || other)) return false;
  }
  return true;
}

/** Lower-case scheme of `uri`, which ends at `colon`: sip, sips and tel without a new string. */
function schemeOf(uri: string, colon: number): string {
  if (colon === 3 && startsWithUpper(uri, 'SIP')) return 'sip';
  if (colon === 4 && startsWithUpper(uri, 'SIPS')) return 'sips';
  if (colon === 3 && startsWithUpper(uri, 'TEL')) return 'tel';
  return uri.slice(0, colon).toLowerCase();
}

/** Port 0..65535 from decimal digits, else null. */
function parsePort(s: string): number | null {
  if (s.length === 0 || s.length > 5) return null;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return null;
    n = n * 10 + c;
  }
  return n <= 65535 ? n : null;
}

/** First index of ';' or '?' at or after `from`, else `s.length`. */
function paramStart(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3b || c === 0x3f) return i;
  }
  return s.length;
}

/** `?a=b&c=d` part of a SIP URI: names canonical (as header names), values percent-decoded. */
function parseUriHeaders(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of s.split('&')) {
    const eq = pair.indexOf('=');
    const name = canonicalName(percentDecode(eq < 0 ? pair : pair.slice(0, eq)));
    if (name !== '' && !Object.hasOwn(out, name)) setOwn(out, name, eq < 0 ? '' : percentDecode(pair.slice(eq + 1)));
  }
  return out;
}

/**
 * Parses a SIP/SIPS URI (RFC 3261 §19.1.1: user[:password]@host[:port];params?headers, IPv6 hosts
 * in [..]) or a tel URI (RFC 3966: number in `user`). Other schemes keep only `uri` and `scheme`.
 * Returns null when there is no valid scheme, or a sip/sips URI has no host.
 */
export function parseUri(text: string): SipUri | null {
  const uri = text.trim();
  const colon = uri.indexOf(':');
  if (colon <= 0 || !isScheme(uri, colon)) return null;
  const scheme = schemeOf(uri, colon);
  const rest = uri.slice(colon + 1);
  const out: SipUri = { uri, scheme, user: null, host: null, port: null, params: NO_PARAMS, headers: NO_PARAMS };
  if (scheme === 'tel') {
    const semi = rest.indexOf(';');
    out.user = semi < 0 ? rest : rest.slice(0, semi);
    if (semi >= 0) out.params = parseParams(rest.slice(semi + 1));
    return out;
  }
  if (scheme !== 'sip' && scheme !== 'sips') return out;

  // userinfo ends at the '@' (user may hold ';' but not an unescaped '@', §25.1 user-unreserved).
  let hostStart = 0;
  const at = rest.indexOf('@');
  const q = rest.indexOf('?');
  if (at >= 0 && (q < 0 || at < q)) {
    const userinfo = rest.slice(0, at);
    const pw = userinfo.indexOf(':');
    out.user = pw < 0 ? userinfo : userinfo.slice(0, pw);
    hostStart = at + 1;
  }
  let hostEnd: number;
  if (rest.charCodeAt(hostStart) === 0x5b /* [ */) {
    const close = rest.indexOf(']', hostStart);
    hostEnd = close < 0 ? paramStart(rest, hostStart) : close + 1;
    out.host = rest.slice(hostStart, hostEnd);
    const after = paramStart(rest, hostEnd);
    if (rest.charCodeAt(hostEnd) === 0x3a /* : */) out.port = parsePort(rest.slice(hostEnd + 1, after));
    hostEnd = after;
  } else {
    hostEnd = paramStart(rest, hostStart);
    const hostport = rest.slice(hostStart, hostEnd);
    const pc = hostport.indexOf(':');
    if (pc >= 0 && hostport.indexOf(':', pc + 1) < 0) {
      out.host = hostport.slice(0, pc);
      out.port = parsePort(hostport.slice(pc + 1));
    } else {
      out.host = hostport; // bare IPv6 without [] is invalid; keep it whole
    }
  }
  if (out.host === '') return null;
  const hq = rest.indexOf('?', hostEnd);
  if (rest.charCodeAt(hostEnd) === 0x3b) out.params = parseParams(rest.slice(hostEnd + 1, hq < 0 ? rest.length : hq));
  if (hq >= 0) out.headers = parseUriHeaders(rest.slice(hq + 1));
  return out;
}

/** A URI that did not parse, kept as written so the rest of the header is not lost. */
function unparsedUri(uri: string): SipUri {
  return { uri, scheme: '', user: null, host: null, port: null, params: NO_PARAMS, headers: NO_PARAMS };
}

/** Undoes quoted-pair escapes inside a quoted string's content (RFC 3261 §25.1). */
function unescapeQuoted(s: string): string {
  return s.indexOf('\\') < 0 ? s : s.replace(/\\(.)/gs, '$1');
}

/**
 * Parses name-addr (`"Display" <uri>;params`, `Display <uri>;params`) or addr-spec
 * (`uri;params`, where every ';' starts a header parameter, RFC 3261 §20.10). Display names are
 * kept literally (quotes removed, escapes undone). `params` holds all header parameters, tag
 * included; `tag` repeats it. When the URI does not parse, `uri.scheme` is '' and `uri.uri` holds
 * the text as written. Returns null only for an empty value.
 */
export function parseNameAddr(text: string): NameAddr | null {
  const s = text.trim();
  if (s === '') return null;
  let display: string | null = null;
  let lt: number;
  let from = 0;
  if (s.charCodeAt(0) === 0x22) {
    const end = closingQuote(s);
    display = unescapeQuoted(s.slice(1, end < 0 ? s.length : end));
    from = end < 0 ? s.length : end + 1;
    lt = s.indexOf('<', from);
  } else {
    lt = indexOutside(s, '<');
    if (lt > 0) display = s.slice(0, lt).trim();
  }
  let uriText: string;
  let after: string;
  if (lt >= 0) {
    const gt = s.indexOf('>', lt + 1);
    uriText = s.slice(lt + 1, gt < 0 ? s.length : gt).trim();
    after = gt < 0 ? '' : s.slice(gt + 1);
  } else {
    const rest = s.slice(from);
    const semi = rest.indexOf(';');
    uriText = (semi < 0 ? rest : rest.slice(0, semi)).trim();
    after = semi < 0 ? '' : rest.slice(semi);
  }
  const params = parseParams(after);
  return {
    display: display === '' ? null : display,
    uri: parseUri(uriText) ?? unparsedUri(uriText),
    tag: Object.hasOwn(params, 'tag') ? params.tag : null,
    params,
  };
}

/** Index of the quote closing the quoted string that opens at index 0, or -1. */
function closingQuote(s: string): number {
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i;
  }
  return -1;
}

/**
 * Parses a Replaces (RFC 3891 §6.1) or Join (RFC 3911 §7.1) value:
 * `callid;to-tag=..;from-tag=..[;early-only]`. Null when there is no Call-ID.
 */
export function parseDialogRef(text: string): DialogRef | null {
  const semi = text.indexOf(';');
  const callId = (semi < 0 ? text : text.slice(0, semi)).trim();
  if (callId === '') return null;
  const p = semi < 0 ? {} : parseParams(text.slice(semi + 1));
  return {
    callId,
    toTag: Object.hasOwn(p, 'to-tag') ? p['to-tag'] : null,
    fromTag: Object.hasOwn(p, 'from-tag') ? p['from-tag'] : null,
    earlyOnly: Object.hasOwn(p, 'early-only'),
  };
}
