/**
 * The stats thread: GET /api/v1/stats read from the SQLite file on a read-only connection of its
 * own (store/sqlite-stats.ts), so that a range of a million calls (~200 ms) delays neither HEP
 * ingest nor the other requests on the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { sqliteStats } from '../store/sqlite-stats.ts';
import type { StatsQuery, StatsRows } from '../kpi/stats.ts';

export interface StatsJob { id: number; q: StatsQuery }
export type StatsReply = { id: number } & ({ ok: true; rows: StatsRows } | { ok: false; error: string });

/** Page cache of this thread's connection, KiB: the two stats indexes of a million calls fit. */
const CACHE_KIB = 64 * 1024;

// The main thread's store created the file and ran its migrations before this opens it.
const db = new Database((workerData as { file: string }).file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma(`cache_size = -${CACHE_KIB}`);

parentPort!.on('message', ({ id, q }: StatsJob) => {
  let reply: StatsReply;
  try {
    reply = { id, ok: true, rows: sqliteStats(db, q) };
  } catch (err) {
    reply = { id, ok: false, error: (err as Error).message };
  }
  parentPort!.postMessage(reply);
});
