import { usePrefs } from '../state/store.prefs.ts';

export function ThemeToggle() {
  const theme = usePrefs((s) => s.theme);
  const setTheme = usePrefs((s) => s.setTheme);
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button type="button" className="btn" onClick={() => setTheme(next)} aria-label={`Switch to ${next} theme`} data-testid="theme-toggle">
      {theme === 'dark' ? '☀ Light' : '☾ Dark'}
    </button>
  );
}
