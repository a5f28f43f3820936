/**
 * The only door to localStorage (Jaeger src/utils/storage.ts). Reading never throws: private
 * modes raise SecurityError, full disks QuotaExceededError, and another version of the app may
 * have left any shape behind, so each field is checked by the caller's guard before use.
 */
const PREFIX = 'hepflow:';

function area(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // SecurityError when storage is disabled
  }
}

/** The parsed value under `key`, or null when absent, unreadable or not JSON. */
export function readStored(key: string): unknown {
  try {
    const raw = area()?.getItem(PREFIX + key);
    return raw == null ? null : (JSON.parse(raw) as unknown);
  } catch {
    return null;
  }
}

/** Stores `value` as JSON; false when the browser refused (quota, disabled storage). */
export function writeStored(key: string, value: unknown): boolean {
  try {
    const a = area();
    if (!a) return false;
    a.setItem(PREFIX + key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

/** Picks `field` from a stored object when `guard` accepts it, else `fallback`. */
export function storedField<T>(obj: unknown, field: string, guard: (v: unknown) => v is T, fallback: T): T {
  if (typeof obj !== 'object' || obj === null) return fallback;
  const v = (obj as Record<string, unknown>)[field];
  return guard(v) ? v : fallback;
}

/** Guard for a string among allowed values. */
export function isOneOf<T extends string>(allowed: readonly T[]): (v: unknown) => v is T {
  return (v: unknown): v is T => typeof v === 'string' && (allowed as readonly string[]).includes(v);
}
