/**
 * What one live stream watches, and whether a tick concerns it. Pure.
 * - A group: the keys of all its ids (Call-IDs and correlation ids); a new leg joins through a
 *   link that names one of them, and its own Call-ID is watched once the group is read again.
 * - The search list: any change to a message at or before the range's end (a new call, a
 *   changed summary); the client runs its search again, so filters need not be matched here.
 */
import type { EpochMicros } from '../store/types.ts';
import type { Tick } from './hub.ts';
import { idKey } from './keys.ts';

export type Watch = { kind: 'group'; keys: ReadonlySet<number> } | { kind: 'calls'; to: EpochMicros | null };

/** The watch of a group whose ids are these (the id asked for is always among them: it may not be stored yet). */
export function groupWatch(asked: string, ids: readonly string[]): Watch {
  const keys = new Set<number>([idKey(asked)]);
  for (const id of ids) keys.add(idKey(id));
  return { kind: 'group', keys };
}

export function hits(w: Watch, tick: Tick): boolean {
  if (w.kind === 'calls') return w.to === null || tick.minTs <= w.to;
  // Walk the smaller set: a group has a few ids, a busy tick thousands.
  const [small, large] = w.keys.size <= tick.keys.size ? [w.keys, tick.keys] : [tick.keys, w.keys];
  for (const k of small) if (large.has(k)) return true;
  return false;
}
