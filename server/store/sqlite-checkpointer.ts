/**
 * Worker thread that copies the WAL into the database file (a checkpoint) every CHECKPOINT_MS, so
 * that the writer thread does not stop for a checkpoint's fsync: with synchronous=NORMAL commits
 * do not sync, checkpoints do. The writer's own automatic checkpoint stays, at a larger WAL size,
 * as a backstop should this thread fall behind or die.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * Between checkpoints, ms: up to ~50 MB of WAL at full ingest speed. A page written by several
 * commits in between (ids, index and group pages, the stats rows) is copied once: at 100 ms this
 * thread spent 2-3 µs of CPU a register-options message, at 1 s 0.4-0.9. A power cut (not a
 * crash: the WAL is in the OS's cache) loses at most the commits since the last checkpoint.
 */
const CHECKPOINT_MS = 1000;

if (parentPort) {
  const db = new Database(workerData.path as string, { fileMustExist: true });
  setInterval(() => {
    // PASSIVE: copies what no reader still needs and never waits for a lock. Busy (the writer's
    // backstop checkpoint is running): the next tick goes on.
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {}
  }, CHECKPOINT_MS);
}
