/**
 * Search pages shared among live search lists. Lists with the same filters are told of a change
 * on the same second (session.ts, aligned) and all run the same search again: the first answer
 * is kept and given to the others, instead of reading and writing the same 500 rows once each.
 *
 * A kept answer is given only to a refetch that says which live event it follows (its client was
 * told of hub seq `seen`), and only if the answer was read when the hub had sent that tick or a
 * later one: then it holds every change the client was told of, and any change it lacks has a
 * tick of its own still to come, which the client will be told of. It is never older than
 * maxAgeMs, so that a call's Timer B (read from the clock, not from a change) shows on time.
 * Other requests always read afresh. Pure: the caller gives seqs and the clock.
 */
import { LIVE_SHARED_PAGE_MAX_AGE_MS, LIVE_SHARED_PAGES } from '../config.ts';

interface Kept<T> {
  /** Hub seq when the answer was read. */
  seq: number;
  /** Date.now() when it was read. */
  at: number;
  body: T;
}

/** `T`: an answer as the caller keeps it (its bytes, say). */
export class PageShare<T> {
  /** Canonical query → its newest answer; insertion order is use order (oldest first). */
  private readonly kept = new Map<string, Kept<T>>();

  constructor(private readonly maxPages = LIVE_SHARED_PAGES, private readonly maxAgeMs = LIVE_SHARED_PAGE_MAX_AGE_MS) {}

  /** The kept answer to `key` read at hub seq `seen` or later, within maxAgeMs of `now`. */
  get(key: string, seen: number, now: number): T | undefined {
    const k = this.kept.get(key);
    if (!k || k.seq < seen || now - k.at > this.maxAgeMs) return undefined;
    this.kept.delete(key);
    this.kept.set(key, k);
    return k.body;
  }

  /** Keeps the answer to `key` read at hub seq `seq`, unless a newer one is kept; drops those too old to give. */
  set(key: string, seq: number, now: number, body: T): void {
    const k = this.kept.get(key);
    if (k && k.seq > seq) return;
    this.kept.delete(key);
    for (const [other, o] of this.kept) if (now - o.at > this.maxAgeMs) this.kept.delete(other);
    this.kept.set(key, { seq, at: now, body });
    for (const old of this.kept.keys()) {
      if (this.kept.size <= this.maxPages) break;
      this.kept.delete(old);
    }
  }

  /** Answers kept (for tests). */
  get size(): number {
    return this.kept.size;
  }
}

/** A query string as a key: the same parameters in any order are the same key. */
export function queryKey(query: Record<string, string | string[] | undefined>): string {
  const pairs: [string, string][] = [];
  for (const [name, v] of Object.entries(query)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) pairs.push([name, one]);
  }
  const order = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  pairs.sort((a, b) => order(a[0], b[0]) || order(a[1], b[1]));
  return new URLSearchParams(pairs).toString();
}
