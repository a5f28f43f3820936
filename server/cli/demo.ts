/** The demo: every scenario of the library, sent as real HEP to a collector, timed around now. */
import { SCENARIOS, layoutScenarios, type Scenario } from '../scenarios/index.ts';
import { wholeStory } from '../scenarios/story.ts';
import { oneWayAudio } from '../scenarios/one-way.ts';
import { encodeHep3 } from '../hep/encode.ts';
import { sendPackets, type Target } from '../replay/sender.ts';
import type { Store } from '../store/types.ts';

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
  const dry = layoutScenarios(DEMO_SCENARIOS, 0);
  const last = dry[dry.length - 1].run.packets.at(-1)!;
  const span = last.tsSec * 1_000_000 + last.tsUsec;
  return sendScenarios(target, DEMO_SCENARIOS, Date.now() * 1000 - span, 5_000);
}

/**
 * Whether an earlier --demo is in the store already. The demo is then not sent again: a second
 * copy, hours after the first, would show every demo call twice, drawn as retransmissions.
 * One stored Call-ID of the demo is enough; a demo cut short stays as it is (delete the store to
 * load it anew).
 */
export async function demoStored(store: Pick<Store, 'getGroup'>): Promise<boolean> {
  for (const id of stableDemoCallIds()) if (await store.getGroup(id)) return true;
  return false;
}

/** The demo's Call-IDs that are the same wherever it is laid out in time (a few embed the time). */
export function stableDemoCallIds(): string[] {
  const ids = (start: number) => new Set(layoutScenarios(DEMO_SCENARIOS, start).flatMap(({ run }) => run.expected.groups.flatMap((g) => g.callIds)));
  const later = ids(STABLE_PROBE_MICROS);
  return [...ids(0)].filter((id) => later.has(id));
}

/** A second layout this far from the first tells the time-dependent Call-IDs apart, µs (a day). */
const STABLE_PROBE_MICROS = 86_400_000_000;

/**
 * The library, then the call told with its logs, REST, TLS events and RTCP, and the one whose
 * media raises every flag (kept out of SCENARIOS, whose checks read SIP only).
 */
export const DEMO_SCENARIOS: readonly Scenario[] = [...SCENARIOS, wholeStory, oneWayAudio];
