import { describe, expect, it } from 'vitest';
import { IDENTITY, MAX_SCALE, MIN_SCALE, applyX, clampPan, fitScale, invertX, scaleAt } from './zoom-math.ts';

describe('zoom math', () => {
  it('applyX and invertX are inverse of each other', () => {
    const t = { k: 2, x: 30, y: 0 };
    expect(invertX(t, applyX(t, 123))).toBe(123);
  });

  it('scaleAt keeps the world point under the cursor in place', () => {
    const t = scaleAt(IDENTITY, 2, 100);
    expect(t.k).toBe(2);
    expect(applyX(t, 100)).toBe(100);
  });

  it('scaleAt clamps the scale to its extent', () => {
    expect(scaleAt(IDENTITY, 100, 0).k).toBe(MAX_SCALE);
    expect(scaleAt(IDENTITY, 0.001, 0).k).toBe(MIN_SCALE);
  });

  it('fitScale shrinks wide content and never enlarges narrow content', () => {
    expect(fitScale(2000, 1000)).toBe(0.5);
    expect(fitScale(500, 1000)).toBe(1);
    expect(fitScale(1e6, 100)).toBe(MIN_SCALE);
  });

  it('clampPan keeps the content on screen', () => {
    expect(clampPan({ k: 1, x: 50, y: 0 }, 500, 300).x).toBe(0);
    expect(clampPan({ k: 1, x: -900, y: 0 }, 500, 300).x).toBe(-200);
  });
});
