/** Search paging cursor: the (start, id) of the last row of a page, opaque to clients. */
export interface Cursor {
  start: number;
  id: number | string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.start, c.id])).toString('base64url');
}

/** Throws on a cursor this server did not make, so the API can answer 400. */
export function decodeCursor(s: string): Cursor {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    throw new Error('bad cursor');
  }
  // Only values this server puts in a cursor: a forged one must not reach a store's SQL (a NUL or
  // an integer past bigint is a database error there, not a bad request).
  const ok = Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0])
    && ((typeof v[1] === 'number' && Number.isSafeInteger(v[1])) || (typeof v[1] === 'string' && !v[1].includes('\0')));
  if (!ok) throw new Error('bad cursor');
  const [start, id] = v as [number, number | string];
  return { start, id };
}
