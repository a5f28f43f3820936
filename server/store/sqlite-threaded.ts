/**
 * The default SQLite store: reads on this thread, writes on a worker thread (sqlite-writer.ts).
 * Same behaviour as SqliteStore, which it uses on both sides.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../worker-thread.ts';
import { openSqliteStore, type SqliteStore } from './sqlite.ts';
import { packBatch, transferList } from './message-batch.ts';
import type { WriterReply, WriterRequest } from './sqlite-writer.ts';
import type { CallQuery, EpochMicros, GroupPage, GroupRecord, GroupSlice, MessageInput, Store, StoreCounts, StoredMessage } from './types.ts';

type Pending = { resolve: (v: any) => void; reject: (e: Error) => void };
type Request = WriterRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export async function openThreadedSqliteStore(path: string): Promise<Store> {
  // The reader opens first: it creates the file and runs migrations before the writer starts.
  const reader = openSqliteStore(path);
  const worker = startWorker(new URL('./sqlite-writer.ts', import.meta.url), { path });
  const store = new ThreadedSqliteStore(reader, worker);
  await store.ready();
  return store;
}

class ThreadedSqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  // The writer thread runs inserts in the order they were posted.
  readonly writeDepth = 2;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | null = null;

  constructor(private readonly reader: SqliteStore, private readonly worker: Worker) {
    worker.on('message', (r: WriterReply) => {
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      if (r.ok) p?.resolve(r.value);
      else p?.reject(new Error(r.error));
    });
    const fail = (err: Error) => {
      this.failure = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`SQLite writer thread exited (${code})`)));
  }

  private call(req: Request, transfer: ArrayBuffer[] = []): Promise<any> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id }, transfer);
    });
  }

  /** Resolves once the writer thread has opened the database. */
  ready(): Promise<void> {
    return this.call({ op: 'insert', batch: packBatch([]) });
  }

  insert(batch: MessageInput[]): Promise<void> {
    if (!batch.length) return Promise.resolve();
    const packed = packBatch(batch);
    return this.call({ op: 'insert', batch: packed }, transferList(packed));
  }

  purgeBefore(before: EpochMicros): Promise<number> {
    return this.call({ op: 'purgeBefore', before });
  }

  searchGroups(q: CallQuery): Promise<GroupPage> {
    return this.reader.searchGroups(q);
  }

  getGroup(id: string): Promise<GroupRecord | null> {
    return this.reader.getGroup(id);
  }

  getGroupSlice(id: string, limit?: number): Promise<GroupSlice | null> {
    return this.reader.getGroupSlice(id, limit);
  }

  getPayloads(ids: readonly string[]): Promise<Map<string, string>> {
    return this.reader.getPayloads(ids);
  }

  getMessage(id: string): Promise<StoredMessage | null> {
    return this.reader.getMessage(id);
  }

  findRequests(method: string, since: EpochMicros, until: EpochMicros): Promise<StoredMessage[]> {
    return this.reader.findRequests(method, since, until);
  }

  counts(): Promise<StoreCounts> {
    return this.reader.counts();
  }

  async close(): Promise<void> {
    if (!this.failure) await this.call({ op: 'close' }).catch(() => {});
    await this.worker.terminate();
    await this.reader.close();
  }
}
