/** Parsing of query-string values shared by the routes. Each throws a 400-worthy error on bad input. */
import { isIP } from 'node:net';
import { escapeNul } from '../collector/storable.ts';
import type { CallQuery } from '../store/types.ts';
import { DISPOSITIONS, PROBLEM_CODE_LIST } from '../kpi/codes.ts';

export class BadRequest extends Error {
  statusCode = 400;
}

/** µs since the epoch, or an ISO 8601 date. */
export function parseTime(name: string, v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new BadRequest(`${name} must be microseconds since the epoch or an ISO date, got "${v}"`);
  return ms * 1000;
}

export function parseInt10(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new BadRequest(`${name} must be an integer from ${min} to ${max}`);
  return n;
}

export function str(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

/** Latest time a search may name, µs: 9999-12-31, past which dates do not print and PostgreSQL's bigint overflows. */
const MAX_TIME_MICROS = 253_402_300_799_999_999;
/** Largest PDD or duration bound, ms: the stores keep them as 32-bit integers (PostgreSQL integer), ~24 days. */
const MAX_KPI_MS = 2_147_483_647;

/** The filters of GET /api/v1/calls, also taken by the search list's live stream (GET /api/v1/live?calls=1). */
export type CallFilters = Omit<CallQuery, 'limit' | 'cursor'>;

/**
 * Reads the search filters of a query string (from, to, callId, correlationId, user, ip, method,
 * status, q, disposition, problem, minPddMs, minDurationMs, maxDurationMs); 400 for a bad one.
 * `ip` may be an alias name of `aliases` (config), read as the address it names.
 */
export function parseCallFilters(q: QueryValues, aliases: Record<string, string> = {}): CallFilters {
  const ms = (name: string) => parseInt10(name, one(q, name), 0, MAX_KPI_MS);
  const minDurationMs = ms('minDurationMs');
  const maxDurationMs = ms('maxDurationMs');
  if (minDurationMs !== undefined && maxDurationMs !== undefined && minDurationMs > maxDurationMs) {
    throw new BadRequest(`minDurationMs (${minDurationMs}) is above maxDurationMs (${maxDurationMs})`);
  }
  const [disposition, ...more] = oneOfEach(q, 'disposition', DISPOSITIONS);
  if (more.length) throw new BadRequest('disposition may be given once');
  return {
    from: time('from', one(q, 'from')),
    to: time('to', one(q, 'to')),
    callId: text(one(q, 'callId')),
    correlationId: text(one(q, 'correlationId')),
    user: text(one(q, 'user')),
    ip: addressOf(text(one(q, 'ip')), aliases),
    method: text(one(q, 'method'))?.toUpperCase(),
    status: parseInt10('status', one(q, 'status'), 100, 699),
    q: text(one(q, 'q')),
    disposition,
    problems: oneOfEach(q, 'problem', PROBLEM_CODE_LIST),
    minPddMs: ms('minPddMs'),
    minDurationMs,
    maxDurationMs,
  };
}

/**
 * A text filter as stored: the collector escapes NUL (collector/storable.ts), so a value sent with
 * one finds what was stored, and no store is handed a NUL (PostgreSQL's text refuses it).
 */
function text(v: string | undefined): string | undefined {
  const t = str(v);
  return t === undefined ? undefined : escapeNul(t);
}

/** parseTime within what every store can compare (0 to year 9999). */
function time(name: string, v: string | undefined): number | undefined {
  const t = parseTime(name, v);
  if (t !== undefined && !(Number.isSafeInteger(t) && t >= 0 && t <= MAX_TIME_MICROS)) {
    throw new BadRequest(`${name} must be from 0 to ${MAX_TIME_MICROS} microseconds since the epoch (year 9999)`);
  }
  return t;
}

/** A query string as Fastify parses it: a name sent more than once comes as an array. */
export type QueryValues = Record<string, string | string[] | undefined>;

/** The value of a parameter that may be sent once; 400 when it came more than once. */
export function one(q: QueryValues, name: string): string | undefined {
  const v = q[name];
  if (Array.isArray(v)) throw new BadRequest(`${name} may be given once, got ${v.length} values`);
  return v;
}

/** Every non-empty value of a repeatable parameter (`a=x&a=y`, or `a=x,y`), each one of `allowed`. */
export function oneOfEach<T extends string>(q: QueryValues, name: string, allowed: readonly T[]): T[] {
  const v = q[name];
  const values = (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter((x) => x !== '');
  for (const x of values) {
    if (!(allowed as readonly string[]).includes(x)) throw new BadRequest(`${name} must be one of ${allowed.join(', ')}, got "${x}"`);
  }
  return values as T[];
}

/**
 * An address filter as an address: an alias name ("SBC") stands for the one address its entries
 * name ("10.0.0.5", "10.0.0.5:5060", "[2001:db8::5]:5060"); anything else is taken as written.
 * 400 for an alias of several addresses, which one filter cannot match.
 */
export function addressOf(v: string | undefined, aliases: Record<string, string>): string | undefined {
  if (v === undefined || isIP(v)) return v;
  const hosts = new Set(Object.entries(aliases).filter(([, name]) => name === v).map(([key]) => hostOfEndpoint(key)));
  if (hosts.size > 1) throw new BadRequest(`ip: the alias ${JSON.stringify(v)} names several addresses (${[...hosts].join(', ')}); give one`);
  return hosts.size === 1 ? [...hosts][0] : v;
}

/** "10.0.0.5:5060" → "10.0.0.5", "[2001:db8::5]:5060" → "2001:db8::5"; an address alone as it is. */
function hostOfEndpoint(key: string): string {
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(key);
  if (v6) return v6[1];
  return isIP(key) ? key : key.replace(/:\d+$/, '');
}
