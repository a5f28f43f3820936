/** Chooses the store from config.store: a postgres:// URL, or else an SQLite file path. */
import type { Config } from '../config.ts';
import type { Log } from '../log.ts';
import type { Store } from './types.ts';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openThreadedSqliteStore } from './sqlite-threaded.ts';

export function isPostgresUrl(s: string): boolean {
  return /^postgres(ql)?:\/\//.test(s);
}

export async function openStore(config: Config, log?: Log): Promise<Store> {
  if (isPostgresUrl(config.store)) {
    // Loaded only when asked for, so that the default path never needs PostgreSQL's client.
    const { openPostgresStore } = await import('./postgres.ts');
    return openPostgresStore(config, log);
  }
  mkdirSync(dirname(config.store), { recursive: true });
  return openThreadedSqliteStore(config.store);
}
