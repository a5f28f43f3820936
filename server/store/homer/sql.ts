/**
 * SQL text over Homer's tables. Every query names the parent tables with a create_date range, so
 * PostgreSQL prunes to the partitions of that time, as Homer's own queries do.
 */
import { HOMER_PROFILES, SIP_PROFILES, type HomerProfile, tableName } from './tables.ts';

/** Columns read for one message; ts is create_date in µs (exact: extract() is numeric since PostgreSQL 14). */
export function selectRow(p: HomerProfile): string {
  return `SELECT '${p}' AS profile, id::text AS id, sid, (extract(epoch FROM create_date) * 1000000)::int8::text AS ts,
    protocol_header, data_header, raw FROM ${tableName(p)}`;
}

/** Rows of the given sids ($1 text[]) within [$2, $3] (timestamptz) from every table. */
export const ROWS_OF_SIDS = HOMER_PROFILES.map((p) => `${selectRow(p)} WHERE create_date BETWEEN $2 AND $3 AND sid = ANY($1)`)
  .join('\nUNION ALL\n');

/**
 * Rows naming one of the ids $1 within [$2, $3]: by sid, by "<id>_b2b-1" sid ($4), by correlation_id,
 * and INVITE/REFER rows whose raw contains one of the LIKE patterns $5 (Replaces, Refer-To, X-CID).
 */
export const ROWS_NAMING = [
  ...HOMER_PROFILES.map((p) => `${selectRow(p)} WHERE create_date BETWEEN $2 AND $3
    AND (sid = ANY($1) OR sid = ANY($4) OR protocol_header->>'correlation_id' = ANY($1))`),
  `${selectRow('1_call')} WHERE create_date BETWEEN $2 AND $3 AND data_header->>'method' IN ('INVITE', 'REFER')
    AND raw LIKE ANY($5)`,
].join('\nUNION ALL\n');

/** Earliest row with sid or correlation_id = $1, over all time (the one query without a window: it has no time to start from). */
export const SEED_TIME = `SELECT (extract(epoch FROM min(t)) * 1000000)::int8::text AS ts FROM (
  ${HOMER_PROFILES.map((p) => `SELECT min(create_date) AS t FROM ${tableName(p)} WHERE sid = $1 OR protocol_header->>'correlation_id' = $1`).join('\nUNION ALL\n  ')}
) x`;

/** "%<id>%" with LIKE's wildcards escaped. */
export function containsPattern(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
}

/** A row condition of a search filter, with the tables it applies to. */
export interface RowFilter {
  profiles: readonly HomerProfile[];
  /** SQL over one Homer row, with `$n` placeholders already numbered. */
  cond: string;
}

/** Row conditions for a search; `arg` registers a parameter and returns its placeholder. */
export function rowFilters(q: { callId?: string; correlationId?: string; user?: string; ip?: string; method?: string;
  status?: number; q?: string }, arg: (v: unknown) => string): RowFilter[] {
  const out: RowFilter[] = [];
  if (q.callId) out.push({ profiles: HOMER_PROFILES, cond: `sid = ${arg(q.callId)}` });
  if (q.correlationId) {
    const a = arg(q.correlationId);
    out.push({ profiles: HOMER_PROFILES, cond: `(sid = ${a} OR protocol_header->>'correlation_id' = ${a})` });
  }
  if (q.user) {
    const a = arg(q.user);
    out.push({ profiles: SIP_PROFILES, cond: `(data_header->>'from_user' = ${a} OR data_header->>'to_user' = ${a})` });
  }
  if (q.ip) {
    const a = arg(q.ip);
    out.push({ profiles: HOMER_PROFILES, cond: `(protocol_header->>'srcIp' = ${a} OR protocol_header->>'dstIp' = ${a})` });
  }
  if (q.method) out.push({ profiles: SIP_PROFILES, cond: `data_header->>'method' = ${arg(q.method.toUpperCase())}` });
  if (q.status !== undefined) out.push({ profiles: SIP_PROFILES, cond: `data_header->>'method' = ${arg(String(q.status))}` });
  if (q.q) {
    const a = arg(q.q);
    out.push({ profiles: HOMER_PROFILES, cond: `(sid = ${a} OR protocol_header->>'correlation_id' = ${a}
      OR protocol_header->>'srcIp' = ${a} OR protocol_header->>'dstIp' = ${a}
      OR data_header->>'from_user' = ${a} OR data_header->>'to_user' = ${a})` });
  }
  return out;
}

/** `SELECT sid` of the rows matching `f` within the time condition `time`, over its tables. */
export function sidsWhere(f: RowFilter, time: string): string {
  return f.profiles.map((p) => `SELECT sid FROM ${tableName(p)} WHERE ${time} AND ${f.cond}`).join(' UNION ALL ');
}
