/**
 * Items fed one per turn of the event loop (setImmediate), so that I/O is read between them. The
 * UDP receiver thread hands datagram batches over every few ms; when the collector thread falls
 * behind (a GC pause, a busy core) they queue up in its port, which delivers them all in one go,
 * and fed as they came they kept HTTP requests unread for hundreds of ms (bench/stall).
 *
 * A feed may hold the queue: it answers a promise when it could not take all of an item (the
 * store is behind), and the item is fed again, first, once that promise settles.
 */
export type Feed<T> = (item: T, draining: boolean) => Promise<unknown> | void;

export class TurnQueue<T> {
  private readonly waiting: T[] = [];
  private scheduled = false;

  constructor(private readonly feed: Feed<T>) {}

  push(item: T): void {
    this.waiting.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.next);
  }

  /** Feeds everything waiting now, told that it must not hold (when closing). */
  drain(): void {
    while (this.waiting.length) this.feed(this.waiting.shift()!, true);
  }

  private readonly next = (): void => {
    if (!this.waiting.length) {
      this.scheduled = false;
      return;
    }
    const held = this.feed(this.waiting[0], false);
    if (held) {
      const again = () => setImmediate(this.next);
      void held.then(again, again);
      return;
    }
    this.waiting.shift();
    setImmediate(this.next);
  };
}
