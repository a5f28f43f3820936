/**
 * What `hepflow serve` takes anew on SIGHUP: the settings read at use time (every SIP message
 * parsed, every group view built), so that changing them needs no restart and drops no packet.
 * Sockets, the store and the limits stay as started: changing those needs a restart.
 */
import type { Config } from '../config.ts';

export const RELOADABLE = ['aliases', 'correlationHeaders'] as const satisfies readonly (keyof Config)[];

/** Copies the reloadable settings of `fresh` into the running config; returns the keys that changed. */
export function applyReload(running: Config, fresh: Config): string[] {
  const changed: string[] = [];
  for (const key of RELOADABLE) {
    if (JSON.stringify(running[key]) === JSON.stringify(fresh[key])) continue;
    (running as unknown as Record<string, unknown>)[key] = fresh[key];
    changed.push(key);
  }
  return changed;
}
