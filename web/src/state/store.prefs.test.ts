import { describe, expect, it } from 'vitest';
import { loadPrefs } from './store.prefs.ts';

describe('loadPrefs', () => {
  it('keeps valid stored fields', () => {
    expect(loadPrefs({ theme: 'dark', timeMode: 'delta-first', timeZone: 'local' })).toEqual({
      theme: 'dark',
      timeMode: 'delta-first',
      timeZone: 'local',
    });
  });

  it('falls back field by field when the stored shape is wrong', () => {
    const p = loadPrefs({ theme: 42, timeMode: 'delta-prev', timeZone: ['utc'] });
    expect(p.timeMode).toBe('delta-prev');
    expect(p.timeZone).toBe('utc');
    expect(['light', 'dark']).toContain(p.theme);
  });

  it('falls back entirely when nothing usable was stored', () => {
    expect(loadPrefs('not an object').timeMode).toBe('abs');
  });
});
