/**
 * Preferences that outlive a page: theme and the default time mode and zone. Persisted through
 * storage.ts. A value in the URL wins over these for the view that carries it.
 */
import { create } from 'zustand';
import { isOneOf, readStored, storedField, writeStored } from './storage.ts';
import { TIME_MODES, TIME_ZONES, type TimeMode, type TimeZoneMode } from './url-state.ts';

export type Theme = 'light' | 'dark';
const THEMES: readonly Theme[] = ['light', 'dark'];
const KEY = 'prefs';

export interface Prefs {
  theme: Theme;
  timeMode: TimeMode;
  timeZone: TimeZoneMode;
}

export interface PrefsStore extends Prefs {
  setTheme(theme: Theme): void;
  setTimeMode(mode: TimeMode): void;
  setTimeZone(zone: TimeZoneMode): void;
}

function systemTheme(): Theme {
  try {
    return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  } catch {
    return 'light';
  }
}

/** Reads saved prefs, field by field, falling back to defaults for anything missing or wrong. */
export function loadPrefs(stored: unknown = readStored(KEY)): Prefs {
  return {
    theme: storedField(stored, 'theme', isOneOf(THEMES), systemTheme()),
    timeMode: storedField(stored, 'timeMode', isOneOf(TIME_MODES), 'abs'),
    timeZone: storedField(stored, 'timeZone', isOneOf(TIME_ZONES), 'utc'),
  };
}

export const usePrefs = create<PrefsStore>((set, get) => {
  const save = (patch: Partial<Prefs>) => {
    set(patch);
    const { theme, timeMode, timeZone } = get();
    writeStored(KEY, { theme, timeMode, timeZone });
  };
  return {
    ...loadPrefs(),
    setTheme: (theme) => save({ theme }),
    setTimeMode: (timeMode) => save({ timeMode }),
    setTimeZone: (timeZone) => save({ timeZone }),
  };
});
