/** Chooses the store from config.store: a postgres:// URL, or else an SQLite file path. */
import type { Config } from '../config.ts';
import type { GroupReads, Store } from './types.ts';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openThreadedSqliteStore } from './sqlite-threaded.ts';
import { openSqliteStore } from './sqlite.ts';

export function isPostgresUrl(s: string): boolean {
  return /^postgres(ql)?:\/\//.test(s);
}

export async function openStore(config: Config, log?: (msg: string, fields?: object) => void): Promise<Store> {
  if (isPostgresUrl(config.store)) {
    // Loaded only when asked for, so that the default path never needs PostgreSQL's client.
    const { openPostgresStore } = await import('./postgres.ts');
    return openPostgresStore(config, log);
  }
  mkdirSync(dirname(config.store), { recursive: true });
  return openThreadedSqliteStore(config.store);
}

/**
 * The group view's reads for a store that openStore opened. The PostgreSQL store has them. The
 * threaded SQLite store forwards only Store's methods (sqlite-threaded.ts), so its group reads
 * come from a reader connection of their own, which `close` closes (and nothing of the store).
 */
export function openGroupReads(config: Config, store: Store): { reads: GroupReads; close(): Promise<void> } {
  if (hasGroupReads(store)) return { reads: store, close: async () => {} };
  const reader = openSqliteStore(config.store);
  return { reads: reader, close: () => reader.close() };
}

function hasGroupReads(store: Store): store is Store & GroupReads {
  return 'getGroupSlice' in store && 'getPayloads' in store;
}
