/** Chooses the store from config.store: a postgres:// URL, or else an SQLite file path. */
import type { Config } from '../config.ts';
import type { CallQuery, EpochMicros, GroupReads, MessageInput, Store } from './types.ts';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openThreadedSqliteStore } from './sqlite-threaded.ts';
import { openSqliteStore, type SqliteStore } from './sqlite.ts';

export function isPostgresUrl(s: string): boolean {
  return /^postgres(ql)?:\/\//.test(s);
}

export async function openStore(config: Config, log?: (msg: string, fields?: object) => void): Promise<Store & GroupReads> {
  if (isPostgresUrl(config.store)) {
    // Loaded only when asked for, so that the default path never needs PostgreSQL's client.
    const { openPostgresStore } = await import('./postgres.ts');
    return openPostgresStore(config, log);
  }
  mkdirSync(dirname(config.store), { recursive: true });
  const store = await openThreadedSqliteStore(config.store);
  return new WithGroupReads(store, openSqliteStore(config.store));
}

/**
 * The threaded SQLite store forwards only Store's methods to its reader, so the group view's
 * reads (GroupReads) go to a reader connection of their own. When sqlite-threaded.ts forwards
 * them too, this class goes.
 */
class WithGroupReads implements Store, GroupReads {
  readonly kind;

  constructor(private readonly store: Store, private readonly reader: SqliteStore) {
    this.kind = store.kind;
  }

  insert(batch: MessageInput[]) { return this.store.insert(batch); }
  searchGroups(q: CallQuery) { return this.store.searchGroups(q); }
  getGroup(id: string) { return this.store.getGroup(id); }
  getMessage(id: string) { return this.store.getMessage(id); }
  findRequests(method: string, since: EpochMicros, until: EpochMicros) { return this.store.findRequests(method, since, until); }
  purgeBefore(before: EpochMicros) { return this.store.purgeBefore(before); }
  counts() { return this.store.counts(); }
  getGroupSlice(id: string, limit?: number) { return this.reader.getGroupSlice(id, limit); }
  getPayloads(ids: readonly string[]) { return this.reader.getPayloads(ids); }

  async close(): Promise<void> {
    await this.store.close();
    await this.reader.close();
  }
}
