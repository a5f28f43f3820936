/**
 * API tokens for scripts: a random secret shown once, stored only as its SHA-256, with a role and
 * an expiry. Pure: the tables are in token-sqlite.ts and token-postgres.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from './roles.ts';

/** Prefix of every token, so that a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_PREFIX = 'hf_';
/** Random bytes per token: 256 bits, beyond guessing, so one unsalted SHA-256 suffices to store it. */
const TOKEN_BYTES = 32;

export interface TokenRecord {
  name: string;
  role: Role;
  /** ms since the epoch. */
  createdAt: number;
  expiresAt: number;
  /** ms since the epoch; null while the token is valid. */
  revokedAt: number | null;
}

/** Where tokens live: a small table in the store (SQLite or PostgreSQL). */
export interface TokenStore {
  /** Stores a new token's hash; refuses a name already used by a token that is not revoked. */
  create(record: Omit<TokenRecord, 'revokedAt'>, hash: string): Promise<void>;
  /** The token whose hash this is, revoked or expired ones included; null when unknown. */
  byHash(hash: string): Promise<TokenRecord | null>;
  list(): Promise<TokenRecord[]>;
  /**
   * Whether any token was ever created, revoked and expired ones included: then the app is closed
   * to anonymous requests, and revoking the last token does not open it to everyone again.
   */
  anyIssued(): Promise<boolean>;
  /** Revokes the live token of that name; false when there is none. */
  revoke(name: string, at: number): Promise<boolean>;
  close(): Promise<void>;
}

export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(TOKEN_BYTES).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The role of a token record at `now` (ms), or why it gives none. */
export function tokenRole(t: TokenRecord | null, now: number): Role | 'unknown' | 'revoked' | 'expired' {
  if (!t) return 'unknown';
  if (t.revokedAt !== null) return 'revoked';
  if (t.expiresAt <= now) return 'expired';
  return t.role;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** "30d", "12h", "90m", "2w" → ms; throws on anything else. */
export function parseDuration(s: string): number {
  const m = /^(\d+)([mhdw])$/.exec(s.trim());
  if (!m || Number(m[1]) <= 0) throw new Error(`expiry must be a number and a unit (m, h, d, w), e.g. 30d; got "${s}"`);
  return Number(m[1]) * UNIT_MS[m[2]];
}
