/**
 * API JSON → view model, once (Jaeger transform-trace-data.ts). Everything past this point reads
 * FlowModel and never the raw ApiGroup.
 */
import type { ApiEndpoint, ApiGroup, ApiLeanGroup, ApiLeanMessage, ApiLeg } from '../../../server/api/types.ts';
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
  firstTs: EpochMicros;
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
    firstTs: messages.length > 0 ? messages[0].ts : 0,
  };
}
