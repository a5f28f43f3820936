/**
 * The scenario library: every scenario, and helpers to turn them into HEP bytes (replay, demo).
 */
import { encodeHep3 } from '../hep/encode.ts';
import { b2bKey, b2bSuffix, mediaServerLoop, queueCall } from './b2b.ts';
import { basicCall, cancelledCall, holdResume, rejectedCall } from './basic.ts';
import { chainFull, chainPartial } from './chain.ts';
import { forwardDiversion, forwardHistoryInfo, forwardUnrelated, redirect } from './forward.ts';
import { hostileCall } from './hostile.ts';
import { inferredSbc, inferredUnrelated } from './inferred.ts';
import { largeGroup, longCall } from './long.ts';
import { callPickup, parkRetrieve } from './pickup-park.ts';
import { PROBLEM_SCENARIOS } from './problems.ts';
import { icid, sessionId, sessionIdNil, userRuleCallId, userRuleHeader, userRuleNoMatch, xcidChain } from './shared-ids.ts';
import { attendedTransferKamailio, attendedTransferOpensips, blindTransfer } from './transfer.ts';
import type { CorrelationRule } from '../correlate/user-rules.ts';
import type { Scenario, ScenarioRun } from './types.ts';

export type * from './types.ts';
export { IMG_PAYLOAD, SCRIPT_PAYLOAD } from './hostile.ts';

/** Every scenario, small ones first. */
export const SCENARIOS: readonly Scenario[] = [
  basicCall, rejectedCall, cancelledCall, holdResume,
  attendedTransferOpensips, attendedTransferKamailio, blindTransfer,
  callPickup, parkRetrieve,
  queueCall, b2bKey, b2bSuffix, mediaServerLoop,
  chainPartial, chainFull,
  forwardHistoryInfo, forwardDiversion, redirect, forwardUnrelated,
  sessionId, sessionIdNil, icid, userRuleHeader, userRuleCallId, userRuleNoMatch, xcidChain,
  inferredSbc, inferredUnrelated,
  hostileCall,
  ...PROBLEM_SCENARIOS,
  longCall, largeGroup,
];

/** The correlationRules a server needs for `list`'s expectations to hold (rule names are unique in the library). */
export function scenarioRules(list: readonly Scenario[]): CorrelationRule[] {
  return list.flatMap((s) => s.correlationRules ?? []);
}

/** The inferredBoxes a server needs for `list`'s expectations to hold (each box is one scenario's own address). */
export function scenarioInferredBoxes(list: readonly Scenario[]): string[] {
  return list.flatMap((s) => s.inferredBoxes ?? []);
}

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

/** The scenario's HEP3 packets, in capture-time order, starting at `base` (µs since the epoch). */
export function scenarioPackets(s: Scenario, base: number): Buffer[] {
  return s.build(base).packets.map(encodeHep3);
}

/** Pause between two scenarios laid out one after another, µs: beyond any matching window. */
export const SCENARIO_GAP_MICROS = 120_000_000;

/**
 * Builds `list` one after another from `start` (µs), each starting `SCENARIO_GAP_MICROS` after the
 * previous one's last packet, so that loading them together (the demo) never links the calls of
 * two scenarios: they reuse user names, and a blind-transfer REFER matches by user within 30 s.
 */
export function layoutScenarios(list: readonly Scenario[], start: number): { scenario: Scenario; base: number; run: ScenarioRun }[] {
  const out: { scenario: Scenario; base: number; run: ScenarioRun }[] = [];
  let base = start;
  for (const scenario of list) {
    const run = scenario.build(base);
    out.push({ scenario, base, run });
    const last = run.packets[run.packets.length - 1];
    base = (last ? last.tsSec * 1_000_000 + last.tsUsec : base) + SCENARIO_GAP_MICROS;
  }
  return out;
}
