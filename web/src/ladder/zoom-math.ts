/**
 * Zoom transform math, without a DOM (d3-zoom src/transform.js; plexus zoom/utils.ts).
 * The ladder zooms horizontally: k scales the column spacing, x pans. y is kept for symmetry with
 * d3-zoom's {k, x, y} and stays 0 (rows scroll natively).
 */
import type { ScreenPx, WorldPx } from '../model/units.ts';

export interface ZoomTransform {
  readonly k: number;
  readonly x: ScreenPx;
  readonly y: ScreenPx;
}

export const IDENTITY: ZoomTransform = { k: 1, x: 0, y: 0 };
/** Below 0.4 the arrow labels overlap on a 160-unit column; above 3 one column fills a laptop screen. */
export const MIN_SCALE = 0.4;
export const MAX_SCALE = 3;

export function applyX(t: ZoomTransform, x: WorldPx): ScreenPx {
  return x * t.k + t.x;
}

export function invertX(t: ZoomTransform, x: ScreenPx): WorldPx {
  return (x - t.x) / t.k;
}

export function clampScale(k: number): number {
  return Math.max(MIN_SCALE, Math.min(MAX_SCALE, k));
}

/** Scales by `factor` keeping the world point under screen x `at` fixed; result clamped. */
export function scaleAt(t: ZoomTransform, factor: number, at: ScreenPx): ZoomTransform {
  const k = clampScale(t.k * factor);
  const world = invertX(t, at);
  return { k, x: at - world * k, y: t.y };
}

/** The scale that fits `content` world units into `viewport` screen pixels, clamped, never above 1. */
export function fitScale(content: WorldPx, viewport: ScreenPx): number {
  if (content <= 0 || viewport <= 0) return 1;
  return clampScale(Math.min(1, viewport / content));
}

/** Pan clamp: keeps the content's left edge no further right than 0 and its right edge in view. */
export function clampPan(t: ZoomTransform, content: WorldPx, viewport: ScreenPx): ZoomTransform {
  const width = content * t.k;
  const minX = Math.min(0, viewport - width);
  return { k: t.k, x: Math.max(minX, Math.min(0, t.x)), y: t.y };
}
