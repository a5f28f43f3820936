import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Batcher } from './batcher.ts';
import { Metrics } from './metrics.ts';
import { waitFor } from '../testing/harness.ts';
import { SqliteStore } from '../store/sqlite.ts';
import { makeMessage } from '../testing/store-suite.ts';
import type { MessageInput } from '../store/types.ts';

/** A message numbered `n` whose payload is `bytes` long: the batcher reads only ts and raw. */
const msg = (n: number, bytes = 1) => ({ ts: n, raw: 'x'.repeat(bytes) }) as MessageInput;

/** A store write that the test finishes by hand. */
function manualWrites() {
  const calls: { batch: number[]; done: () => void; fail: (e: Error) => void }[] = [];
  const write = (batch: MessageInput[]) => new Promise<void>((done, fail) => calls.push({ batch: batch.map((m) => m.ts), done, fail }));
  return { calls, write };
}

describe('Batcher', () => {
  it('hands a second full batch to a store that queues writes before the first is stored', async () => {
    const { calls, write } = manualWrites();
    const b = new Batcher({ batchSize: 2, batchDelayMs: 10_000, maxPending: 100, maxPendingBytes: 1e9, maxInFlight: 2, write, metrics: new Metrics(), log: () => {} });
    for (let i = 1; i <= 5; i++) b.add(msg(i));
    await waitFor(() => calls.length === 2, 'two full batches handed to the store');
    // Two full batches out at once; the partial fifth waits for a free slot and its delay.
    expect(calls.map((c) => c.batch)).toEqual([[1, 2], [3, 4]]);
    calls[0].done();
    calls[1].done();
    const flushed = b.flush();
    await waitFor(() => calls.length === 3, 'the partial batch flushed');
    expect(calls.map((c) => c.batch)).toEqual([[1, 2], [3, 4], [5]]);
    calls[2].done();
    await flushed;
    expect(b.pending).toBe(0);
  });

  it('writes one batch at a time by default, and retries a failed one', async () => {
    const { calls, write } = manualWrites();
    const metrics = new Metrics();
    const b = new Batcher({ batchSize: 2, batchDelayMs: 10_000, maxPending: 100, maxPendingBytes: 1e9, write, metrics, log: () => {} });
    for (let i = 1; i <= 4; i++) b.add(msg(i));
    await waitFor(() => calls.length === 1, 'the first batch handed to the store');
    expect(calls.map((c) => c.batch)).toEqual([[1, 2]]);
    calls[0].fail(new Error('disk full'));
    const flushed = b.flush();
    await waitFor(() => calls.length === 2, 'the retry after the first backoff (100 ms)');
    expect(calls.map((c) => c.batch)).toEqual([[1, 2], [1, 2]]);
    calls[1].done();
    await waitFor(() => calls.length === 3, 'the next batch, once the retried one is stored');
    calls[2].done();
    await flushed;
    expect(calls.map((c) => c.batch)).toEqual([[1, 2], [1, 2], [3, 4]]);
    expect((await metrics.storeErrors.get()).values[0].value).toBe(1);
    expect((await metrics.stored.get()).values[0].value).toBe(4);
  });

  it('keeps no batch for a store that retries writes itself, and counts its failed attempts', async () => {
    const metrics = new Metrics();
    const retries: ((err: Error) => void)[] = [];
    const writes: { done: () => void; fail: (e: Error) => void }[] = [];
    const write = (batch: MessageInput[], onRetry?: (err: Error) => void) => {
      retries.push(onRetry!);
      batch.length = 0; // taken: the batcher must not need it again
      return new Promise<void>((done, fail) => writes.push({ done, fail }));
    };
    const b = new Batcher({ batchSize: 2, batchDelayMs: 10_000, maxPending: 100, maxPendingBytes: 1e9, maxInFlight: 2, writeRetries: true, write, metrics, log: () => {} });
    for (let i = 1; i <= 4; i++) b.add(msg(i));
    await waitFor(() => writes.length === 2, 'both batches handed to the store');
    retries[0](new Error('disk full'));
    writes[0].done();
    writes[1].fail(new Error('writer thread exited'));
    await b.flush();
    expect(b.pending).toBe(0);
    expect((await metrics.storeErrors.get()).values[0].value).toBe(2);
    expect((await metrics.stored.get()).values[0].value).toBe(2);
    expect((await metrics.dropped.get()).values).toEqual([expect.objectContaining({ value: 2, labels: { reason: 'store-failed' } })]);
  });

  /**
   *   t=0    1 added              → written at t=100 (its delay)
   *   t=110  2 added, 1 writing
   *   t=190  1 stored             → 2 is due at t=210 (110 + 100), not at t=290 (190 + 100)
   */
  it('writes a partial batch batchDelayMs after its oldest message came, however long the write before it took', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const { calls, write } = manualWrites();
      const b = new Batcher({ batchSize: 100, batchDelayMs: 100, maxPending: 100, maxPendingBytes: 1e9, write, metrics: new Metrics(), log: () => {} });
      b.add(msg(1));
      await vi.advanceTimersByTimeAsync(100);
      expect(calls.map((c) => c.batch)).toEqual([[1]]);
      await vi.advanceTimersByTimeAsync(10);
      b.add(msg(2));
      await vi.advanceTimersByTimeAsync(80);
      calls[0].done();
      await vi.advanceTimersByTimeAsync(19);
      expect(calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls.map((c) => c.batch)).toEqual([[1], [2]]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('asks delayMs for the wait at each batch (a live view shortens it)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const { calls, write } = manualWrites();
      let delay = 1000;
      const b = new Batcher({ batchSize: 100, batchDelayMs: 1000, delayMs: () => delay, maxPending: 100, maxPendingBytes: 1e9, write, metrics: new Metrics(), log: () => {} });
      delay = 25;
      b.add(msg(1));
      await vi.advanceTimersByTimeAsync(25);
      expect(calls.map((c) => c.batch)).toEqual([[1]]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops and counts past maxPending instead of queueing without bound', async () => {
    const { write } = manualWrites();
    const metrics = new Metrics();
    const b = new Batcher({ batchSize: 10, batchDelayMs: 10_000, maxPending: 3, maxPendingBytes: 1e9, write, metrics, log: () => {} });
    for (let i = 1; i <= 5; i++) b.add(msg(i));
    expect(b.pending).toBe(3);
    expect((await metrics.dropped.get()).values).toEqual([expect.objectContaining({ value: 2, labels: { reason: 'buffer-full' } })]);
  });

  it('counts the messages handed to a deep store against maxPending until it stores them', async () => {
    const { calls, write } = manualWrites();
    const metrics = new Metrics();
    const b = new Batcher({ batchSize: 2, batchDelayMs: 10_000, maxPending: 5, maxPendingBytes: 1e9, maxInFlight: 64, writeRetries: true, write, metrics, log: () => {} });
    for (let i = 1; i <= 4; i++) b.add(msg(i)); // two full batches, both handed over at once
    await waitFor(() => calls.length === 2, 'both full batches handed to the store');
    expect(b.pending).toBe(0);
    b.add(msg(5));
    b.add(msg(6)); // 4 handed over + 1 waiting: the 6th is one too many
    expect(b.unsettled).toBe(5);
    expect(b.full).toBe('buffer-full');
    expect((await metrics.dropped.get()).values).toEqual([expect.objectContaining({ value: 1, labels: { reason: 'buffer-full' } })]);
    calls[0].done();
    await waitFor(() => b.unsettled === 3, 'the stored batch to leave the count');
    expect(b.full).toBeNull();
  });

  it('settles a capture import only once the batches handed to a deep store are stored too', async () => {
    const { calls, write } = manualWrites();
    const b = new Batcher({ batchSize: 2, batchDelayMs: 10_000, maxPending: 100, maxPendingBytes: 1e9, maxInFlight: 64, writeRetries: true, write, metrics: new Metrics(), log: () => {} });
    for (let i = 1; i <= 6; i++) b.add(msg(i)); // three full batches, all handed over at once
    await waitFor(() => calls.length === 3, 'the three batches handed to the store');
    expect(b.pending).toBe(0);
    let settled = false;
    const settling = b.settle(2).then(() => { settled = true; });
    calls[0].done();
    await waitFor(() => b.unsettled === 4, 'the first batch stored');
    expect(settled).toBe(false); // 4 not yet stored, none of them waiting here
    calls[1].done();
    await settling;
    expect(b.unsettled).toBe(2);
  });

  it('drops and counts past maxPendingBytes, counting a handed-over batch until the store settles it', async () => {
    const metrics = new Metrics();
    const writes: { done: () => void }[] = [];
    const write = () => new Promise<void>((done) => writes.push({ done }));
    const b = new Batcher({ batchSize: 2, batchDelayMs: 10_000, maxPending: 100, maxPendingBytes: 100, writeRetries: true, write, metrics, log: () => {} });
    b.add(msg(1, 30));
    b.add(msg(2, 30)); // a full batch: handed to the store, its 60 bytes still held
    await waitFor(() => writes.length === 1, 'the full batch handed to the store');
    expect(writes).toHaveLength(1);
    b.add(msg(3, 30));
    expect(b.pendingBytes).toBe(90);
    expect(b.full).toBeNull();
    b.add(msg(4, 30)); // 120 > 100: dropped
    b.add(msg(5, 10)); // exactly 100: kept, and now full
    expect(b.pendingBytes).toBe(100);
    expect(b.full).toBe('buffer-bytes-full');
    writes[0].done();
    await waitFor(() => b.pendingBytes === 40, 'the stored batch to release its bytes');
    b.add(msg(6, 30));
    expect(b.pendingBytes).toBe(70);
    expect((await metrics.dropped.get()).values).toEqual([expect.objectContaining({ value: 1, labels: { reason: 'buffer-bytes-full' } })]);
  });

  describe('with a real SQLite file', () => {
    let dir: string;
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const open = () => {
      dir = mkdtempSync(join(tmpdir(), 'hepflow-batcher-'));
      const db = new Database(join(dir, 'db.sqlite'));
      return { path: join(dir, 'db.sqlite'), db, store: new SqliteStore(db) };
    };

    it('cuts a batch at maxBatchBytes of payload before batchSize messages, and sends a larger message alone', async () => {
      const { db, store } = open();
      const batches: number[][] = [];
      const metrics = new Metrics();
      const b = new Batcher({
        batchSize: 100, batchDelayMs: 10_000, maxPending: 100, maxPendingBytes: 1e9, maxBatchBytes: 10_000, metrics, log: () => {},
        write: (batch) => { batches.push(batch.map((m) => m.raw.length)); return store.insert(batch); },
      });
      // 4000 + 4000 fit in 10,000 bytes, a third would not; the 25,000-byte message is over the cap alone.
      const sizes = [4000, 4000, 4000, 4000, 25_000, 4000, 1000];
      sizes.forEach((n, i) => b.add(makeMessage({ callId: `cut-${i}`, ts: 1_700_000_000_000_000 + i, raw: String(i).repeat(n) })));
      await b.flush();
      expect(batches).toEqual([[4000, 4000], [4000, 4000], [25_000], [4000, 1000]]);
      expect(b.pendingBytes).toBe(0);
      const rows = db.prepare('SELECT call_id AS callId, length(raw) AS bytes FROM messages ORDER BY ts').all();
      expect(rows).toEqual(sizes.map((n, i) => ({ callId: `cut-${i}`, bytes: n })));
      db.close();
    });

    it('starts no write while a failed write backs off, however many full batches arrive, then stores everything', async () => {
      const { path, db, store } = open();
      db.pragma('busy_timeout = 0'); // a locked database fails the write at once instead of blocking this thread
      // A second connection holds the write lock: every write fails with SQLITE_BUSY until it commits.
      const locker = new Database(path);
      locker.exec('BEGIN EXCLUSIVE');
      const metrics = new Metrics();
      const attempts: number[] = [];
      const b = new Batcher({
        batchSize: 50, batchDelayMs: 20, maxPending: 1e6, maxPendingBytes: 1e9, metrics, log: () => {},
        write: (batch) => { attempts.push(Date.now()); return store.insert(batch); },
      });
      // Fed continuously for 2 s: a full batch every 10 ms (5000 messages/s).
      let sent = 0;
      const started = Date.now();
      await new Promise<void>((done) => {
        const feed = setInterval(() => {
          for (let i = 0; i < 50; i++, sent++) b.add(makeMessage({ callId: `busy-${sent}`, ts: 1_700_000_000_000_000 + sent }));
          if (Date.now() - started >= 2000) { clearInterval(feed); done(); }
        }, 10);
      });
      const failed = attempts.length;
      // Waits of 100, 200, 400, 800 ms: attempts at about 0, 0.1, 0.3, 0.7 and 1.5 s (5), not one per batch (~200).
      expect(failed).toBeGreaterThanOrEqual(3);
      expect(failed).toBeLessThanOrEqual(7);
      const gaps = attempts.slice(1).map((t, i) => t - attempts[i]);
      gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(Math.min(5000, 100 * 2 ** i) - 5));
      expect((await metrics.storeErrors.get()).values[0].value).toBe(failed);
      expect(b.pending).toBe(sent);

      locker.exec('COMMIT');
      locker.close();
      await b.flush();
      expect(b.pending).toBe(0);
      expect(b.pendingBytes).toBe(0);
      expect((await metrics.stored.get()).values[0].value).toBe(sent);
      expect(db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: sent });
      console.log(`backoff: ${sent} messages fed in 2 s, ${failed} write attempts while locked (gaps ${gaps.join(', ')} ms), ${attempts.length - failed} after, all ${sent} stored`);
      db.close();
    });
  });
});
