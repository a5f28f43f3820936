import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.ts';
import { Metrics } from './metrics.ts';
import type { MessageInput } from '../store/types.ts';

const msg = (n: number) => ({ ts: n }) as MessageInput;

/** A store write that the test finishes by hand. */
function manualWrites() {
  const calls: { batch: number[]; done: () => void; fail: (e: Error) => void }[] = [];
  const write = (batch: MessageInput[]) => new Promise<void>((done, fail) => calls.push({ batch: batch.map((m) => m.ts), done, fail }));
  return { calls, write };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('Batcher', () => {
  it('hands a second full batch to a store that queues writes before the first is stored', async () => {
    const { calls, write } = manualWrites();
    const b = new Batcher({ batchSize: 2, batchDelayMs: 10_000, maxPending: 100, maxInFlight: 2, write, metrics: new Metrics(), log: () => {} });
    for (let i = 1; i <= 5; i++) b.add(msg(i));
    await tick();
    // Two full batches out at once; the partial fifth waits for a free slot and its delay.
    expect(calls.map((c) => c.batch)).toEqual([[1, 2], [3, 4]]);
    calls[0].done();
    calls[1].done();
    const flushed = b.flush();
    await tick();
    expect(calls.map((c) => c.batch)).toEqual([[1, 2], [3, 4], [5]]);
    calls[2].done();
    await flushed;
    expect(b.pending).toBe(0);
  });

  it('writes one batch at a time by default, and retries a failed one', async () => {
    const { calls, write } = manualWrites();
    const metrics = new Metrics();
    const b = new Batcher({ batchSize: 2, batchDelayMs: 10_000, maxPending: 100, write, metrics, log: () => {} });
    for (let i = 1; i <= 4; i++) b.add(msg(i));
    await tick();
    expect(calls.map((c) => c.batch)).toEqual([[1, 2]]);
    calls[0].fail(new Error('disk full'));
    const flushed = b.flush();
    await new Promise((r) => setTimeout(r, 150)); // first backoff is 100 ms
    expect(calls.map((c) => c.batch)).toEqual([[1, 2], [1, 2]]);
    calls[1].done();
    await tick();
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
    const b = new Batcher({ batchSize: 2, batchDelayMs: 10_000, maxPending: 100, maxInFlight: 2, writeRetries: true, write, metrics, log: () => {} });
    for (let i = 1; i <= 4; i++) b.add(msg(i));
    await tick();
    retries[0](new Error('disk full'));
    writes[0].done();
    writes[1].fail(new Error('writer thread exited'));
    await b.flush();
    expect(b.pending).toBe(0);
    expect((await metrics.storeErrors.get()).values[0].value).toBe(2);
    expect((await metrics.stored.get()).values[0].value).toBe(2);
    expect((await metrics.dropped.get()).values).toEqual([expect.objectContaining({ value: 2, labels: { reason: 'store-failed' } })]);
  });

  it('drops and counts past maxPending instead of queueing without bound', async () => {
    const { write } = manualWrites();
    const metrics = new Metrics();
    const b = new Batcher({ batchSize: 10, batchDelayMs: 10_000, maxPending: 3, write, metrics, log: () => {} });
    for (let i = 1; i <= 5; i++) b.add(msg(i));
    expect(b.pending).toBe(3);
    expect((await metrics.dropped.get()).values).toEqual([expect.objectContaining({ value: 2, labels: { reason: 'buffer-full' } })]);
  });
});
