/**
 * One message a store cannot take must not block the messages around it. A batch refused for its
 * content is written in halves, down to single messages; a message refused alone is written once
 * more in its safe form (collector/storable.ts), and set aside, counted by reason, when even that
 * is refused. Errors that are not about content (a lost connection, a busy database) propagate:
 * the caller retries them as a whole. The store supplies the write and the classification.
 */
import { storableMessage } from '../collector/storable.ts';
import type { MessageInput, OnSetAside } from './types.ts';

export interface SplitOptions {
  /** Writes one part atomically. */
  write(part: MessageInput[]): Promise<void>;
  /** The reason (a short name) when `err` refuses the content of what was written, else null. */
  contentFault(err: unknown): string | null;
  /**
   * Told of each part of a split batch once it is stored or set aside, so that a retry of the
   * batch after a propagated error can skip it.
   */
  settled?(part: readonly MessageInput[]): void;
  onSetAside?: OnSetAside;
}

/**
 * Writes `batch`, splitting it when it is refused for its content. A batch with one bad message
 * among n costs about 2·log2(n) more writes; the common case, one write.
 */
export async function writeSplitting(batch: MessageInput[], o: SplitOptions, whole = true): Promise<void> {
  try {
    await o.write(batch);
    if (!whole) o.settled?.(batch); // the whole batch settles with the promise: no need to remember it
    return;
  } catch (err) {
    const reason = o.contentFault(err);
    if (reason === null) throw err;
    if (batch.length > 1) {
      const mid = batch.length >>> 1;
      await writeSplitting(batch.slice(0, mid), o, false);
      await writeSplitting(batch.slice(mid), o, false);
      return;
    }
    const m = batch[0];
    const safe = storableMessage(m);
    if (safe !== m) {
      try {
        await o.write([safe]);
        o.settled?.(batch);
        return;
      } catch (again) {
        if (o.contentFault(again) === null) throw again;
      }
    }
    o.settled?.(batch);
    o.onSetAside?.(reason, m, err as Error);
  }
}
