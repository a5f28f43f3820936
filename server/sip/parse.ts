import { startsWithUpper } from './ascii.ts';
import { findSdpText, utf8Length } from './body.ts';
import { icidValue, parseSessionId } from './correlation.ts';
import { parseSdp } from './sdp.ts';
import { isToken, readHeaders, splitHeaderValues } from './headers.ts';
import type { NameAddr, SipHeader, SipMessage, SipParseOptions } from './types.ts';
import { headerParam, parseDialogRef, parseNameAddr, parseUri } from './uri.ts';

/**
 * Control characters that never belong in a SIP header section (HT, LF and CR are line syntax),
 * plus U+FFFD, which is what undecodable bytes become when the payload was read as UTF-8.
 * Written as the complement of what may appear: V8 scans a negated class a third faster than the
 * class itself (and either is faster than a loop over char codes).
 */
const BINARY = /[^\t\n\r\x20-\x7e\x80-\ufffc\ufffe\uffff]/;

/** Largest CSeq number, RFC 3261 §8.1.1.5 (less than 2**31). */
const MAX_CSEQ = 2 ** 31 - 1;

/** The first line of `text` that is not empty, without its line ending. */
export function firstLine(text: string): string {
  const start = skipEmptyLines(text);
  const nl = text.indexOf('\n', start);
  const end = nl < 0 ? text.length : nl;
  return text.slice(start, end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end);
}

/** Offset after any leading CRLF/LF (keep-alives may precede a message, RFC 3261 §7.5). */
function skipEmptyLines(text: string): number {
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) === 0x0a || text.charCodeAt(i) === 0x0d)) i++;
  return i;
}

/** The ladder arrow label: "INVITE", "180 Ringing", "(malformed)" when the start line is lost. */
export function sipLabel(msg: SipMessage): string {
  if (msg.kind === 'request') return msg.method ?? '(malformed)';
  if (msg.status === null) return '(malformed)';
  return msg.reason ? `${msg.status} ${msg.reason}` : String(msg.status);
}

function emptyMessage(): SipMessage {
  return {
    kind: 'request',
    method: null,
    requestUri: null,
    status: null,
    reason: null,
    headers: [],
    callId: null,
    cseq: null,
    from: null,
    to: null,
    viaBranch: null,
    viaHost: null,
    viaCount: 0,
    contact: null,
    userAgent: null,
    contentType: null,
    replaces: null,
    join: null,
    referTo: null,
    referredBy: null,
    reasonHeader: null,
    sessionId: null,
    icid: null,
    correlationHeaders: [],
    body: '',
    hasSdp: false,
    sdp: null,
    problems: [],
  };
}

/**
 * Start line, RFC 3261 §7.1 `Method SP Request-URI SP SIP-Version` or §7.2
 * `SIP-Version SP Status-Code SP Reason-Phrase`. Fills what it can; faults go to `problems`.
 */
function readStartLine(line: string, msg: SipMessage, problems: Set<string>): void {
  const parts = splitWords(line);
  if (startsWithUpper(parts[0], 'SIP/')) {
    msg.kind = 'response';
    const code = parts[1] ?? '';
    const status = /^[1-6][0-9][0-9]$/.test(code) ? Number(code) : null;
    msg.status = status;
    // Reason-Phrase may hold spaces (§25.1): everything after the code, as written.
    const rest = line.trim().slice(parts[0].length).trimStart().slice(code.length).trim();
    msg.reason = rest === '' ? null : rest;
    if (status === null || !isSip20(parts[0])) problems.add('bad-start-line');
    return;
  }
  // Only a line shaped like a request line yields a method and URI; garbage yields nothing.
  if (parts.length !== 3 || !startsWithUpper(parts[2], 'SIP/')) {
    problems.add('bad-start-line');
    return;
  }
  if (isToken(parts[0])) msg.method = parts[0];
  msg.requestUri = parseUri(parts[1]);
  if (msg.requestUri === null) problems.add('bad-request-uri');
  if (msg.method === null || !isSip20(parts[2])) problems.add('bad-start-line');
}

/** SIP-Version `SIP/2.0`, in any case (RFC 3261 §7.1). */
function isSip20(s: string): boolean {
  return s.length === 7 && startsWithUpper(s, 'SIP/2.0');
}

