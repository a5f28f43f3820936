/** The SQLite retention sweep. */
import type Database from 'better-sqlite3';
import type { EpochMicros } from './types.ts';

type Row = Record<string, any>;

/** Rows deleted per transaction by the retention sweep, so that ingest never waits long. */
const PURGE_CHUNK = 5000;

/**
 * Deletes messages older than `before` in chunks, one transaction each, yielding between
 * chunks so ingest keeps going; then the links, and the groups that ended before it with their
 * calls, terms and ids. Answers the messages deleted.
 */
export async function purgeBefore(db: Database.Database, before: EpochMicros): Promise<number> {
  const del = db.prepare(`DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE ts < ? LIMIT ${PURGE_CHUNK})`);
  let total = 0;
  for (;;) {
    const n = del.run(before).changes;
    total += n;
    if (n < PURGE_CHUNK) break;
    await new Promise((r) => setImmediate(r));
  }
  db.transaction(() => {
    db.prepare('DELETE FROM links WHERE ts < ?').run(before);
    const stale = db.prepare('SELECT id FROM groups WHERE end < ?').all(before) as Row[];
    const calls = db.prepare('DELETE FROM calls WHERE call_id IN (SELECT key FROM ids WHERE group_id = ?)');
    const terms = db.prepare('DELETE FROM terms WHERE call_id IN (SELECT key FROM ids WHERE group_id = ?)');
    const ids = db.prepare('DELETE FROM ids WHERE group_id = ?');
    const group = db.prepare('DELETE FROM groups WHERE id = ?');
    for (const { id } of stale) {
      calls.run(id);
      terms.run(id);
      ids.run(id);
      group.run(id);
    }
  })();
  return total;
}
