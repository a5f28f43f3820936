/**
 * The links one SIP message carries to other calls, as reason codes. Links that need earlier
 * messages (blind transfers, forwards, redirects) leave no id in the new call; they are matched
 * apart, in window.ts. Pure: no store, no config object, no I/O.
 */
import { CHUNK } from '../hep/chunks.ts';
import type { SipMessage } from '../sip/types.ts';
import type { LinkInput } from './types.ts';
import { compileRules, ruleValue, type CompiledRule, type CorrelationRule } from './user-rules.ts';

/** How the HEP correlation chunk is named in a link's `header` ("0x0011"). */
export const HEP_CORRELATION_HEADER = `0x${CHUNK.correlationId.toString(16).padStart(4, '0')}`;

/**
 * "<callid>_b2b-<n>": the B-leg Call-ID convention of hepgen.js and several B2BUAs, which Homer's
 * default correlation mapping also follows (homer-app jsonschema.go CorrelationMapping1call).
 */
const B2B_SUFFIX = /^(.+)_b2b-\d+$/;

export interface LinkOptions {
  /** Header names (any case) whose value is another leg's Call-ID: X-CID, X-Call-ID, ... */
  correlationHeaders: string[];
  /** The config file's correlationRules, already checked (checkCorrelationRules). */
  correlationRules?: readonly CorrelationRule[];
}

/**
 * Every link `sip` carries, in rule order, without duplicates (same rule and target) and never to
 * its own Call-ID. `hepCorrelationId` is HEP3 chunk 0x0011 as received, null when absent.
 * A message without a Call-ID carries no links (it cannot be placed in a call).
 */
export function linksOf(sip: SipMessage, hepCorrelationId: string | null, opts: LinkOptions): LinkInput[] {
  const own = sip.callId;
  const out: LinkInput[] = [];
  if (!own) return out;

  // Rule 1: OpenSIPS trace(..., correlation_id) forces an id on every message of the traced
  // dialog / B2B session; Kamailio sip_trace(uri, corr) on the requests it traces directly.
  if (hepCorrelationId) {
    add(out, own, { target: hepCorrelationId, rule: 'hep-correlation-id', header: HEP_CORRELATION_HEADER, value: hepCorrelationId });
  }
  // Rule 2: RFC 3891 Replaces and RFC 3911 Join name the dialog (Call-ID first) they act on.
  if (sip.replaces) {
    add(out, own, { target: sip.replaces.callId, rule: 'replaces', header: 'Replaces', value: headerValue(sip, 'replaces') ?? sip.replaces.callId });
  }
  if (sip.join) {
    add(out, own, { target: sip.join.callId, rule: 'join', header: 'Join', value: headerValue(sip, 'join') ?? sip.join.callId });
  }
  // Rule 3: attended transfer, RFC 5589 §7: Refer-To: <sip:target?Replaces=callid;to-tag;from-tag>.
  if (sip.referTo?.replaces) {
    add(out, own, { target: sip.referTo.replaces.callId, rule: 'refer-replaces', header: 'Refer-To', value: headerValue(sip, 'refer-to') ?? sip.referTo.uri.uri });
  }
  // Rule 4: configured A-leg headers; the value is the other leg's Call-ID.
  for (const h of correlationValues(sip, opts.correlationHeaders)) {
    add(out, own, { target: h.value, rule: 'header', header: h.name, value: h.value });
  }
  // Rule 5: the "_b2b-N" suffix names the A-leg's Call-ID.
  const m = own.includes('_b2b-') ? B2B_SUFFIX.exec(own) : null;
  if (m) add(out, own, { target: m[1], rule: 'b2b-suffix', header: 'Call-ID', value: own });
  // RFC 7989: each non-nil UUID is shared by every leg of the session; local and remote swap
  // sides at each B2BUA, and early messages carry only one, so each is a shared id of its own.
  const sid = sip.sessionId;
  if (sid) {
    const value = headerValue(sip, 'session-id') ?? '';
    if (sid.local) add(out, own, { target: sid.local, rule: 'session-id', header: 'Session-ID', value });
    if (sid.remote) add(out, own, { target: sid.remote, rule: 'session-id', header: 'Session-ID', value });
  }
  // RFC 7315 §4.6: the icid-value is the same on every leg of an IMS call, through every node.
  if (sip.icid) add(out, own, { target: sip.icid, rule: 'icid', header: 'P-Charging-Vector', value: headerValue(sip, 'p-charging-vector') ?? sip.icid });
  const rules = opts.correlationRules;
  if (rules !== undefined && rules.length !== 0) userLinks(out, own, sip, compiled(rules));
  return out;
}

