/**
 * API JSON → view model, once (Jaeger transform-trace-data.ts). Everything past this point reads
 * FlowModel and never the raw ApiGroup.
 */
import type { ApiEndpoint, ApiGroup, ApiLeanGroup, ApiLeanMessage, ApiLeg } from '../../../server/api/types.ts';
import type { ProblemCode } from '../../../server/kpi/codes.ts';
import type { EpochMicros } from './units.ts';

/** The fields the app draws with: a first page has no more (lean), a whole group more (client.ts). */
export interface FlowMessage extends ApiLeanMessage {
  /** Position in the group's time order (ties broken by cause), 0-based. */
  index: number;
  /** Position of the message's leg in `FlowModel.legs`, which picks its colour. */
  legPosition: number;
  ts: EpochMicros;
}

export interface FlowModel {
  id: string;
  callIds: string[];
  correlationIds: string[];
  /** False for the first page of a large group, shown while the whole group loads. */
  complete: boolean;
  legs: ApiLeg[];
  endpoints: ApiEndpoint[];
  /** In the server's order: time, ties broken by cause (server/correlate/order.ts). */
  messages: FlowMessage[];
  /** RTP streams per leg with their quality (server/media/streams.ts). */
  media: ApiGroup['media'];
  /** Every leg's problems (legs[].kpi.problems), in the order of their messages, then of legs. */
  problems: FlowProblem[];
  firstTs: EpochMicros;
  /** The group's kind (server/correlate/scenario-kind.ts): the whole group's, on a first page too. */
  scenario: ApiGroup['scenario'];
}

/** A problem of one leg (server/kpi/codes.ts) and the message it names. */
export interface FlowProblem {
  code: ProblemCode;
  /** The leg's server index (ApiLeg.index) and its position in `FlowModel.legs` (its colour). */
  leg: number;
  legPosition: number;
  messageId: string;
  /** Times seen (retransmitted copies for `retransmissions`). */
  count: number;
  /** Index of the message in `FlowModel.messages`; -1 when it is not loaded (past a first page). */
  messageIndex: number;
}

/**
 * Takes ownership of `group` (freshly parsed JSON, as the query function hands it over): each
 * message object gets its `index` and `legPosition` in place rather than being copied, which for
 * a 20,000-message group saves 20,000 objects of 27 fields. Keeps the server's message order.
 */
export function toFlowModel(group: ApiGroup | ApiLeanGroup): FlowModel {
  const messages = group.messages as FlowMessage[];
  // Leg indexes are the server's, usually 0..n-1 and so their own position.
  const legPos = new Map(group.legs.map((l, i) => [l.index, i]));
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    m.index = i;
    m.legPosition = legPos.get(m.leg) ?? m.leg;
  }
  return {
    id: group.id,
    callIds: group.callIds,
    correlationIds: group.correlationIds,
    complete: group.complete,
    legs: group.legs,
    endpoints: group.endpoints,
    messages,
    media: group.media ?? [],
    problems: problemsOf(group.legs, messages),
    firstTs: messages.length > 0 ? messages[0].ts : 0,
    scenario: group.scenario,
  };
}

/**
 * The legs' problems with the index of the message each names, sorted by it (not loaded last),
 * ties in leg then code order. One pass over the messages, and only when there is a problem.
 */
export function problemsOf(legs: readonly ApiLeg[], messages: readonly FlowMessage[]): FlowProblem[] {
  const out: FlowProblem[] = legs.flatMap((l, legPosition) =>
    l.kpi.problems.map((p) => ({ code: p.code, leg: l.index, legPosition, messageId: p.messageId, count: p.count, messageIndex: -1 })));
  if (out.length === 0) return out;
  const wanted = new Set(out.map((p) => p.messageId));
  const indexOf = new Map<string, number>();
  for (const m of messages) if (wanted.has(m.id)) indexOf.set(m.id, m.index);
  for (const p of out) p.messageIndex = indexOf.get(p.messageId) ?? -1;
  const key = (p: FlowProblem): number => (p.messageIndex < 0 ? messages.length : p.messageIndex);
  // Array.prototype.sort is stable: equal keys keep leg order, then the leg's own order.
  return out.sort((a, b) => key(a) - key(b));
}
