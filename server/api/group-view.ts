/** A group's view as the API answers it, read with no more payloads than dedup compares. */
import type { Config } from '../config.ts';
import type { Store } from '../store/types.ts';
import type { ApiGroup } from './types.ts';
import { duplicateCandidates } from '../correlate/dedup.ts';
import { buildGroupView } from '../correlate/view.ts';

/** The view of the group of `id` (its `limit` earliest stored messages when given); null when unknown. */
export async function loadGroupView(store: Pick<Store, 'getGroupSlice' | 'getPayloads'>, config: Pick<Config, 'aliases' | 'dedupWindowMicros'>, id: string, limit?: number): Promise<ApiGroup | null> {
  const rec = await store.getGroupSlice(id, limit);
  if (!rec) return null;
  const payloads = await store.getPayloads(duplicateCandidates(rec.messages, config.dedupWindowMicros));
  return buildGroupView(rec, { aliases: config.aliases, dedupWindowMicros: config.dedupWindowMicros, payloads });
}
