import { describe, expect, it } from 'vitest';
import { admit, type Slot, type SlotLimits } from './tcp-slots.ts';

const NOW = 1_000_000; // ms
const limits: SlotLimits = { maxConnections: 3, maxPerAddress: 2, evictAfterMs: 1000 };
const slot = (address: string, silentMs: number): Slot => ({ address, lastFrameAt: NOW - silentMs });

describe('admit', () => {
  it('accepts below the limits', () => {
    expect(admit([slot('10.0.0.1', 0)], '10.0.0.2', NOW, limits)).toEqual({ action: 'accept' });
  });

  it('refuses a connection past the per-address limit, even with free slots', () => {
    const open = [slot('10.0.0.1', 5000), slot('10.0.0.1', 5000)];
    expect(admit(open, '10.0.0.1', NOW, { ...limits, maxConnections: 10 })).toEqual({ action: 'refuse', reason: 'per-address' });
    expect(admit(open, '10.0.0.2', NOW, { ...limits, maxConnections: 10 })).toEqual({ action: 'accept' });
  });

  it('at the connection limit evicts the connection longest without a complete frame', () => {
    // three open: silent 1.5 s, 9 s (the trickler), 2 s → the 9 s one goes
    const open = [slot('10.0.0.1', 1500), slot('10.0.0.2', 9000), slot('10.0.0.3', 2000)];
    expect(admit(open, '10.0.0.4', NOW, limits)).toEqual({ action: 'evict', victim: open[1] });
  });

  it('at the connection limit refuses when every open connection delivered a frame within evictAfterMs', () => {
    const open = [slot('10.0.0.1', 999), slot('10.0.0.2', 10), slot('10.0.0.3', 0)];
    expect(admit(open, '10.0.0.4', NOW, limits)).toEqual({ action: 'refuse', reason: 'full' });
  });

  it('checks the per-address limit before evicting anyone', () => {
    const open = [slot('10.0.0.1', 9000), slot('10.0.0.1', 9000), slot('10.0.0.3', 9000)];
    expect(admit(open, '10.0.0.1', NOW, limits)).toEqual({ action: 'refuse', reason: 'per-address' });
  });
});
