/**
 * What a written batch touches, as small numeric keys: every Call-ID, HEP correlation id (chunk
 * 0x0011) and link target of its messages. A group is touched when any of its ids is, which
 * covers a leg that joins later (its link names an id of the group) and merges of two groups.
 * Beside them, the search terms of its messages (users, addresses, methods, statuses), so that a
 * search list's stream is told only of what could change its rows (watch.ts).
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

/** Search terms a message can carry, as GET /api/v1/calls filters on them (store/sqlite-insert.ts terms, homer/sql.ts). */
export type TermKind = 'user' | 'ip' | 'method' | 'status';

/** The key of search term `value` of `kind`; no id key equals it but by a hash collision (which costs a refetch). */
export function termKey(kind: TermKind, value: string | number): number {
  return idKey(`${kind} ${value}`);
}

export interface Touched {
  /** Distinct keys (idKey) of the ids the batch names. */
  keys: number[];
  /**
   * Distinct keys (termKey) of the From/To users, addresses, methods and statuses of its messages;
   * null when not read, as no filtered search list watched (then such a list takes it as a hit).
   */
  terms: number[] | null;
  /** A message of the batch names another id (a link): it may join two groups into one. */
  linked: boolean;
  /** Earliest message time in the batch, µs: a search whose range ends before it cannot change. */
  minTs: EpochMicros;
}

/**
 * The keys a batch touches; read before the batch is handed to the store (which may not keep it).
 * Values are gathered as strings first and each distinct one hashed once: a call repeats its
 * Call-ID, users and addresses in every message (V8 caches a string's own hash for the sets).
 * `withTerms` false: only ids, for when no filtered search list watches (the terms were two thirds
 * of the ~2 µs a message this costs the collector thread: bench/live).
 */
export function touchedBy(batch: readonly MessageInput[], withTerms = true): Touched {
  const ids = new Set<string>();
  const users = new Set<string>();
  const ips = new Set<string>();
  const methods = new Set<string>();
  const statuses = new Set<number>();
  let linked = false;
  let minTs = Number.POSITIVE_INFINITY;
  for (const m of batch) {
    ids.add(m.callId);
    if (m.hepCorrelationId !== null) ids.add(m.hepCorrelationId);
    if (m.links.length) {
      linked = true;
      for (const l of m.links) ids.add(l.target);
    }
    if (m.ts < minTs) minTs = m.ts;
    if (!withTerms) continue;
    // Responses too (the store takes users and addresses from requests only): more is only a needless refetch.
    if (m.fromUser) users.add(m.fromUser);
    if (m.toUser) users.add(m.toUser);
    ips.add(m.srcIp);
    ips.add(m.dstIp);
    if (m.method) methods.add(m.method);
    if (m.status !== null) statuses.add(m.status);
  }
  const keys = [...ids].map(idKey);
  if (!withTerms) return { keys, terms: null, linked, minTs };
  const terms: number[] = [];
  for (const u of users) terms.push(termKey('user', u));
  for (const ip of ips) terms.push(termKey('ip', ip));
  for (const x of methods) terms.push(termKey('method', x));
  for (const x of statuses) terms.push(termKey('status', x));
  return { keys, terms, linked, minTs };
}
