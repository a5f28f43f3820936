/**
 * The payload of a `hepflow_live` NOTIFY: "minTs key key ...", decimal, split so that each payload
 * stays below PostgreSQL's 8000-byte limit; "gap" says notices were lost. Pure.
 */
import type { Touched } from './keys.ts';

/** Payload bytes at most: PostgreSQL refuses 8000 and more. */
export const MAX_NOTICE_BYTES = 7900;

export function encodeNotices(t: Touched): string[] {
  const out: string[] = [];
  const head = String(Math.trunc(t.minTs));
  let cur = head;
  for (const k of t.keys) {
    const part = ' ' + k;
    if (cur.length + part.length > MAX_NOTICE_BYTES) {
      out.push(cur);
      cur = head;
    }
    cur += part;
  }
  if (cur !== head) out.push(cur);
  return out;
}

/** A notice's keys and time; 'gap'; null for a payload that is neither (another writer's, or garbled). */
export function decodeNotices(payload: string): Touched | 'gap' | null {
  if (payload === 'gap') return 'gap';
  const parts = payload.split(' ');
  const minTs = Number(parts[0]);
  if (!Number.isSafeInteger(minTs) || parts.length < 2) return null;
  const keys: number[] = [];
  for (let i = 1; i < parts.length; i++) {
    const k = Number(parts[i]);
    if (!Number.isSafeInteger(k) || k < 0) return null;
    keys.push(k);
  }
  return { keys, minTs };
}
