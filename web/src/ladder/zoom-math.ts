/**
 * Zoom transform values, without a DOM (d3-zoom src/transform.js). The ladder zooms
 * horizontally: k scales the column spacing around the left edge, so x stays 0; y is kept for
 * symmetry with d3-zoom's {k, x, y} and stays 0 (rows scroll natively).
 */
import type { ScreenPx } from '../model/units.ts';

export interface ZoomTransform {
  readonly k: number;
  readonly x: ScreenPx;
  readonly y: ScreenPx;
}

export const IDENTITY: ZoomTransform = { k: 1, x: 0, y: 0 };
/** Below 0.4 the arrow labels overlap on a 160-unit column; above 3 one column fills a laptop screen. */
export const MIN_SCALE = 0.4;
export const MAX_SCALE = 3;

export function clampScale(k: number): number {
  return Math.max(MIN_SCALE, Math.min(MAX_SCALE, k));
}
