import { describe, expect, it } from 'vitest';
import { delayImpairment, estimateMos, lossImpairment, mosOfR } from './emodel.ts';

describe('E-model (ITU-T G.107)', () => {
  it('gives the default R of 93.2 the MOS of G.107 Annex B, 4.41', () => {
    expect(mosOfR(93.2)).toBeCloseTo(4.409, 3);
    expect(estimateMos({ fractionLost: 0, jitterMs: 0, rttMs: null, codec: 'PCMU' })).toBe(4.41);
  });

  it('clamps R outside 0–100 to MOS 1 and 4.5', () => {
    expect(mosOfR(-5)).toBe(1);
    expect(mosOfR(120)).toBe(4.5);
  });

  it('adds no delay impairment up to 100 ms and about 3 at 200 ms one-way', () => {
    expect(delayImpairment(100)).toBe(0);
    expect(delayImpairment(200)).toBeCloseTo(3.04, 2);
    expect(delayImpairment(400)).toBeGreaterThan(delayImpairment(200));
  });

  it('impairs G.711 with PLC by Ie,eff = 95·Ppl/(Ppl + 25.1)', () => {
    expect(lossImpairment(0, 'PCMA')).toBe(0);
    expect(lossImpairment(10, 'PCMA')).toBeCloseTo(27.07, 2);
    // G.729A starts at Ie 11 and suffers loss sooner (Bpl 19).
    expect(lossImpairment(0, 'G729')).toBe(11);
    expect(lossImpairment(10, 'G729')).toBeGreaterThan(lossImpairment(10, 'PCMA'));
  });

  it('drops the MOS of a 10 % loss interval to about 3.4, whatever the cumulative count', () => {
    expect(estimateMos({ fractionLost: 0.1, jitterMs: 0, rttMs: null, codec: 'PCMU' })).toBe(3.41);
  });

  it('counts jitter and round trip into the one-way delay', () => {
    const calm = estimateMos({ fractionLost: 0, jitterMs: 5, rttMs: 40, codec: null });
    const rough = estimateMos({ fractionLost: 0, jitterMs: 60, rttMs: 300, codec: null });
    expect(rough).toBeLessThan(calm);
  });
});
