/** The demo: every scenario of the library, sent as real HEP to a collector, timed around now. */
import { SCENARIOS, layoutScenarios, type Scenario } from '../scenarios/index.ts';
import { encodeHep3 } from '../hep/encode.ts';
import { sendPackets, type Target } from '../replay/sender.ts';

/** Sends `list` laid out one after another from `start` (µs); returns the packets sent. */
export async function sendScenarios(target: Target, list: readonly Scenario[], start: number, rate: number): Promise<number> {
  let sent = 0;
  for (const { run } of layoutScenarios(list, start)) {
    sent += await sendPackets(target, run.packets.map(encodeHep3), { rate });
  }
  return sent;
}

/**
 * Every scenario, the last one ending about now: the library laid out from 0 says how long it
 * spans (the long call alone lasts hours), so the demo starts that long ago.
 */
export async function loadDemo(target: Target): Promise<number> {
  const dry = layoutScenarios(SCENARIOS, 0);
  const last = dry[dry.length - 1].run.packets.at(-1)!;
  const span = last.tsSec * 1_000_000 + last.tsUsec;
  return sendScenarios(target, SCENARIOS, Date.now() * 1000 - span, 5_000);
}
