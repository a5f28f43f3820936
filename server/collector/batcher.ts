/**
 * Collects messages and writes them in batches: one transaction per batch amortises the commit.
 * Bounded: past `maxPending` messages not yet stored (waiting here or handed to the store) or
 * `maxPendingBytes` of their payloads new ones are dropped and counted, never queued without
 * limit. A failed write is kept and retried with backoff (a database that is down for a while
 * loses nothing until a bound is reached); while the backoff runs no write starts, whatever asks
 * for one.
 *
 * Bytes are measured as `raw.length` (UTF-16 code units: bytes for ASCII SIP), the payload that
 * dominates a message's size and the unit V8's string limit counts in.
 */
import type { MessageInput } from '../store/types.ts';
import type { Log } from '../log.ts';
import { MAX_BATCH_BYTES, WRITE_RETRY_FIRST_MS, WRITE_RETRY_MAX_MS } from '../config.ts';
import type { Metrics } from './metrics.ts';

export interface BatcherOptions {
  batchSize: number;
  batchDelayMs: number;
  /** Asked at each batch for the wait to use instead of batchDelayMs (ingest shortens it while a live view is open). */
  delayMs?(): number;
  /** Messages queued here or handed to write() and not yet stored; past it new ones are dropped and counted ('buffer-full'). */
  maxPending: number;
  /**
   * Payload bytes (raw.length) queued here or handed to write() and not yet stored; past it new
   * messages are dropped and counted ('buffer-bytes-full').
   */
  maxPendingBytes: number;
  /** Payload bytes per batch, at most (default MAX_BATCH_BYTES); a batch ends at `batchSize` messages or at this. */
  maxBatchBytes?: number;
  /** Writes one batch; may reject, the batch is then retried (unless `writeRetries`). */
  write(batch: MessageInput[], onRetry?: (err: Error) => void): Promise<void>;
  /**
   * The store retries failed writes itself (Store.retriesWrites) and reports each failed attempt
   * through `onRetry`: a batch handed to write() is then not kept here, so its messages can be
   * collected while the store works on it. A rejection means the store is gone: the batch is lost,
   * counted as dropped ('store-failed').
   */
  writeRetries?: boolean;
  /**
   * Batches written at once (default 1). A store that queues writes on a thread of its own takes
   * several, so that its next batches wait there while this thread is busy receiving or parsing.
   */
  maxInFlight?: number;
  /** Runs on each batch just before it is written (blind-transfer matching needs the whole batch). */
  prepare?(batch: MessageInput[]): Promise<void>;
  metrics: Metrics;
  log: Log;
}

export type DropReason = 'buffer-full' | 'buffer-bytes-full';

