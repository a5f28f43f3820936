/** Parsing of query-string values shared by the routes. Each throws a 400-worthy error on bad input. */
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
