/**
 * A group's view as the API answers it, read with no more payloads than dedup and the story need.
 * Pure apart from the store reads; the view threads (view-thread.ts) run it.
 */
import type { Config } from '../config.ts';
import type { GroupSlice, Store } from '../store/types.ts';
import type { ApiGroup, ApiLeanGroup, ApiLeanMessage } from './types.ts';
import { duplicateCandidates } from '../correlate/dedup.ts';
import { buildGroupView } from '../correlate/view.ts';
import { storyPayloadIds } from '../correlate/story.ts';
import { leanMessageSchema } from './schemas.ts';

export type ViewConfig = Pick<Config, 'aliases' | 'dedupWindowMicros'>;

/** What a group view is built from: the group's slice and the payloads dedup compares and the story details. */
export interface ViewInput {
  slice: GroupSlice;
  payloads: Map<string, string>;
}

/** The slice of the group of `id` (its `limit` earliest stored messages when given) and the payloads its view needs; null when unknown. */
export async function readViewInput(store: Pick<Store, 'getGroupSlice' | 'getPayloads'>, config: ViewConfig, id: string, limit?: number): Promise<ViewInput | null> {
  const slice = await store.getGroupSlice(id, limit);
  if (!slice) return null;
  // Also the payloads the story reads (logs, reports, SDP: correlate/story.ts).
  return { slice, payloads: await store.getPayloads([...duplicateCandidates(slice.messages, config.dedupWindowMicros), ...storyPayloadIds(slice.messages)]) };
}

/** The view of the group of `id` (its `limit` earliest stored messages when given); null when unknown. */
export async function loadGroupView(store: Pick<Store, 'getGroupSlice' | 'getPayloads'>, config: ViewConfig, id: string, limit?: number): Promise<ApiGroup | null> {
  const input = await readViewInput(store, config, id, limit);
  return input && buildView(input, config);
}

export function buildView({ slice, payloads }: ViewInput, config: ViewConfig): ApiGroup {
  return buildGroupView(slice, { aliases: config.aliases, dedupWindowMicros: config.dedupWindowMicros, payloads, nowMicros: Date.now() * 1000 });
}

const LEAN_FIELDS = Object.keys(leanMessageSchema.properties) as (keyof ApiLeanMessage)[];

/** The view with lean messages (`?fields=lean`): the fields the app draws with, in the schema's order. */
export function leanView(view: ApiGroup): ApiLeanGroup {
  const messages = view.messages.map((m) => {
    const lean: Record<string, unknown> = {};
    for (const k of LEAN_FIELDS) lean[k] = m[k];
    return lean as ApiLeanMessage;
  });
  return { ...view, messages };
}

/** The answer's JSON text, as the route sends it. */
export function viewJson(view: ApiGroup, lean: boolean): string {
  return JSON.stringify(lean ? leanView(view) : view);
}
