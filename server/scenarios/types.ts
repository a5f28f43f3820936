/**
 * A scenario: the HEP packets OpenSIPS or Kamailio would send for one real call scenario, with
 * its expected correlation result written by hand from what the scenario means.
 */
import type { LegRole } from '../correlate/types.ts';
import type { LinkRule } from '../correlate/types.ts';
import type { CorrelationRule } from '../correlate/user-rules.ts';
import type { HepEncodeInput } from '../hep/types.ts';
import type { Side } from './builder.ts';

export type { Side } from './builder.ts';

export interface ExpectedLeg {
  callId: string;
  role: LegRole;
  /** Distinct rules of the links the group view lists on this leg (empty for the first leg). */
  linkRules: LinkRule[];
}

export interface ExpectedGroup {
  /** Every Call-ID of the group. */
  callIds: string[];
  /** In leg order (first message time). */
  legs: ExpectedLeg[];
}

export interface ScenarioExpectation {
  groups: ExpectedGroup[];
  /** Messages of the group(s) after duplicate captures are folded. */
  messageCount: number;
  /**
   * Side of each message of the folded, time-ordered group for the default pivot (the endpoint
   * that receives the group's first initial INVITE). Given by hand per hop of each leg.
   */
  sides: Side[];
  /** Arrow labels in order, for the small scenarios whose order is worth checking by eye. */
  labels?: string[];
  /** Messages flagged as retransmissions. */
  retransmissions?: number;
}

export interface ScenarioRun {
  /** In capture-time order (what the tracers would send, in the order they send it). */
  packets: HepEncodeInput[];
  expected: ScenarioExpectation;
  /** ip → name of the scenario's servers, for `--alias` and the demo. */
  aliases: Record<string, string>;
}

export interface Scenario {
  /** Stable id: "attended-transfer-opensips". */
  name: string;
  title: string;
  description: string;
  /** The config file's correlationRules the expectation assumes (names unique across the library). */
  correlationRules?: CorrelationRule[];
  /** Builds the packets; `base` is the start time in µs since the epoch. Deterministic. */
  build(base: number): ScenarioRun;
}
