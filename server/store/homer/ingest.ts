/**
 * Writing one batch's Homer rows: ids taken from each table's own sequence in one round trip,
 * then one binary COPY per table (homer/copy.ts), as heplify-server writes with COPY. Knowing the
 * ids before the rows go in is what lets COPY replace INSERT ... RETURNING: message ids
 * ("<profile>:<id>:<µs>") are needed by the grouping step and hepflow_extras.
 */
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { HOMER_PROFILES, type HomerProfile, tableName } from './tables.ts';
import type { HomerRow } from './rows.ts';
import { COPY_COLUMNS, encodeCopy } from './copy.ts';

export class HomerWriter {
  /** Profile → the sequence behind its id column (heplify's BIGSERIAL: hep_proto_*_id_seq), looked up once. */
  private seqs: Map<HomerProfile, string> | null = null;

  /** Writes `rows` inside the caller's transaction and returns each row's id (same order), as text. */
  async write(c: pg.PoolClient, rows: readonly HomerRow[]): Promise<string[]> {
    const seqs = this.seqs ?? (this.seqs = await sequences(c));
    const byProfile = new Map<HomerProfile, number[]>();
    rows.forEach((r, i) => (byProfile.get(r.profile) ?? byProfile.set(r.profile, []).get(r.profile)!).push(i));
    const profiles = [...byProfile.keys()];
    // nextval per row, all tables in one statement; ids of one table ascend in row order (sorted below).
    const { rows: got } = await c.query<{ p: HomerProfile; id: string }>(`SELECT x.p, nextval(x.s::regclass)::text AS id
      FROM unnest($1::text[], $2::text[], $3::int[]) AS x(p, s, n) CROSS JOIN LATERAL generate_series(1, x.n)`,
    [profiles, profiles.map((p) => seqs.get(p)!), profiles.map((p) => byProfile.get(p)!.length)]);
    const ids: string[] = new Array(rows.length);
    for (const p of profiles) {
      const idx = byProfile.get(p)!;
      const mine = got.filter((g) => g.p === p).map((g) => BigInt(g.id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      if (mine.length !== idx.length) throw new Error(`${tableName(p)}: ${mine.length} ids for ${idx.length} rows`);
      idx.forEach((i, k) => { ids[i] = String(mine[k]); });
      const data = encodeCopy(idx.map((i) => rows[i]), mine);
      await pipeline(Readable.from([data]), c.query(copyFrom(`COPY ${tableName(p)} ${COPY_COLUMNS} FROM STDIN (FORMAT binary)`)));
    }
    return ids;
  }
}

async function sequences(c: pg.PoolClient): Promise<Map<HomerProfile, string>> {
  const { rows } = await c.query<{ p: HomerProfile; s: string | null }>(
    `SELECT p, pg_get_serial_sequence('hep_proto_' || p, 'id') AS s FROM unnest($1::text[]) AS p`, [HOMER_PROFILES]);
  const out = new Map<HomerProfile, string>();
  for (const r of rows) {
    // heplify-server and createSchema both declare id BIGSERIAL; a table without a sequence cannot take COPY with ids.
    if (!r.s) throw new Error(`${tableName(r.p)}.id has no sequence (Homer 7 declares it BIGSERIAL)`);
    out.set(r.p, r.s);
  }
  return out;
}
