/**
 * Collects messages and writes them in batches: one transaction per batch amortises the commit.
 * Bounded: past `maxPending` waiting messages new ones are dropped and counted, never queued
 * without limit. A failed write is kept and retried with backoff (a database that is down for a
 * while loses nothing until the bound is reached).
 */
import type { MessageInput } from '../store/types.ts';
import type { Metrics } from './metrics.ts';

export interface BatcherOptions {
  batchSize: number;
  batchDelayMs: number;
  maxPending: number;
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
  log(msg: string, fields?: object): void;
}

/** Longest wait between retries of a failed write, ms. */
const MAX_BACKOFF_MS = 5000;

export class Batcher {
  private queue: MessageInput[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly writes = new Set<Promise<void>>();
  private backoffMs = 0;
  private closed = false;

  constructor(private readonly o: BatcherOptions) {}

  get pending(): number {
    return this.queue.length;
  }

  /** True while add() would drop: callers skip the work of building a message that would be lost. */
  get full(): boolean {
    return this.queue.length >= this.o.maxPending;
  }

  add(m: MessageInput): void {
    if (this.full) {
      this.o.metrics.dropped.inc({ reason: 'buffer-full' });
      return;
    }
    this.queue.push(m);
    if (this.queue.length >= this.o.batchSize) this.kick(0);
    else this.kick(this.o.batchDelayMs);
  }

  private kick(delay: number): void {
    if (this.closed) return;
    if (delay > 0) {
      // A write in progress kicks again when it ends.
      if (!this.timer && this.writes.size === 0) this.timer = setTimeout(() => { this.timer = null; this.kick(0); }, delay);
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // A partial batch goes only when nothing is being written; full ones while there is room.
    const depth = this.o.maxInFlight ?? 1;
    while (this.queue.length && this.writes.size < depth && (this.writes.size === 0 || this.queue.length >= this.o.batchSize)) {
      const write: Promise<void> = this.drain().finally(() => {
        this.writes.delete(write);
        if (this.queue.length) this.kick(this.backoffMs || (this.queue.length >= this.o.batchSize ? 0 : this.o.batchDelayMs));
      });
      this.writes.add(write);
    }
  }

  /** Writes one batch. On failure the batch goes back to the head of the queue. */
  private async drain(): Promise<void> {
    const batch = this.queue.splice(0, this.o.batchSize);
    if (!batch.length) return;
    const stop = this.o.metrics.batchSeconds.startTimer();
    try {
      await this.o.prepare?.(batch);
      if (this.o.writeRetries) {
        // No closure here may capture `batch`: the store keeps onRetry until the batch is stored.
        const count = batch.length;
        return this.handOver(count, this.o.write(batch, (err) => this.retrying(err, count)), stop);
      }
      await this.o.write(batch);
      this.written(batch.length, stop);
    } catch (err) {
      this.o.metrics.storeErrors.inc();
      this.backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(100, this.backoffMs * 2));
      this.o.log('store write failed, will retry', { error: (err as Error).message, batch: batch.length, retryMs: this.backoffMs });
      const room = this.o.maxPending - this.queue.length;
      if (room < batch.length) {
        this.o.metrics.dropped.inc({ reason: 'buffer-full' }, batch.length - Math.max(0, room));
        this.o.log('buffer full: dropped messages', { dropped: batch.length - Math.max(0, room) });
      }
      this.queue.unshift(...batch.slice(0, Math.max(0, room)));
    }
  }

  /** Waits for a write the store retries itself; `count` is all that is kept of its batch. */
  private async handOver(count: number, write: Promise<void>, stop: () => void): Promise<void> {
    try {
      await write;
      this.written(count, stop);
    } catch (err) {
      this.o.metrics.storeErrors.inc();
      this.o.metrics.dropped.inc({ reason: 'store-failed' }, count);
      this.o.log('store failed: dropped messages', { error: (err as Error).message, dropped: count });
    }
  }

  private retrying(err: Error, count: number): void {
    this.o.metrics.storeErrors.inc();
    this.o.log('store write failed, will retry', { error: err.message, batch: count });
  }

  private written(count: number, stop: () => void): void {
    stop();
    this.o.metrics.stored.inc(count);
    this.backoffMs = 0;
  }

  /** Resolves once everything added so far is written (or the store keeps failing past `timeoutMs`). */
  async flush(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.queue.length || this.writes.size) && Date.now() < deadline) {
      if (this.writes.size) await Promise.race(this.writes);
      else if (this.backoffMs) await new Promise((r) => setTimeout(r, this.backoffMs));
      else this.kick(0);
    }
  }

  /** Resolves once at most `max` messages wait (batches being written are not counted). */
  async settle(max: number): Promise<void> {
    while (this.queue.length > max) {
      if (this.writes.size) await Promise.race(this.writes);
      else if (this.backoffMs) await new Promise((r) => setTimeout(r, this.backoffMs));
      else this.kick(0);
    }
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
