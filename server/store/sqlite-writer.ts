/**
 * Worker thread that owns the SQLite writes, so that the collector thread only receives, decodes
 * and parses (a batch commit costs tens of ms at 40,000 messages/s). Reads stay on the main
 * thread with their own connection: WAL lets them run beside the writer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteStore } from './sqlite.ts';
import { unpackBatch, type PackedBatch } from './message-batch.ts';
import type { RetentionCutoffs } from './retention.ts';
import { KpiLog } from '../kpi/live-calls.ts';

export type WriterRequest =
  | { id: number; op: 'insert'; batch: PackedBatch }
  | { id: number; op: 'expire'; nowMicros: number }
  | { id: number; op: 'purge'; cut: RetentionCutoffs }
  | { id: number; op: 'close' };

/**
 * An insert or expire answers the call KPI events it caused (kpi/live-calls.ts KpiEvents), if any:
 * the calls are followed here, where they are folded, and counted in the collector's metrics.
 * A failure carries the error's name and SQLite code, by which the store tells content faults from the database's (sqlite-errors.ts). */
export type WriterReply = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: string; name: string; code?: string };

if (parentPort) {
  const port = parentPort;
  const store = openSqliteStore(workerData.path as string, workerData.options);
  // Set by the store's close past its deadline: batches still queued here are refused unread, so
  // that the thread is idle when it is terminated (terminating it inside a failing statement aborts
  // the whole process in better-sqlite3).
  const stopping = new Int32Array(workerData.stop as SharedArrayBuffer);
  const kpi = new KpiLog();
  const expire = store.followCalls(kpi);
  port.on('message', async (req: WriterRequest) => {
    try {
      let value: unknown;
      if (req.op === 'insert' && Atomics.load(stopping, 0)) throw Object.assign(new Error('store closing'), { name: 'StoreClosing' });
      if (req.op === 'insert') {
        await store.insert(unpackBatch(req.batch));
        value = kpi.take();
      } else if (req.op === 'expire') {
        await expire(req.nowMicros);
        value = kpi.take();
      } else if (req.op === 'purge') value = await store.purge(req.cut);
      else await store.close();
      port.postMessage({ id: req.id, ok: true, value } satisfies WriterReply);
    } catch (err) {
      const e = err as Error & { code?: unknown };
      port.postMessage({ id: req.id, ok: false, error: e.message, name: e.name,
        code: typeof e.code === 'string' ? e.code : undefined } satisfies WriterReply);
    }
  });
}
