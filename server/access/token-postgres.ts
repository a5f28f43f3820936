/**
 * API tokens in the PostgreSQL store, table hepflow_tokens beside hepflow's other tables, shared by
 * every process on the database. Made by the first `hepflow token create`; until then every lookup
 * answers "unknown".
 */
import pg from 'pg';
import { isRole } from './roles.ts';
import type { TokenRecord, TokenStore } from './tokens.ts';

const DDL = `CREATE TABLE IF NOT EXISTS hepflow_tokens (
  hash text PRIMARY KEY,                      -- SHA-256 of the token, hex
  name text NOT NULL, role text NOT NULL,
  created_at bigint NOT NULL, expires_at bigint NOT NULL, revoked_at bigint)`;

/** SQLSTATE undefined_table: no token was ever created. */
const NO_TABLE = '42P01';

type Row = { name: string; role: string; created_at: string; expires_at: string; revoked_at: string | null };

function toRecord(r: Row): TokenRecord {
  if (!isRole(r.role)) throw new Error(`hepflow_tokens: token "${r.name}" has an unknown role "${r.role}"`);
  return { name: r.name, role: r.role, createdAt: Number(r.created_at), expiresAt: Number(r.expires_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at) };
}

export function openPostgresTokens(url: string): TokenStore {
  // Token checks are one indexed lookup each: two connections are plenty beside the store's pool.
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {}); // an idle client lost: the next query opens another
  const rows = async (sql: string, params: unknown[] = []): Promise<Row[]> => {
    try {
      return (await pool.query<Row>(sql, params)).rows;
    } catch (err) {
      if ((err as { code?: string }).code === NO_TABLE) return [];
      throw err;
    }
  };
  return {
    async create(t, hash) {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await c.query(DDL);
        // One creator at a time, so that two of the same name cannot both pass the check.
        await c.query('LOCK TABLE hepflow_tokens IN SHARE ROW EXCLUSIVE MODE');
        const dup = await c.query('SELECT 1 FROM hepflow_tokens WHERE name = $1 AND revoked_at IS NULL', [t.name]);
        if (dup.rowCount) throw new Error(`a token named "${t.name}" exists; revoke it first`);
        await c.query('INSERT INTO hepflow_tokens (hash, name, role, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
          [hash, t.name, t.role, t.createdAt, t.expiresAt]);
        await c.query('COMMIT');
      } catch (err) {
        await c.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        c.release();
      }
    },
    async byHash(hash) {
      const [r] = await rows('SELECT * FROM hepflow_tokens WHERE hash = $1', [hash]);
      return r ? toRecord(r) : null;
    },
    async list() {
      return (await rows('SELECT * FROM hepflow_tokens ORDER BY created_at, name')).map(toRecord);
    },
    async anyIssued() {
      return (await rows('SELECT name FROM hepflow_tokens LIMIT 1')).length > 0;
    },
    async revoke(name, at) {
      try {
        return ((await pool.query('UPDATE hepflow_tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL', [at, name])).rowCount ?? 0) > 0;
      } catch (err) {
        if ((err as { code?: string }).code === NO_TABLE) return false;
        throw err;
      }
    },
    async close() {
      await pool.end();
    },
  };
}
