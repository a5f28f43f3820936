/**
 * Items fed one per turn of the event loop (setImmediate), so that I/O is read between them. The
 * UDP receiver thread hands datagram batches over every few ms; when the collector thread falls
 * behind (a GC pause, a busy core) they queue up in its port, which delivers them all in one go,
 * and fed as they came they kept HTTP requests unread for hundreds of ms (bench/stall).
 */
export class TurnQueue<T> {
  private readonly waiting: T[] = [];
  private scheduled = false;

  constructor(private readonly feed: (item: T) => void) {}

  push(item: T): void {
    this.waiting.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.next);
  }

  /** Feeds everything waiting now (when closing). */
  drain(): void {
    while (this.waiting.length) this.feed(this.waiting.shift()!);
  }

  private readonly next = (): void => {
    if (!this.waiting.length) {
      this.scheduled = false;
      return;
    }
    this.feed(this.waiting.shift()!);
    setImmediate(this.next);
  };
}
