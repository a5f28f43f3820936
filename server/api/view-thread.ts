/**
 * A view thread (view-pool.ts): builds group views and writes their JSON off the main thread,
 * which also runs HEP ingest and answers every other request. With an SQLite file it reads too,
 * on a read-only connection of its own; otherwise it is handed what the store read.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { SqliteReads } from '../store/sqlite-read.ts';
import { buildView, readViewInput, viewJson, type ViewConfig, type ViewInput } from './group-view.ts';
import { GZIP_LEVEL, GZIP_MIN_BYTES } from '../config.ts';

export interface ViewThreadData {
  /** The SQLite store's file, read on this thread's own connection; null: jobs bring their input. */
  sqliteFile: string | null;
  /** Scheduling priority of this thread (Linux nice, 0 = as the rest of the process). */
  nice: number;
}

export type ViewJob = {
  id: number;
  lean: boolean;
  config: ViewConfig;
  /** The client takes gzip: a large answer is compressed here rather than on the main thread. */
  gzip: boolean;
} & (
  | {
    op: 'read';
    groupId: string;
    limit?: number;
    /** Answer `large` instead, unread, when the group holds more messages than this and `limit` allows them. */
    maxMessages?: number;
  }
  | { op: 'build'; input: ViewInput }
);

export type ViewReply = { id: number } & (
  /** The answer's UTF-8 JSON, gzipped when `gzipped` (transferred, not copied); null for an unknown group. */
  | { ok: true; json: ArrayBuffer | null; gzipped: boolean }
  | { ok: true; large: true }
  | { ok: false; error: string }
);

/** Page cache of this thread's connection, KiB: a 20,000-message group's rows and indexes fit. */
const CACHE_KIB = 32 * 1024;

const { sqliteFile, nice } = workerData as ViewThreadData;
let reads: SqliteReads | null = null;

// On Linux a thread has its own nice value: setpriority() given this thread's id sets it.
if (nice !== 0) {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), nice);
  } catch { /* not Linux: the thread runs at the process's priority */ }
}

function sqliteReads(): SqliteReads {
  if (!sqliteFile) throw new Error('this view thread has no SQLite file to read');
  if (!reads) {
    // The main thread's store created the file and ran its migrations before this opens it.
    const db = new Database(sqliteFile, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    db.pragma(`cache_size = -${CACHE_KIB}`);
    reads = new SqliteReads(db);
  }
  return reads;
}

async function answer(job: ViewJob): Promise<{ json: ArrayBuffer; gzipped: boolean } | null | 'large'> {
  let input: ViewInput | null;
  if (job.op === 'build') input = job.input;
  else {
    const r = sqliteReads();
    if (job.maxMessages !== undefined && (job.limit === undefined || job.limit > job.maxMessages) && (r.groupSize(job.groupId) ?? 0) > job.maxMessages) return 'large';
    // SqliteReads answers at once: the promises only fit readViewInput's store shape.
    input = await readViewInput({ getGroupSlice: async (id, limit) => r.getGroupSlice(id, limit), getPayloads: async (ids) => r.getPayloads(ids) }, job.config, job.groupId, job.limit);
  }
  if (!input) return null;
  const bytes = new TextEncoder().encode(viewJson(buildView(input, job.config), job.lean));
  const gzipped = job.gzip && bytes.length >= GZIP_MIN_BYTES;
  const out = gzipped ? gzipSync(bytes, { level: GZIP_LEVEL }) : bytes;
  // Transferred whole: a copy when the output shares a larger buffer (zlib's may).
  const json = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out.buffer as ArrayBuffer : new Uint8Array(out).buffer as ArrayBuffer;
  return { json, gzipped };
}

parentPort!.on('message', (job: ViewJob) => {
  answer(job).then(
    (a) => {
      if (a === 'large') parentPort!.postMessage({ id: job.id, ok: true, large: true } satisfies ViewReply);
      else if (a === null) parentPort!.postMessage({ id: job.id, ok: true, json: null, gzipped: false } satisfies ViewReply);
      else parentPort!.postMessage({ id: job.id, ok: true, ...a } satisfies ViewReply, [a.json]);
    },
    (err: Error) => parentPort!.postMessage({ id: job.id, ok: false, error: err.message } satisfies ViewReply),
  );
});
