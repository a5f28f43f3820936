import { describe, expect, it } from 'vitest';
import { clampScale, MAX_SCALE, MIN_SCALE } from './zoom-math.ts';

describe('zoom math', () => {
  it('clampScale clamps the scale to its extent', () => {
    expect(clampScale(100)).toBe(MAX_SCALE);
    expect(clampScale(0.001)).toBe(MIN_SCALE);
    expect(clampScale(2)).toBe(2);
  });
});
