/**
 * The colours of the ladder in each theme: page, text, lifelines, legs and response statuses.
 * The one source for the screen (main.tsx installs them as CSS custom properties, which the
 * stylesheets read) and for exports that leave the page (SVG/PNG files read them here).
 */

export type StatusClass = 'request' | 'provisional' | 'success' | 'redirect' | 'client-error' | 'server-error';

export interface Palette {
  background: string;
  text: string;
  muted: string;
  lifeline: string;
  /** Twelve hues far enough apart to tell legs apart; more legs wrap around. */
  legs: readonly string[];
  /** Label colour of a response; a request's label has the text colour. */
  status: Readonly<Record<Exclude<StatusClass, 'request'>, string>>;
  /** Log note colour by level class (kinds.ts levelClass); also RTCP rows with loss ('error'). */
  levels: Readonly<Record<'error' | 'warning' | 'info' | 'debug', string>>;
}

/** Per theme. A leg keeps its position, so it keeps its hue in both themes. */
export const PALETTES: Readonly<Record<'light' | 'dark', Palette>> = {
  light: {
    background: '#ffffff',
    text: '#1d2125',
    muted: '#5f6873',
    lifeline: '#c6ccd3',
    legs: [
      '#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf',
      '#8c564b', '#e377c2', '#7f7f00', '#3949ab', '#00897b', '#c2185b',
    ],
    status: { provisional: '#6b7280', success: '#1b8a3a', redirect: '#7b4bbf', 'client-error': '#c25e00', 'server-error': '#c62828' },
    levels: { error: '#c62828', warning: '#b26a00', info: '#1f5fa8', debug: '#6b7280' },
  },
  dark: {
    background: '#15181c',
    text: '#e3e6ea',
    muted: '#9aa3ad',
    lifeline: '#3b424b',
    legs: [
      '#6cb4ff', '#ff7b7b', '#6fdc6f', '#c9a4ff', '#ffb26b', '#5fe3f0',
      '#d9a58c', '#ff9ee0', '#d4d45a', '#8c9eff', '#4dd0c0', '#ff80ab',
    ],
    status: { provisional: '#9aa3ad', success: '#6fdc6f', redirect: '#c9a4ff', 'client-error': '#ffb26b', 'server-error': '#ff7b7b' },
    levels: { error: '#ff7b7b', warning: '#ffc46b', info: '#8cc4ff', debug: '#9aa3ad' },
  },
};

export const LEG_PALETTE_SIZE = PALETTES.light.legs.length;

/** CSS value of the colour of the leg at `position` in the legend. */
export function legColorVar(position: number): string {
  return `var(--leg-${((position % LEG_PALETTE_SIZE) + LEG_PALETTE_SIZE) % LEG_PALETTE_SIZE})`;
}

/** Colour of the leg at `position` in the legend, as a literal for exports. */
export function legColor(palette: Palette, position: number): string {
  const n = palette.legs.length;
  return palette.legs[((position % n) + n) % n];
}

/** Colour of a message's label: the text colour for a request, its status class's otherwise. */
export function labelColor(palette: Palette, status: number | null): string {
  const cls = statusClass(status);
  return cls === 'request' ? palette.text : palette.status[cls];
}

/**
 * The palettes as CSS custom properties: light on :root, dark under [data-theme=dark] (App.tsx
 * sets the attribute). --bg, --text, --muted, --lifeline, --leg-N, --st-<status class> and --lv-<log level class>.
 */
export function paletteCss(): string {
  const vars = (p: Palette): string =>
    [
      `--bg: ${p.background};`,
      `--text: ${p.text};`,
      `--muted: ${p.muted};`,
      `--lifeline: ${p.lifeline};`,
      ...p.legs.map((c, i) => `--leg-${i}: ${c};`),
      ...Object.entries(p.status).map(([cls, c]) => `--st-${cls}: ${c};`),
      ...Object.entries(p.levels).map(([lv, c]) => `--lv-${lv}: ${c};`),
    ].join(' ');
  return `:root { ${vars(PALETTES.light)} }\n:root[data-theme='dark'] { ${vars(PALETTES.dark)} }\n`;
}

/** Class of a message for its label colour (Homer 11 getMethodColor: 1xx grey … 5xx/6xx red). */
export function statusClass(status: number | null): StatusClass {
  if (status === null) return 'request';
  if (status < 200) return 'provisional';
  if (status < 300) return 'success';
  if (status < 400) return 'redirect';
  if (status < 500) return 'client-error';
  return 'server-error';
}