export class Batcher {
  private queue: MessageInput[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Date.now() when the oldest message waiting was added (about: kept across a partial drain), 0 for none. */
  private queuedSince = 0;
  private readonly writes = new Set<Promise<void>>();
  private backoffMs = 0;
  /** Date.now() before which no write starts (0: not backing off). */
  private resumeAt = 0;
  /** Payload bytes of the messages in `queue`. */
  private queuedBytes = 0;
  /** Payload bytes of the batches handed to write() and not yet settled. */
  private writingBytes = 0;
  /** Messages of the batches handed to write() and not yet settled. */
  private writingCount = 0;
  private readonly maxBatchBytes: number;
  private closed = false;

  constructor(private readonly o: BatcherOptions) {
    this.maxBatchBytes = o.maxBatchBytes ?? MAX_BATCH_BYTES;
  }

  /** Messages waiting here (batches being written are not counted). */
  get pending(): number {
    return this.queue.length;
  }

  /** Messages not yet stored: waiting here, or handed to the store and not yet settled. */
  get unsettled(): number {
    return this.queue.length + this.writingCount;
  }

  /** Payload bytes held: waiting here, or handed to the store and not yet stored. */
  get pendingBytes(): number {
    return this.queuedBytes + this.writingBytes;
  }

  /** Why add() would drop now, else null: callers skip the work of building a message that would be lost. */
  get full(): DropReason | null {
    if (this.unsettled >= this.o.maxPending) return 'buffer-full';
    if (this.queuedBytes + this.writingBytes >= this.o.maxPendingBytes) return 'buffer-bytes-full';
    return null;
  }

  add(m: MessageInput): void {
    const bytes = m.raw.length;
    if (this.unsettled >= this.o.maxPending) return this.drop('buffer-full');
    if (this.queuedBytes + this.writingBytes + bytes > this.o.maxPendingBytes) return this.drop('buffer-bytes-full');
    if (this.queue.length === 0) this.queuedSince = Date.now();
    this.queue.push(m);
    this.queuedBytes += bytes;
    this.kick(this.due());
  }

  private drop(reason: DropReason): void {
    this.o.metrics.dropped.inc({ reason });
  }

  /** A whole batch waits: `batchSize` messages or `maxBatchBytes` of payload. */
  private get batchReady(): boolean {
    return this.queue.length >= this.o.batchSize || this.queuedBytes >= this.maxBatchBytes;
  }

  /**
   * Ms until the next batch is due: at once when whole, else batchDelayMs after its oldest message
   * came (not after the last write ended: that made a message wait for a write and the full delay).
   */
  private due(): number {
    return this.batchReady ? 0 : Math.max(0, this.queuedSince + (this.o.delayMs?.() ?? this.o.batchDelayMs) - Date.now());
  }

  private kick(delay: number): void {
    if (this.closed) return;
    if (this.resumeAt !== 0) {
      // Backing off: nothing writes before the wait ends, a full batch included.
      const left = this.resumeAt - Date.now();
      if (left > 0) delay = Math.max(delay, left);
      else this.resumeAt = 0;
    }
    if (delay > 0) {
      // A write in progress kicks again when it ends.
      if (!this.timer && this.writes.size === 0) this.timer = setTimeout(() => { this.timer = null; this.kick(0); }, delay);
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // A partial batch goes only when nothing is being written; full ones while there is room.
    const depth = this.o.maxInFlight ?? 1;
    while (this.queue.length && this.writes.size < depth && (this.writes.size === 0 || this.batchReady)) {
      const write: Promise<void> = this.drain().finally(() => {
        this.writes.delete(write);
        if (this.queue.length) this.kick(this.due());
      });
      this.writes.add(write);
    }
  }

  /** Writes one batch. On failure the batch goes back to the head of the queue. */
  private async drain(): Promise<void> {
    const n = this.batchLength();
    if (n === 0) return;
    const batch = this.queue.splice(0, n);
    if (this.queue.length === 0) this.queuedSince = 0;
    let bytes = 0;
    for (let i = 0; i < n; i++) bytes += batch[i].raw.length;
    this.queuedBytes -= bytes;
    this.writingBytes += bytes;
    this.writingCount += n;
    const stop = this.o.metrics.batchSeconds.startTimer();
    try {
      await this.o.prepare?.(batch);
      if (this.o.writeRetries) {
        // No closure here may capture `batch`: the store keeps onRetry until the batch is stored.
        const count = batch.length;
        return this.handOver(count, bytes, this.o.write(batch, (err) => this.retrying(err, count)), stop);
      }
      await this.o.write(batch);
      this.writingBytes -= bytes;
      this.writingCount -= n;
      this.written(batch.length, stop);
    } catch (err) {
      this.writingBytes -= bytes;
      this.writingCount -= n;
      this.o.metrics.storeErrors.inc();
      this.backOff();
      this.o.log('store write failed, will retry', { error: (err as Error).message, batch: batch.length, retryMs: this.backoffMs });
      const room = this.o.maxPending - this.unsettled;
      if (room < batch.length) {
        this.o.metrics.dropped.inc({ reason: 'buffer-full' }, batch.length - Math.max(0, room));
        this.o.log('buffer full: dropped messages', { dropped: batch.length - Math.max(0, room) });
      }
      const kept = batch.slice(0, Math.max(0, room));
      for (const m of kept) this.queuedBytes += m.raw.length;
      this.queue.unshift(...kept);
    }
  }

  /** Messages of the next batch: up to `batchSize`, and at least one, up to `maxBatchBytes` of payload. */
  private batchLength(): number {
    const max = Math.min(this.queue.length, this.o.batchSize);
    let bytes = 0;
    let n = 0;
    while (n < max) {
      bytes += this.queue[n].raw.length;
      if (n > 0 && bytes > this.maxBatchBytes) break;
      n++;
    }
    return n;
  }

  /**
   * Waits for a write the store retries itself; `count` and `bytes` are all that is kept of its
   * batch: its bytes stay counted as pending until the store settles it.
   */
  private async handOver(count: number, bytes: number, write: Promise<void>, stop: () => void): Promise<void> {
    try {
      await write;
      this.written(count, stop);
    } catch (err) {
      this.o.metrics.storeErrors.inc();
      this.o.metrics.dropped.inc({ reason: 'store-failed' }, count);
      this.o.log('store failed: dropped messages', { error: (err as Error).message, dropped: count });
    } finally {
      this.writingBytes -= bytes;
      this.writingCount -= count;
    }
  }

  /** A store that retries itself failed an attempt: no further batch is handed to it until the backoff ends. */
  private retrying(err: Error, count: number): void {
    this.o.metrics.storeErrors.inc();
    this.backOff();
    this.o.log('store write failed, will retry', { error: err.message, batch: count });
  }

  /** Doubles the wait, WRITE_RETRY_FIRST_MS to WRITE_RETRY_MAX_MS, and starts it. */
  private backOff(): void {
    this.backoffMs = Math.min(WRITE_RETRY_MAX_MS, Math.max(WRITE_RETRY_FIRST_MS, this.backoffMs * 2));
    this.resumeAt = Date.now() + this.backoffMs;
  }

  private written(count: number, stop: () => void): void {
    stop();
    this.o.metrics.stored.inc(count);
    this.backoffMs = 0;
    this.resumeAt = 0;
  }

  /** Resolves once everything added so far is written (or the store keeps failing past `timeoutMs`). */
  async flush(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.queue.length || this.writes.size) && Date.now() < deadline) {
      await this.progress(deadline);
    }
  }

