/**
 * A stream's pace: a change held back by minIntervalMs goes out that long after the last one, or,
 * aligned (search lists), on the next whole beat of the clock, so that lists told at different
 * moments refetch together. Real hub and session; the clock is vitest's.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveHub } from './hub.ts';
import { LiveSession, type Sink } from './session.ts';

/** A client that reads everything: the `change` events it was sent, with the clock when sent. */
function client() {
  const changes: { at: number; id: string }[] = [];
  const sink: Sink = {
    open: true,
    write(frame) {
      if (frame.includes('event: change')) changes.push({ at: Date.now(), id: /^id: (.*)$/m.exec(frame)![1] });
      return true;
    },
    check: () => undefined,
    close: () => undefined,
  };
  return { sink, changes };
}

describe('LiveSession pace', () => {
  let hub: LiveHub;
  const sessions: LiveSession[] = [];

  beforeEach(() => {
    vi.useFakeTimers({ now: 10_050 });
    hub = new LiveHub();
  });
  afterEach(() => {
    for (const s of sessions) s.stop();
    hub.close();
    vi.useRealTimers();
  });

  async function open(aligned: boolean) {
    const c = client();
    const s = new LiveSession({
      hub, sink: c.sink, resolve: async () => ({ kind: 'calls', to: null, match: null }), reresolve: false,
      minIntervalMs: 1000, aligned, lookbackMs: 0,
    });
    sessions.push(s);
    await s.start();
    return c;
  }
  /** A stored batch, and its tick. */
  const change = () => {
    hub.publish({ keys: [1], terms: [], linked: false, minTs: 0 });
    hub.flush();
  };

  it('aligned: streams told of changes at different moments are all told on the next beat, once a beat', async () => {
    const a = await open(true);
    const b = await open(true);
    await vi.advanceTimersByTimeAsync(10_300 - Date.now());
    change(); // held to the beat: nothing is sent between beats
    expect(a.changes).toEqual([]);
    await vi.advanceTimersByTimeAsync(10_400 - Date.now()); // opened after that change: not told of it
    const c = await open(true);
    await vi.advanceTimersByTimeAsync(10_700 - Date.now());
    change();
    await vi.advanceTimersByTimeAsync(11_100 - Date.now());
    // All three at 11,000 with the same event id: their refetches can share one answer.
    for (const x of [a, b, c]) expect(x.changes.map((y) => y.at)).toEqual([11_000]);
    expect(new Set([a, b, c].map((x) => x.changes[0].id)).size).toBe(1);

    change(); // the beat at 11,000 is spent: the next is at 12,000
    await vi.advanceTimersByTimeAsync(1_500);
    for (const x of [a, b, c]) expect(x.changes.map((y) => y.at)).toEqual([11_000, 12_000]);
  });

  it('not aligned: a held-back change goes out minIntervalMs after the stream\'s own last one', async () => {
    const a = await open(false);
    await vi.advanceTimersByTimeAsync(10_300 - Date.now());
    change();
    await vi.advanceTimersByTimeAsync(10_400 - Date.now());
    const b = await open(false);
    await vi.advanceTimersByTimeAsync(10_700 - Date.now());
    change();
    await vi.advanceTimersByTimeAsync(10_800 - Date.now());
    change();
    await vi.advanceTimersByTimeAsync(1_500);
    expect(a.changes.map((c) => c.at)).toEqual([10_300, 11_300]);
    expect(b.changes.map((c) => c.at)).toEqual([10_700, 11_700]);
  });
});
