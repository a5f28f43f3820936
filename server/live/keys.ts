/**
 * What a written batch touches, as small numeric keys: every Call-ID, HEP correlation id (chunk
 * 0x0011) and link target of its messages. A group is touched when any of its ids is, which
 * covers a leg that joins later (its link names an id of the group) and merges of two groups.
 *
 * Ids are hashed (cyrb53, 53 bits) so that a key costs the same whatever the id's length (a
 * Call-ID may be 65,535 characters) and fits a PostgreSQL NOTIFY; a collision only costs a
 * client one needless refetch.
 */
import type { EpochMicros, MessageInput } from '../store/types.ts';

/** 53-bit hash of a string (cyrb53, public domain): a safe integer, stable across processes. */
export function idKey(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export interface Touched {
  /** Distinct keys (idKey) of the ids the batch names. */
  keys: number[];
  /** Earliest message time in the batch, µs: a search whose range ends before it cannot change. */
  minTs: EpochMicros;
}

/** The keys a batch touches; read before the batch is handed to the store (which may not keep it). */
export function touchedBy(batch: readonly MessageInput[]): Touched {
  const keys = new Set<number>();
  let minTs = Number.POSITIVE_INFINITY;
  for (const m of batch) {
    keys.add(idKey(m.callId));
    if (m.hepCorrelationId !== null) keys.add(idKey(m.hepCorrelationId));
    for (const l of m.links) keys.add(idKey(l.target));
    if (m.ts < minTs) minTs = m.ts;
  }
  return { keys: [...keys], minTs };
}
