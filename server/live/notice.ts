/**
 * The payload of a `hepflow_live` NOTIFY: "minTs token token ...", decimal, split so that each
 * payload stays below PostgreSQL's 8000-byte limit; "gap" says notices were lost. A token is an id
 * key ("123"), a search-term key ("t123"), "l" (a message of the batch names another id) or "T"
 * (its terms were not read: keys.ts); the flags only in the first payload. Pure.
 */
import type { Touched } from './keys.ts';

/** Payload bytes at most: PostgreSQL refuses 8000 and more. */
export const MAX_NOTICE_BYTES = 7900;

export function encodeNotices(t: Touched): string[] {
  const out: string[] = [];
  const head = String(Math.trunc(t.minTs));
  let cur = head + (t.linked ? ' l' : '') + (t.terms === null ? ' T' : '');
  const add = (part: string) => {
    if (cur.length + part.length > MAX_NOTICE_BYTES) {
      out.push(cur);
      cur = head;
    }
    cur += part;
  };
  for (const k of t.keys) add(' ' + k);
  for (const k of t.terms ?? []) add(' t' + k);
  if (cur !== head) out.push(cur);
  return out;
}

/** A notice's keys, terms and time; 'gap'; null for a payload that is neither (another writer's, or garbled). */
export function decodeNotices(payload: string): Touched | 'gap' | null {
  if (payload === 'gap') return 'gap';
  const parts = payload.split(' ');
  const minTs = Number(parts[0]);
  if (!Number.isSafeInteger(minTs) || parts.length < 2) return null;
  const keys: number[] = [];
  const terms: number[] = [];
  let linked = false;
  let unread = false;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i];
    if (p === 'l' || p === 'T') {
      if (p === 'l') linked = true;
      else unread = true;
      continue;
    }
    const term = p.startsWith('t');
    const k = Number(term ? p.slice(1) : p);
    if (!Number.isSafeInteger(k) || k < 0 || p === 't' || p === '') return null;
    (term ? terms : keys).push(k);
  }
  return { keys, terms: unread ? null : terms, linked, minTs };
}
