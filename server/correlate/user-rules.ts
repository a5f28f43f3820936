/**
 * Correlation rules of the config file (`correlationRules`): "legs whose X-HDAP-TraceId is equal
 * belong together", "legs whose Call-ID matches ^(\w+)-leg\d$ with the same capture belong
 * together". A rule reads a header (any case, compact forms too) or the Call-ID, takes capture
 * group 1 of its regex (the whole trimmed value without one), and links the leg to that value as
 * a shared id. Pure: checking, compiling and applying; the config file is read elsewhere.
 */
import { canonicalName, isToken } from '../sip/headers.ts';

/** One rule as the config file writes it. */
export interface CorrelationRule {
  /** Shown in the legend ("hdap"); unique among the rules. */
  name: string;
  /** Header to read, any case; exactly one of `header` and `callId`. */
  header?: string;
  /** Read the Call-ID instead of a header. */
  callId?: boolean;
  /** JavaScript regular expression with at least one capture group; group 1 is the shared value. */
  regex?: string;
}

/** A rule ready to apply: header as its canonical lower-case name, null for the Call-ID. */
export interface CompiledRule {
  name: string;
  header: string | null;
  regex: RegExp | null;
}

/**
 * `value` as a list of rules, or an Error naming `origin`, the rule and what is wrong with it:
 * not an object, no name, a duplicate name, neither or both of header and callId, a header
 * name that is not a token, a regex that does not compile or has no capture group.
 */
export function checkCorrelationRules(value: unknown, origin: string): CorrelationRule[] {
  if (!Array.isArray(value)) throw new Error(`${origin}: correlationRules must be a list of rules, got ${JSON.stringify(value)}`);
  const names = new Set<string>();
  return value.map((raw, i) => {
    const where = `${origin}: correlationRules[${i}]`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${where} must be an object like {"name": "hdap", "header": "X-HDAP-TraceId"}`);
    const r = raw as Record<string, unknown>;
    const unknown = Object.keys(r).filter((k) => !['name', 'header', 'callId', 'regex'].includes(k));
    if (unknown.length) throw new Error(`${where}: unknown field(s) ${unknown.join(', ')} (known: name, header, callId, regex)`);
    if (typeof r.name !== 'string' || r.name.trim() === '') throw new Error(`${where}: "name" must be a non-empty string`);
    const name = r.name.trim();
    if (names.has(name)) throw new Error(`${where}: duplicate rule name "${name}"`);
    names.add(name);
    const rule = `${where} ("${name}")`;
    const hasHeader = r.header !== undefined;
    if (r.callId !== undefined && typeof r.callId !== 'boolean') throw new Error(`${rule}: "callId" must be true or false`);
    if (hasHeader === (r.callId === true)) throw new Error(`${rule}: give either "header" or "callId": true`);
    if (hasHeader && (typeof r.header !== 'string' || !isToken(r.header.trim()))) {
      throw new Error(`${rule}: "header" must be a header name, got ${JSON.stringify(r.header)}`);
    }
    const out: CorrelationRule = hasHeader ? { name, header: (r.header as string).trim() } : { name, callId: true };
    if (r.regex !== undefined) {
      if (typeof r.regex !== 'string') throw new Error(`${rule}: "regex" must be a string`);
      let re: RegExp;
      try {
        re = new RegExp(r.regex);
      } catch (err) {
        throw new Error(`${rule}: bad regex ${JSON.stringify(r.regex)}: ${(err as Error).message}`);
      }
      if (captureGroups(re) === 0) throw new Error(`${rule}: regex ${JSON.stringify(r.regex)} has no capture group; wrap the shared part in ( )`);
      out.regex = r.regex;
    }
    return out;
  });
}

/** Number of capture groups of `re`: an alternative that matches the empty string reveals them. */
function captureGroups(re: RegExp): number {
  return new RegExp(`${re.source}|`).exec('')!.length - 1;
}

/** Rules ready to apply; assumes `rules` passed checkCorrelationRules. */
export function compileRules(rules: readonly CorrelationRule[]): CompiledRule[] {
  return rules.map((r) => ({
    name: r.name,
    header: r.callId ? null : canonicalName(r.header ?? ''),
    regex: r.regex === undefined ? null : new RegExp(r.regex),
  }));
}

/** The value `rule` takes from `text`: capture group 1 (or the whole text), trimmed; null when it does not match or is empty. */
export function ruleValue(rule: CompiledRule, text: string): string | null {
  if (rule.regex === null) return text.trim() || null;
  const m = rule.regex.exec(text);
  return m?.[1]?.trim() || null;
}
