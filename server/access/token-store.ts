/** The token table of the configured store: PostgreSQL for a postgres:// store, else the SQLite file. */
import { isPostgresUrl } from '../store/open.ts';
import { openSqliteTokens } from './token-sqlite.ts';
import type { TokenStore } from './tokens.ts';

/** `create`: make the SQLite file when missing (the token verb may run before the first start). */
export async function openTokenStore(store: string, create = false): Promise<TokenStore> {
  if (isPostgresUrl(store)) {
    // Loaded only when asked for, as the PostgreSQL store is (store/open.ts).
    const { openPostgresTokens } = await import('./token-postgres.ts');
    return openPostgresTokens(store);
  }
  return openSqliteTokens(store, create);
}