  /**
   * Resolves once at most `max` messages are not yet stored (waiting here or being written) and at
   * most half of `maxPendingBytes` is held, so that a caller that waits here (a capture import) is
   * not dropped for bytes right after. Batches being written count: the store takes many at once
   * (writeDepth), and each is kept here, packed, until stored.
   */
  async settle(max: number): Promise<void> {
    while (this.unsettled > max || (this.pendingBytes > this.o.maxPendingBytes / 2 && (this.queue.length || this.writes.size))) {
      await this.progress(Infinity);
    }
  }

  /** Resolves once the backlog is below its bounds again (or the batcher is closed). */
  async room(): Promise<void> {
    while (this.full && !this.closed) await this.progress(Infinity);
  }

  /** One step towards an empty queue: a write ends, the backoff ends (not past `deadline`), or a write starts. */
  private async progress(deadline: number): Promise<void> {
    const left = this.resumeAt - Date.now();
    if (this.writes.size) await Promise.race(this.writes);
    else if (left > 0) await new Promise((r) => setTimeout(r, Math.min(left, Math.max(0, deadline - Date.now()))));
    else this.kick(0);
  }

  /**
   * Stops writing at once (a shutdown out of time): what waits here is dropped and counted under
   * `reason`; batches already handed to the store go on. Answers how many were dropped.
   */
  abandon(reason: string): number {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const n = this.queue.length;
    if (n) this.o.metrics.dropped.inc({ reason }, n);
    this.queue = [];
    this.queuedBytes = 0;
    return n;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
