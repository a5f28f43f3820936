/**
 * The default SQLite store: reads on this thread, writes on a worker thread (sqlite-writer.ts),
 * checkpoints on another (sqlite-checkpointer.ts). Same behaviour as SqliteStore, which it uses
 * on both sides. Group views, the reads that can be large, are read on view threads of the API
 * instead (api/view-pool.ts), on connections of their own to the file that `sqliteFileOf` names.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../worker-thread.ts';
import { WRITE_RETRY_FIRST_MS, WRITE_RETRY_MAX_MS } from '../config.ts';
import { openSqliteStore, type SqliteStore } from './sqlite.ts';
import { packBatch, packedBytes, unpackBatch, type PackedBatch } from './message-batch.ts';
import type { WriterReply, WriterRequest } from './sqlite-writer.ts';
import { contentFault } from './sqlite-errors.ts';
import { writeSplitting } from './split.ts';
import type { RetentionCutoffs } from './retention.ts';
import type { StatsQuery, StatsRows } from '../kpi/stats.ts';
import { replayKpi, type KpiEvents, type KpiSink } from '../kpi/live-calls.ts';
import type {
  CallQuery, EpochMicros, GroupPage, GroupRecord, GroupSlice, MessageInput, OnSetAside, Store, StoreCounts, StoredMessage,
} from './types.ts';

type Pending = { resolve: (v: any) => void; reject: (e: Error) => void };
type Request = WriterRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;


/**
 * WAL pages at which the writer checkpoints by itself: only when the checkpointer thread falls
 * behind (128 MiB at 4 KiB pages, twice what a second of full-speed ingest writes between the
 * checkpointer's turns; SQLite's default is 1000 pages).
 */
const WRITER_BACKSTOP_PAGES = 32_768;

/**
 * How long the writer waits for another connection's lock (a second process on the file), ms. Short:
 * a refused write is retried with backoff anyway, and a close must find the thread idle soon.
 */
const WRITER_BUSY_MS = 100;

/** Smallest shared buffer lent for a packed batch (2,000 typical messages take ~1.2 MB). */
const BUFFER_MIN_BYTES = 256 << 10;
/**
 * Spare buffers kept: while the writer keeps up, a batch or two is written while the next is
 * packed. A writer behind holds the batcher's whole backlog, each batch in a buffer of its own, made for it.
 */
const SPARE_BUFFERS = 4;

export async function openThreadedSqliteStore(path: string): Promise<Store> {
  // The reader opens first: it creates the file and runs migrations before the writer starts.
  const reader = openSqliteStore(path);
  const stop = new SharedArrayBuffer(4);
  const worker = startWorker(new URL('./sqlite-writer.ts', import.meta.url),
    { path, stop, options: { walAutocheckpointPages: WRITER_BACKSTOP_PAGES, busyTimeoutMs: WRITER_BUSY_MS } }, 'sqlite-writer');
  const checkpointer = startWorker(new URL('./sqlite-checkpointer.ts', import.meta.url), { path }, 'sqlite-checkpt');
  const store = new ThreadedSqliteStore(path, reader, worker, checkpointer, new Int32Array(stop));
  await store.ready();
  return store;
}

/** The file of a threaded SQLite store, which other threads may open read-only; null for any other store. */
export function sqliteFileOf(store: Store): string | null {
  return store instanceof ThreadedSqliteStore && store.file !== ':memory:' ? store.file : null;
}

class ThreadedSqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  /**
   * The writer thread runs inserts in the order they were posted. Deep: a batch handed over is
   * packed and posted at once; it waits in the writer's inbox as bytes, and here only as its packed
   * text (kept for a retry), one string rather than a message object per message. At 4 deep,
   * batches waiting for a busy writer stayed here as message objects that every young collection
   * of the ingest thread copied: at 40,000 msg/s its scavenges took 4.3 s in 19 s, 1.2-1.9 s at 64
   * (bench/ingest calls-nosdp). Unbounded: at 64 a writer behind still left 72,000 of the
   * batcher's 200,000 as objects, and the ingest thread took 34-36 % of a core against 27 % with
   * the whole backlog packed (register-options at 60,000/s). The batcher's bounds count the
   * batches in flight, and are what bounds them.
   */
  readonly writeDepth = Infinity;
  readonly retriesWrites = true;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | null = null;
  private closing = false;
  /** Told the call KPI events the writer answers (followCalls). */
  private kpiSink: KpiSink | null = null;
  /** Shared buffers for packed batches, back here once the writer has answered. */
  private readonly spareBytes: Uint8Array[] = [];

  constructor(readonly file: string, private readonly reader: SqliteStore, private readonly worker: Worker, private readonly checkpointer: Worker,
    private readonly stop: Int32Array) {
    // Should it die, the writer's own checkpoints keep the WAL bounded: nothing to do but go on.
    checkpointer.on('error', () => {});
    worker.on('message', (r: WriterReply) => {
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      if (r.ok) p?.resolve(r.value);
      else p?.reject(Object.assign(new Error(r.error), { name: r.name, code: r.code }));
    });
    const fail = (err: Error) => {
      this.failure = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`SQLite writer thread exited (${code})`)));
  }

  private call(req: Request): Promise<any> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id });
    });
  }

  /** Resolves once the writer thread has opened the database. */
  ready(): Promise<void> {
    return this.call({ op: 'insert', batch: packBatch([]) });
  }

  /**
   * Packs the batch at once and keeps only the packed copy, retried until stored: the caller's
   * message objects then die young instead of being carried through garbage collections while
   * the writer works (at bench/pcap's pace that carrying cost more CPU than parsing a third of the
   * messages).
   */
  insert(batch: MessageInput[], onRetry?: (err: Error) => void, onSetAside?: OnSetAside): Promise<void> {
    if (!batch.length) return Promise.resolve();
    let packed: PackedBatch;
    const bytes = this.lendBytes(packedBytes(batch));
    try {
      packed = packBatch(batch, bytes);
    } catch (err) {
      this.giveBack(bytes);
      return this.split(batch, err, onRetry, onSetAside); // e.g. more than a buffer can hold
    }
    // The closure holds the packed copy only: `batch` is not kept while the writer works.
    return this.insertPacked(packed, onRetry).catch((err) => this.split(unpackBatch(packed), err, onRetry, onSetAside))
      .finally(() => this.giveBack(bytes));
  }

  /**
   * A shared buffer for a packed batch of `bytes` when ASCII (packBatch grows a copy of its own for
   * the rare batch whose UTF-8 does not fit). Reused, it costs no page faults: a fresh megabyte
   * cost about as much as copying it.
   */
  private lendBytes(bytes: number): Uint8Array {
    const want = bytes + (bytes >> 3);
    const i = this.spareBytes.findIndex((b) => b.byteLength >= want);
    if (i >= 0) return this.spareBytes.splice(i, 1)[0];
    return new Uint8Array(new SharedArrayBuffer(Math.max(want, BUFFER_MIN_BYTES)));
  }

  /** Keeps the largest spares: a batch a little larger than the last would not fit a smaller one. */
  private giveBack(bytes: Uint8Array): void {
    const spare = this.spareBytes;
    if (spare.length < SPARE_BUFFERS) spare.push(bytes);
    else {
      const i = spare.reduce((min, b, k) => (b.byteLength < spare[min].byteLength ? k : min), 0);
      if (spare[i].byteLength < bytes.byteLength) spare[i] = bytes;
    }
  }

  /** A batch refused for its content (only now unpacked again): the rest is stored, the culprits set aside. */
  private split(batch: MessageInput[], err: unknown, onRetry?: (err: Error) => void, onSetAside?: OnSetAside): Promise<void> {
    if (this.failure || contentFault(err) === null) return Promise.reject(err);
    return writeSplitting(batch, { write: async (part) => this.insertPacked(packBatch(part), onRetry), contentFault, onSetAside });
  }

  /** Retries until stored, except when the batch is refused for its content: that rejects at once. */
  private async insertPacked(batch: PackedBatch, onRetry?: (err: Error) => void): Promise<void> {
    for (let waitMs = WRITE_RETRY_FIRST_MS; ; waitMs = Math.min(WRITE_RETRY_MAX_MS, waitMs * 2)) {
      try {
        return this.kpiEvents(await this.call({ op: 'insert', batch }));
      } catch (err) {
        // The writer thread is gone (nothing to retry on), or retrying the same content would fail the same way.
        if (this.failure || this.closing || contentFault(err) !== null) throw err;
        onRetry?.(err as Error);
        await new Promise((r) => setTimeout(r, waitMs));
      }
    }
  }

  /** The calls are followed on the writer thread, where they are folded; their events come back with each reply. */
  followCalls(sink: KpiSink): (nowMicros: number) => Promise<void> {
    this.kpiSink = sink;
    return async (nowMicros) => this.kpiEvents(await this.call({ op: 'expire', nowMicros }).catch(() => undefined));
  }

  private kpiEvents(e: KpiEvents | undefined): void {
    if (e && this.kpiSink) replayKpi(e, this.kpiSink);
  }

  purge(cut: RetentionCutoffs): Promise<number> {
    return this.call({ op: 'purge', cut });
  }

  searchGroups(q: CallQuery): Promise<GroupPage> {
    return this.reader.searchGroups(q);
  }

  callStats(q: StatsQuery): Promise<StatsRows> {
    return this.reader.callStats(q);
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

  /** Writes what the writer holds until `deadline` (epoch ms), then refuses the rest: the thread is idle when terminated. */
  async close(deadline = Infinity): Promise<void> {
    this.closing = true;
    const cut = Number.isFinite(deadline) ? setTimeout(() => Atomics.store(this.stop, 0, 1), Math.max(0, deadline - Date.now())) : null;
    await this.checkpointer.terminate();
    if (!this.failure) await this.call({ op: 'close' }).catch(() => {});
    if (cut) clearTimeout(cut);
    await this.worker.terminate();
    await this.reader.close();
  }
}
