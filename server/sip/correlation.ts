/**
 * Header values that tie one call to another without naming its Call-ID: RFC 7989 Session-ID,
 * the P-Charging-Vector icid-value (RFC 7315), and the forwarding history of an INVITE
 * (History-Info, RFC 7044; Diversion, RFC 5806). Pure: text in, values out, null when absent.
 */
import { headerValues } from './headers.ts';
import type { SipHeader, SipUri } from './types.ts';
import { parseNameAddr, parseParams } from './uri.ts';

/** RFC 7989 §4.2: sess-uuid = 32(LHEX). Upper case is accepted and lower-cased (senders get it wrong). */
const UUID = /^[0-9a-f]{32}$/i;
/** RFC 7989 §4.2: the nil UUID means "not known yet" (an early request, a UA without support). */
const NIL_UUID = '0'.repeat(32);

/** The two UUIDs of a Session-ID; each null when nil, absent or not a UUID. */
export interface SessionId {
  local: string | null;
  remote: string | null;
}

/**
 * `Session-ID: <local-uuid>;remote=<remote-uuid>` (RFC 7989 §4.2), or the older form with the
 * local UUID only (RFC 7329, draft-kaplan-dispatch-session-id). Null when neither UUID is usable.
 */
export function parseSessionId(value: string): SessionId | null {
  const semi = value.indexOf(';');
  const local = uuid(semi < 0 ? value : value.slice(0, semi));
  const remote = semi < 0 ? null : uuid(parseParams(value.slice(semi + 1)).remote ?? '');
  return local === null && remote === null ? null : { local, remote };
}

function uuid(s: string): string | null {
  const t = s.trim();
  if (!UUID.test(t)) return null;
  const lower = t.toLowerCase();
  return lower === NIL_UUID ? null : lower;
}

/**
 * icid-value of a P-Charging-Vector (RFC 7315 §4.6: `icid-value=<gen-value>` first, then
 * orig-ioi, term-ioi, icid-generated-at ... which are ignored). Quotes are removed. Null when
 * the parameter is missing or empty.
 */
export function icidValue(value: string): string | null {
  const v = parseParams(value)['icid-value'];
  if (v === undefined) return null;
  const unquoted = v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v;
  return unquoted.trim() === '' ? null : unquoted.trim();
}

/** One earlier target of a forwarded INVITE, as its History-Info or Diversion names it. */
export interface ForwardEntry {
  header: 'History-Info' | 'Diversion';
  uri: SipUri;
  /** History-Info `index` ("1", "1.1"), Diversion `counter`; null when absent. */
  index: string | null;
  /** The entry as written. */
  value: string;
}

/**
 * History-Info entries (RFC 7044 §4.1: `<uri>;index=1.1;rc=1, ...`), in message order, across
 * repeated header lines. Entries whose URI does not parse are skipped.
 */
export function historyInfo(headers: SipHeader[]): ForwardEntry[] {
  return entries(headers, 'history-info', 'History-Info', 'index');
}

/**
 * Diversion entries (RFC 5806 §4: `<uri>;reason=no-answer;counter=1, ...`), the most recent
 * diversion first, across repeated header lines.
 */
export function diversion(headers: SipHeader[]): ForwardEntry[] {
  return entries(headers, 'diversion', 'Diversion', 'counter');
}

function entries(headers: SipHeader[], name: string, header: ForwardEntry['header'], indexParam: string): ForwardEntry[] {
  const out: ForwardEntry[] = [];
  for (const value of headerValues(headers, name)) {
    const na = parseNameAddr(value);
    if (!na || na.uri.scheme === '') continue;
    out.push({ header, uri: na.uri, index: na.params[indexParam] ?? null, value });
  }
  return out;
}
