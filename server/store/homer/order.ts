/** The order of Homer rows read back as messages, whose ids are "<profile>:<id>:<µs>" (rows.ts messageId). */
import type { StoredMessage } from '../types.ts';

/** Time order, then table and row id (the order rows were written in). */
export function byTimeThenId(a: StoredMessage, b: StoredMessage): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  const [pa, ia] = splitId(a.id);
  const [pb, ib] = splitId(b.id);
  return pa !== pb ? (pa < pb ? -1 : 1) : ia - ib;
}

function splitId(id: string): [string, number] {
  const i = id.indexOf(':');
  return [id.slice(0, i), Number(id.slice(i + 1, id.indexOf(':', i + 1)))];
}
