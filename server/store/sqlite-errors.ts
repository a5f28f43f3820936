/**
 * Which SQLite write failures refuse a batch for its content: those are split (store/split.ts);
 * the others (SQLITE_BUSY, LOCKED, IOERR, FULL, a corrupt or read-only file, ...) are about the
 * database, and the whole batch is retried. Pure.
 */

/** Result codes (sqlite.org/rescode.html) that a value or a row of the batch causes. */
const CONTENT_CODES = ['SQLITE_CONSTRAINT', 'SQLITE_TOOBIG', 'SQLITE_MISMATCH', 'SQLITE_RANGE'];

/**
 * A short name when `err` refuses the content written, else null. Errors thrown by JavaScript
 * rather than SQLite (a string past V8's length limit while packing, a value better-sqlite3
 * cannot bind) are about the content too.
 */
export function contentFault(err: unknown): string | null {
  const e = err as { code?: unknown; name?: unknown; message?: unknown } | null;
  if (typeof e?.code === 'string' && e.code.startsWith('SQLITE_')) {
    // hepflow's schema has no triggers: one that aborts an insert was put there by someone else, for every row alike.
    if (e.code === 'SQLITE_CONSTRAINT_TRIGGER') return null;
    return CONTENT_CODES.some((c) => e.code === c || (e.code as string).startsWith(`${c}_`)) ? e.code.toLowerCase() : null;
  }
  if (e?.name === 'RangeError') return /string length/i.test(String(e.message)) ? 'string_too_long' : 'value_out_of_range';
  if (e?.name === 'TypeError') return 'invalid_value';
  return null;
}
