/**
 * Leg colours and status classes. Colours are CSS custom properties (Ladder.css sets them per
 * theme), so the same leg keeps its colour in dark and light themes and in exports.
 */

/** Twelve hues far enough apart to tell legs apart; more legs wrap around. */
export const LEG_PALETTE_SIZE = 12;

/** CSS value of the colour of the leg at `position` in the legend. */
export function legColorVar(position: number): string {
  return `var(--leg-${((position % LEG_PALETTE_SIZE) + LEG_PALETTE_SIZE) % LEG_PALETTE_SIZE})`;
}

/** Literal colours of the palette, for exports that leave the page (SVG/PNG files). */
export const LEG_COLORS_LIGHT = [
  '#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf',
  '#8c564b', '#e377c2', '#7f7f00', '#3949ab', '#00897b', '#c2185b',
];
export const LEG_COLORS_DARK = [
  '#6cb4ff', '#ff7b7b', '#6fdc6f', '#c9a4ff', '#ffb26b', '#5fe3f0',
  '#d9a58c', '#ff9ee0', '#d4d45a', '#8c9eff', '#4dd0c0', '#ff80ab',
];

export type StatusClass = 'request' | 'provisional' | 'success' | 'redirect' | 'client-error' | 'server-error';

/** Class of a message for its label colour (Homer 11 getMethodColor: 1xx grey … 5xx/6xx red). */
export function statusClass(status: number | null): StatusClass {
  if (status === null) return 'request';
  if (status < 200) return 'provisional';
  if (status < 300) return 'success';
  if (status < 400) return 'redirect';
  if (status < 500) return 'client-error';
  return 'server-error';
}