interface RuleSet {
  callId: CompiledRule[];
  byHeader: Map<string, CompiledRule[]>;
}

/** Rules compiled once per list (the collector passes the config's own array every time). */
const ruleCache = new WeakMap<readonly CorrelationRule[], RuleSet>();
function compiled(rules: readonly CorrelationRule[]): RuleSet {
  let set = ruleCache.get(rules);
  if (!set) {
    set = { callId: [], byHeader: new Map() };
    for (const r of compileRules(rules)) {
      if (r.header === null) set.callId.push(r);
      else set.byHeader.set(r.header, [...(set.byHeader.get(r.header) ?? []), r]);
    }
    ruleCache.set(rules, set);
  }
  return set;
}

/** The config file's rules: each names its shared value, the rule's name goes in `header`. */
function userLinks(out: LinkInput[], own: string, sip: SipMessage, rules: RuleSet): void {
  for (const r of rules.callId) {
    const v = ruleValue(r, own);
    if (v !== null) add(out, own, { target: v, rule: 'user', header: r.name, value: own });
  }
  if (rules.byHeader.size === 0) return;
  for (const h of sip.headers) {
    const list = rules.byHeader.get(h.name);
    if (list === undefined) continue;
    for (const r of list) {
      const v = ruleValue(r, h.value);
      if (v !== null) add(out, own, { target: v, rule: 'user', header: r.name, value: h.value });
    }
  }
}

/** Adds `l` to `out` unless it is empty, points at `own`, or repeats a rule and target. */
function add(out: LinkInput[], own: string, l: LinkInput): void {
  const target = l.target.trim();
  if (!target || target === own) return;
  if (out.some((o) => o.rule === l.rule && o.target === target)) return;
  out.push({ ...l, target });
}

/** First value of header `name` (canonical lower-case name), as written. */
function headerValue(sip: SipMessage, name: string): string | null {
  return sip.headers.find((h) => h.name === name)?.value ?? null;
}

/** Lower-cased name → configured spelling, once per list (the collector passes the same one). */
const wantedCache = new WeakMap<string[], Map<string, string>>();
function wantedNames(names: string[]): Map<string, string> {
  let wanted = wantedCache.get(names);
  if (!wanted) {
    wanted = new Map(names.map((n) => [n.toLowerCase(), n]));
    wantedCache.set(names, wanted);
  }
  return wanted;
}

/**
 * Values of the configured correlation headers: those the parser extracted, plus any configured
 * name it was not told about (the parser and the linker may run with different lists).
 */
function correlationValues(sip: SipMessage, names: string[]): { name: string; value: string }[] {
  // Most messages carry none: nothing is allocated for them (this runs for every message).
  if (names.length === 0) return [];
  const wanted = wantedNames(names);
  let found: { name: string; value: string }[] | null = null;
  for (const h of sip.correlationHeaders) if (wanted.has(h.name.toLowerCase())) (found ??= []).push(h);
  for (const h of sip.headers) {
    const name = wanted.get(h.name);
    if (name && !found?.some((f) => f.name.toLowerCase() === h.name && f.value === h.value)) {
      (found ??= []).push({ name, value: h.value });
    }
  }
  return found === null ? [] : found.map((h) => ({ name: wanted.get(h.name.toLowerCase()) ?? h.name, value: h.value.trim() }));
}
