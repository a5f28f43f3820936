/**
 * Homer 7's data tables as heplify-server lays them out (DBShema="homer7", DBDriver="postgres"):
 * which table a message goes to, and how time partitions are named and sized.
 * Sources: heplify-server database/postgres.go `insert`, rotator/rotator.go, rotator/pgfiles.go.
 * Pure: no database access here.
 */
import { LOG_PROTO_TYPES, PROTO_TYPE } from '../../hep/chunks.ts';
import type { EpochMicros } from '../types.ts';

/** The Homer tables hepflow writes and reads, by their "<hepid>_<profile>" suffix. */
export const HOMER_PROFILES = ['1_call', '1_registration', '1_default', '100_default', '5_default', '35_default'] as const;
export type HomerProfile = (typeof HOMER_PROFILES)[number];

export const SIP_PROFILES: readonly HomerProfile[] = ['1_call', '1_registration', '1_default'];

export function tableName(p: HomerProfile): string {
  return `hep_proto_${p}`;
}

export function isProfile(s: string): s is HomerProfile {
  return (HOMER_PROFILES as readonly string[]).includes(s);
}

/** CSeq methods of heplify-server's "call" profile (decoder/sip.go): a dialog's whole life. */
const CALL_METHODS = new Set(['INVITE', 'ACK', 'BYE', 'CANCEL', 'UPDATE', 'PRACK', 'REFER', 'INFO', 'NOTIFY']);

/**
 * The table of one message. SIP goes by its CSeq method (a response follows its request's),
 * logs to 100, RTCP to 5, any other HEP type to 35 (heplify's default branch).
 */
export function profileOf(protoType: number, cseqMethod: string | null, method: string | null): HomerProfile {
  if (protoType === PROTO_TYPE.sip) {
    const m = (cseqMethod ?? method ?? '').toUpperCase();
    if (CALL_METHODS.has(m)) return '1_call';
    if (m === 'REGISTER') return '1_registration';
    return '1_default';
  }
  if (LOG_PROTO_TYPES.has(protoType)) return '100_default'; // 86 too: older OpenSIPS's xlog
  if (protoType === PROTO_TYPE.rtcp) return '5_default';
  return '35_default';
}

/** heplify-server setStep: the only partition steps it accepts, in minutes. */
const STEPS: Record<string, number> = {
  '5m': 5, '10m': 10, '15m': 15, '20m': 20, '30m': 30, '45m': 45, '1h': 60, '2h': 120, '6h': 360, '12h': 720, '1d': 1440,
};

/** Partition step in µs; throws on a step heplify-server would not accept. */
export function partitionStepMicros(step: string): number {
  const minutes = STEPS[step];
  if (!minutes) throw new Error(`pgPartitionStep must be one of ${Object.keys(STEPS).join(', ')}; got "${step}"`);
  return minutes * 60_000_000;
}

/** Start of the partition holding `ts`. Every step divides a day, so epoch alignment = midnight alignment (UTC). */
export function partitionStart(ts: EpochMicros, stepMicros: number): EpochMicros {
  return Math.floor(ts / stepMicros) * stepMicros;
}

/** "<table>_YYYYMMDD_HHMM" of the partition starting at `start` (UTC), as rotator.go names it. */
export function partitionName(p: HomerProfile, start: EpochMicros): string {
  const d = new Date(start / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${tableName(p)}_${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}_${two(d.getUTCHours())}${two(d.getUTCMinutes())}`;
}

/** µs since the epoch → "2023-11-14T22:13:20.123456Z", the form PostgreSQL reads into timestamptz exactly. */
export function isoMicros(ts: EpochMicros): string {
  const ms = Math.floor(ts / 1000);
  const us = ts - ms * 1000;
  return new Date(ms).toISOString().replace('Z', `${String(us).padStart(3, '0')}Z`);
}

/** The CREATE statements of a partition and its indexes (pgfiles.go parsippg/idxsippg, idxlogpg, idxqospg). */
export function partitionDdl(p: HomerProfile, start: EpochMicros, stepMicros: number): string[] {
  const part = partitionName(p, start);
  const idx = (suffix: string, expr: string) => `CREATE INDEX IF NOT EXISTS ${part}_${suffix} ON ${part} (${expr})`;
  const out = [
    `CREATE TABLE IF NOT EXISTS ${part} PARTITION OF ${tableName(p)} FOR VALUES FROM ('${isoMicros(start)}') TO ('${isoMicros(start + stepMicros)}')`,
    idx('create_date', 'create_date'),
    idx('sid', 'sid'),
    // Unquoted like heplify's, so PostgreSQL folds the names the same way (…_srcip).
    idx('srcIp', `(protocol_header->>'srcIp')`),
    idx('dstIp', `(protocol_header->>'dstIp')`),
    idx('correlation_id', `(protocol_header->>'correlation_id')`),
  ];
  if (SIP_PROFILES.includes(p)) {
    for (const k of ['ruri_domain', 'ruri_user', 'from_user', 'to_user', 'pid_user', 'auth_user', 'callid', 'method']) {
      out.push(idx(k, `(data_header->>'${k}')`));
    }
  }
  return out;
}

/** The parent tables (pgfiles.go tbldatapg): no primary key, partitioned by create_date. */
export function parentDdl(p: HomerProfile): string {
  return `CREATE TABLE IF NOT EXISTS ${tableName(p)} (
    id BIGSERIAL NOT NULL,
    sid varchar NOT NULL,
    create_date timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    protocol_header jsonb NOT NULL,
    data_header jsonb NOT NULL,
    raw varchar NOT NULL
  ) PARTITION BY RANGE (create_date)`;
}

/**
 * Upper bound of a partition from pg_get_expr(relpartbound), with the session in UTC:
 * "FOR VALUES FROM ('2023-11-14 22:00:00+00') TO ('2023-11-14 23:00:00+00')". Null when unreadable
 * (MAXVALUE, a default partition).
 */
export function partitionUpperBound(expr: string): EpochMicros | null {
  const m = /TO \('([^']+)'\)/.exec(expr);
  if (!m) return null;
  const ms = Date.parse(m[1].replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
  if (Number.isNaN(ms)) return null;
  const frac = /\.(\d+)/.exec(m[1])?.[1] ?? '';
  return Math.floor(ms) * 1000 + Number((frac + '000000').slice(3, 6));
}
