/**
 * A scenario: the HEP packets OpenSIPS or Kamailio would send for one real call scenario, with
 * its expected correlation result written by hand from what the scenario means.
 */
import type { LegRole } from '../correlate/types.ts';
import type { LinkRule } from '../correlate/types.ts';
import type { CorrelationRule } from '../correlate/user-rules.ts';
import type { HepEncodeInput } from '../hep/types.ts';
import type { Disposition, ProblemCode } from '../kpi/codes.ts';
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
  /** The KPIs and problems of the first group's legs (server/kpi/state.ts), for the scenarios that show one. */
  kpi?: ExpectedKpi;
}

/** A problem and the arrow label of the message it names (the first that showed it). */
export interface ExpectedProblem {
  code: ProblemCode;
  at: string;
}

/** One leg's KPIs as the group view gives them. Times within scenarios.test.ts KPI_SLACK_MS. */
export interface ExpectedLegKpi {
  disposition: Disposition;
  finalStatus: number | null;
  /** In the order the leg raised them. */
  problems: ExpectedProblem[];
  /** Initial INVITE to the first 180/183, else to the final response, ms; given where the scenario sets it. */
  pddMs?: number;
  /** Initial INVITE to its 2xx, ms. */
  setupMs?: number;
}

export interface ExpectedKpi {
  /** In leg order. */
  legs: ExpectedLegKpi[];
  /** The first leg read 64×T1 after the last message (the group view's clock): an unanswered INVITE or BYE has then timed out. */
  timedOut?: { disposition: Disposition; problems: ProblemCode[] };
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
  /**
   * The config file's inferredBoxes the expectation assumes, the other inferred* settings at their
   * defaults. Each an ip:port no other scenario uses, so that the library's boxes together link
   * nothing in any other scenario.
   */
  inferredBoxes?: string[];
  /** Builds the packets; `base` is the start time in µs since the epoch. Deterministic. */
  build(base: number): ScenarioRun;
}
