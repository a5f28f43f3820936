/**
 * The only module that touches d3-zoom / d3-selection. Ctrl+wheel (or pinch) zooms the column
 * spacing; plain wheel stays native scrolling. Each change is reported through one callback
 * (plexus ZoomManager); React renders with the reported transform and D3 appends nothing.
 */
import { select } from 'd3-selection';
import { type D3ZoomEvent, zoom, zoomIdentity, zoomTransform } from 'd3-zoom';
import { clampScale, MAX_SCALE, MIN_SCALE, type ZoomTransform } from './zoom-math.ts';

export interface ZoomHandle {
  /** Sets the scale (clamped), e.g. from the toolbar buttons. */
  scaleTo(k: number): void;
  /** The scale d3-zoom holds for the element. */
  current(): number;
  destroy(): void;
}

export function attachZoom(el: HTMLElement, onTransform: (t: ZoomTransform) => void): ZoomHandle {
  const behavior = zoom<HTMLElement, unknown>()
    .scaleExtent([MIN_SCALE, MAX_SCALE])
    // Only ctrl/meta + wheel zooms: drags and plain wheel keep scrolling and text selection native.
    .filter((event: Event) => event.type === 'wheel' && ((event as WheelEvent).ctrlKey || (event as WheelEvent).metaKey))
    .on('zoom', (event: D3ZoomEvent<HTMLElement, unknown>) => {
      onTransform({ k: event.transform.k, x: 0, y: 0 });
    });
  const sel = select(el);
  sel.call(behavior).on('dblclick.zoom', null);
  return {
    scaleTo(k: number) {
      behavior.transform(sel, zoomIdentity.scale(clampScale(k)));
    },
    current() {
      return zoomTransform(el).k;
    },
    destroy() {
      sel.on('.zoom', null);
    },
  };
}
