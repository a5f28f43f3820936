/**
 * The embedded store: one SQLite file (better-sqlite3, WAL). Inserts run in one transaction per
 * batch (sqlite-insert.ts); groups are maintained at insert (see sqlite-schema.ts for the model);
 * reads in sqlite-read.ts, retention in sqlite-purge.ts.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './sqlite-schema.ts';
import { SqliteInsert } from './sqlite-insert.ts';
import { SqliteReads } from './sqlite-read.ts';
import { purge } from './sqlite-purge.ts';
import { sqliteStats } from './sqlite-stats.ts';
import type { StatsQuery, StatsRows } from '../kpi/stats.ts';
import type { RetentionCutoffs } from './retention.ts';
import type { KpiSink } from '../kpi/live-calls.ts';
import type {
  CallQuery, EpochMicros, GroupPage, GroupRecord, GroupSlice, MessageInput, Store, StoreCounts, StoredMessage,
} from './types.ts';

/** Page cache per connection, KiB. */
const CACHE_KIB = 64 * 1024;

export interface SqliteOptions {
  /** WAL size, in pages, at which a commit also checkpoints (SQLite's default: 1000). */
  walAutocheckpointPages?: number;
  /** How long a statement waits for another connection's write lock, ms (default 5000). */
  busyTimeoutMs?: number;
}

export function openSqliteStore(path: string, opts: SqliteOptions = {}): SqliteStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  const store = new SqliteStore(db);
  if (opts.walAutocheckpointPages !== undefined) db.pragma(`wal_autocheckpoint = ${opts.walAutocheckpointPages | 0}`);
  if (opts.busyTimeoutMs !== undefined) db.pragma(`busy_timeout = ${opts.busyTimeoutMs | 0}`);
  return store;
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly writes: SqliteInsert;
  private readonly reads: SqliteReads;

  constructor(private readonly db: Database.Database) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL'); // WAL + NORMAL: durable across a process crash, fast commits
    db.pragma('busy_timeout = 5000');
    // 64 MiB page cache (SQLite's default is 2 MiB): the Call-ID index is written all over as
    // calls interleave, and re-reading its pages from the OS cost ~20% of ingest (bench/query).
    db.pragma(`cache_size = -${CACHE_KIB}`);
    migrate(db);
    this.writes = new SqliteInsert(db);
    this.reads = new SqliteReads(db);
  }

  async insert(batch: MessageInput[]): Promise<void> {
    if (batch.length) this.writes.insert(batch);
  }

  followCalls(sink: KpiSink): (nowMicros: number) => Promise<void> {
    this.writes.followCalls(sink);
    return async (now) => this.writes.expireCalls(now);
  }

  async searchGroups(q: CallQuery): Promise<GroupPage> {
    return this.reads.searchGroups(q);
  }

  async callStats(q: StatsQuery): Promise<StatsRows> {
    return sqliteStats(this.db, q);
  }

  async getGroup(id: string): Promise<GroupRecord | null> {
    return this.reads.getGroup(id);
  }

  async getGroupSlice(id: string, limit?: number): Promise<GroupSlice | null> {
    return this.reads.getGroupSlice(id, limit);
  }

  async getPayloads(ids: readonly string[]): Promise<Map<string, string>> {
    return this.reads.getPayloads(ids);
  }

  async getMessage(id: string): Promise<StoredMessage | null> {
    return this.reads.getMessage(id);
  }

  async findRequests(method: string, since: EpochMicros, until: EpochMicros): Promise<StoredMessage[]> {
    return this.reads.findRequests(method, since, until);
  }

  purge(cut: RetentionCutoffs): Promise<number> {
    this.writes.forgetCalls(); // a purged call's terms and row are gone: a later message of it starts afresh
    return purge(this.db, cut);
  }

  async counts(): Promise<StoreCounts> {
    return this.reads.counts();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