/** Words of `s` separated by runs of SP/HT, without empty ends ("a  b " gives [a, b]). */
function splitWords(s: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0x20;
    if (c === 0x20 || c === 0x09) {
      if (start >= 0) words.push(s.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  return words.length ? words : [''];
}

/** True when a line reads as `Name: value`, i.e. the start line is missing. */
function looksLikeHeader(line: string): boolean {
  const colon = line.indexOf(':');
  return colon > 0 && isToken(line.slice(0, colon).trimEnd());
}

/** CSeq `1 INVITE` (RFC 3261 §20.16); null when it does not parse. */
function parseCSeq(value: string): { num: number; method: string } | null {
  const parts = splitWords(value);
  if (parts.length !== 2 || !/^[0-9]{1,10}$/.test(parts[0]) || !isToken(parts[1])) return null;
  const num = Number(parts[0]);
  return num <= MAX_CSEQ ? { num, method: parts[1] } : null;
}

/** First value of a list header (Via, Contact), or null. */
/** Host of a Via value's sent-by ("SIP/2.0/UDP 10.0.0.1:5060;branch=…" → "10.0.0.1"; IPv6 without brackets), null when unreadable. */
function viaSentByHost(v: string): string | null {
  const m = /^[^/\s]+\s*\/\s*[^/\s]+\s*\/\s*\S+\s+(\[[^\]]*\]|[^\s:;,]+)/.exec(v);
  if (!m) return null;
  return m[1].startsWith('[') ? m[1].slice(1, -1) : m[1];
}

function firstValue(h: SipHeader): string | null {
  return splitHeaderValues(h.name, h.value)[0] ?? null;
}

const NO_NAMES: string[] = [];

/** Lower-cased configured names, cached per options array (the collector reuses one). */
const namesCache = new WeakMap<string[], Map<string, string>>();
function correlationNames(list: string[]): Map<string, string> {
  let m = namesCache.get(list);
  if (!m) {
    m = new Map();
    for (const n of list) if (!m.has(n.toLowerCase())) m.set(n.toLowerCase(), n);
    namesCache.set(list, m);
  }
  return m;
}

/** Adds `code` when a name-addr header's URI did not parse (scheme '' marks it). */
function checkNameAddr(na: NameAddr | null, code: string, problems: Set<string>): void {
  if (na && na.uri.scheme === '') problems.add(code);
}

/**
 * Parses one SIP message (RFC 3261 §7). Never throws: whatever part of the message is readable
 * is returned, and every fault is named in `problems` ('bad-start-line', 'no-call-id', ...).
 * `correlationHeaders` entries carry the configured spelling of the header name.
 * `text` is the payload decoded as UTF-8: Content-Length is checked in UTF-8 octets.
 */
export function parseSip(text: string, opts: SipParseOptions): SipMessage {
  const msg = emptyMessage();
  const problems = new Set<string>();
  try {
    parseInto(typeof text === 'string' ? text : String(text), opts, msg, problems);
  } catch {
    problems.add('parser-error'); // a bug, not a message fault; keep what was read
  }
  msg.problems = [...problems];
  return msg;
}

function parseInto(text: string, opts: SipParseOptions, msg: SipMessage, problems: Set<string>): void {
  const start = skipEmptyLines(text);
  if (start >= text.length) {
    problems.add('empty-message');
    return;
  }
  const line = firstLine(text);
  let headersFrom: number;
  if (looksLikeHeader(line)) {
    problems.add('bad-start-line'); // no start line at all: read the first line as a header
    headersFrom = start;
  } else {
    readStartLine(line, msg, problems);
    const nl = text.indexOf('\n', start);
    headersFrom = nl < 0 ? text.length : nl + 1;
  }
  const block = readHeaders(text, headersFrom, problems);
  msg.headers = block.headers;
  const headerEnd = block.bodyStart ?? text.length;
  if (BINARY.test(headerEnd === text.length ? text : text.slice(0, headerEnd))) problems.add('binary-in-headers');
  if (block.bodyStart === null) problems.add('no-end-of-headers');
  msg.body = block.bodyStart === null ? '' : text.slice(block.bodyStart);

  const corr = correlationNames(opts?.correlationHeaders ?? NO_NAMES);
  let contentLength: string | null = null;
  let vias = 0;
  const reasons: string[] = [];
  for (const h of msg.headers) {
    switch (h.name) {
      case 'call-id':
        if (msg.callId === null) msg.callId = h.value === '' ? null : h.value;
        else if (msg.callId !== h.value) problems.add('repeated-call-id');
        break;
      case 'cseq':
        if (msg.cseq === null) {
          msg.cseq = parseCSeq(h.value);
          if (msg.cseq === null) problems.add('bad-cseq');
        }
        break;
      case 'from':
        msg.from ??= parseNameAddr(h.value);
        break;
      case 'to':
        msg.to ??= parseNameAddr(h.value);
        break;
      case 'via': {
        const values = splitHeaderValues(h.name, h.value);
        if (vias === 0 && values.length > 0) {
          const v = values[0];
          const branch = headerParam(v, 'branch');
          msg.viaBranch = branch === undefined || branch === '' ? null : branch;
          msg.viaHost = viaSentByHost(v);
        }
        vias += Math.max(1, values.length);
        break;
      }
      case 'contact':
        if (msg.contact === null) {
          const v = firstValue(h);
          if (v !== null && v !== '*') msg.contact = parseNameAddr(v); // '*' only in REGISTER, §10.2.2
        }
        break;
      case 'user-agent':
        msg.userAgent ??= h.value;
        break;
      case 'content-type':
        msg.contentType ??= h.value === '' ? null : h.value;
        break;
      case 'content-length':
        contentLength ??= h.value;
        break;
      case 'replaces':
        msg.replaces ??= parseDialogRef(h.value);
        break;
      case 'join':
        msg.join ??= parseDialogRef(h.value);
        break;
      case 'refer-to':
        if (msg.referTo === null) {
          const na = parseNameAddr(h.value);
          if (na) {
            const embedded = na.uri.headers.replaces;
            msg.referTo = { ...na, replaces: embedded === undefined ? null : parseDialogRef(embedded) };
          }
        }
        break;
      case 'referred-by':
        msg.referredBy ??= parseNameAddr(h.value);
        break;
      case 'reason':
        reasons.push(h.value);
        break;
      case 'session-id':
        msg.sessionId ??= parseSessionId(h.value);
        break;
      case 'p-charging-vector':
        msg.icid ??= icidValue(h.value);
        break;
    }
    const configured = corr.size === 0 ? undefined : corr.get(h.name);
    if (configured !== undefined) msg.correlationHeaders.push({ name: configured, value: h.value });
  }
  if (msg.userAgent === null) msg.userAgent = msg.headers.find((h) => h.name === 'server')?.value ?? null;
  msg.reasonHeader = reasons.length === 0 ? null : reasons.join(', ');

  if (msg.callId === null) problems.add('no-call-id');
  if (msg.cseq === null && !problems.has('bad-cseq')) problems.add('no-cseq');
  if (msg.kind === 'request' && msg.method && msg.cseq && msg.cseq.method !== msg.method) {
    problems.add('cseq-method-mismatch'); // RFC 3261 §8.1.1.5: CSeq method matches the request
  }
  if (msg.from === null) problems.add('no-from');
  if (msg.to === null) problems.add('no-to');
  msg.viaCount = vias;
  if (vias === 0) problems.add('no-via');
  checkNameAddr(msg.from, 'bad-from', problems);
  checkNameAddr(msg.to, 'bad-to', problems);
  checkNameAddr(msg.contact, 'bad-contact', problems);
  checkNameAddr(msg.referTo, 'bad-refer-to', problems);

  if (contentLength !== null) {
    const want = /^[0-9]{1,9}$/.test(contentLength) ? Number(contentLength) : -1;
    if (want < 0) problems.add('bad-content-length');
    else if (utf8Length(msg.body) !== want) problems.add('content-length-mismatch');
  }
  if (msg.body !== '' && msg.contentType === null) problems.add('no-content-type'); // §20.15
  const sdp = findSdpText(msg.contentType, msg.body);
  msg.hasSdp = sdp !== null;
  msg.sdp = sdp === null || opts?.sdp === false ? null : parseSdp(sdp);
}
