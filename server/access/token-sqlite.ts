/**
 * API tokens in the SQLite store's file, table api_tokens. The table is made by the first
 * `hepflow token create`, so a store without tokens is the same file as before; until then every
 * lookup answers "unknown".
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { isRole } from './roles.ts';
import type { TokenRecord, TokenStore } from './tokens.ts';

const DDL = `CREATE TABLE IF NOT EXISTS api_tokens (
  hash       TEXT PRIMARY KEY,               -- SHA-256 of the token, hex
  name       TEXT NOT NULL,
  role       TEXT NOT NULL,
  created_at INTEGER NOT NULL,               -- ms since the epoch
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
) WITHOUT ROWID`;

type Row = { name: string; role: string; created_at: number; expires_at: number; revoked_at: number | null };

function toRecord(r: Row): TokenRecord {
  if (!isRole(r.role)) throw new Error(`api_tokens: token "${r.name}" has an unknown role "${r.role}"`);
  return { name: r.name, role: r.role, createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at };
}

/** `create`: make the file when missing (the token verb may come before the first start). */
export function openSqliteTokens(path: string, create = false): TokenStore {
  if (create && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // No file (':memory:', or a lookup before the store made it): an empty in-memory table.
  const db = path === ':memory:' || (!create && !existsSync(path)) ? new Database(':memory:') : new Database(path);
  db.pragma('busy_timeout = 5000');
  const hasTable = () => db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'api_tokens'`).get() !== undefined;
  return {
    async create(t, hash) {
      db.transaction(() => {
        db.exec(DDL);
        if (db.prepare('SELECT 1 FROM api_tokens WHERE name = ? AND revoked_at IS NULL').get(t.name)) {
          throw new Error(`a token named "${t.name}" exists; revoke it first`);
        }
        db.prepare('INSERT INTO api_tokens (hash, name, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
          .run(hash, t.name, t.role, t.createdAt, t.expiresAt);
      })();
    },
    async byHash(hash) {
      if (!hasTable()) return null;
      const r = db.prepare('SELECT * FROM api_tokens WHERE hash = ?').get(hash) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    async list() {
      if (!hasTable()) return [];
      return (db.prepare('SELECT * FROM api_tokens ORDER BY created_at, name').all() as Row[]).map(toRecord);
    },
    async anyIssued() {
      return hasTable() && db.prepare('SELECT 1 FROM api_tokens LIMIT 1').get() !== undefined;
    },
    async revoke(name, at) {
      if (!hasTable()) return false;
      return db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL').run(at, name).changes > 0;
    },
    async close() {
      db.close();
    },
  };
}
