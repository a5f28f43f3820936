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

/** Every scenario, ending about now, so that they sit inside the search's default time range. */
export async function loadDemo(target: Target): Promise<number> {
  const start = (Date.now() - 60 * 60_000) * 1000;
  return sendScenarios(target, SCENARIOS, start, 20_000);
}
