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
  if (!Array.isArray(v) || typeof v[0] !== 'number' || (typeof v[1] !== 'number' && typeof v[1] !== 'string')) {
    throw new Error('bad cursor');
  }
  return { start: v[0], id: v[1] };
}
