import { describe, expect, it } from 'vitest';
import { makeRefresher } from './refresher.ts';

/** A run the test settles by hand. */
function controlled() {
  const settles: (() => void)[] = [];
  let runs = 0;
  const run = () => {
    runs++;
    return new Promise<void>((r) => settles.push(r));
  };
  return { run, settle: async () => { settles.shift()!(); await new Promise((r) => setTimeout(r, 0)); }, runs: () => runs };
}

describe('makeRefresher', () => {
  it('runs at once when idle, and once more after a run for any number of requests during it', async () => {
    const c = controlled();
    const r = makeRefresher(c.run);
    r.request();
    expect(c.runs()).toBe(1);
    r.request();
    r.request();
    r.request();
    expect(c.runs()).toBe(1);
    await c.settle();
    expect(c.runs()).toBe(2);
    await c.settle();
    expect(c.runs()).toBe(2);
  });

  it('starts nothing after stop, and keeps going after a failed run', async () => {
    let runs = 0;
    const r = makeRefresher(async () => { runs++; throw new Error('network'); });
    r.request();
    await new Promise((res) => setTimeout(res, 0));
    r.request();
    expect(runs).toBe(2);
    r.stop();
    r.request();
    expect(runs).toBe(2);
  });
});
