/**
 * Group views built off the main thread (view-thread.ts), so that a 20,000-message group, which
 * takes a core for a good fraction of a second to read, build and write as JSON, delays neither
 * HEP ingest nor the other requests on the main thread.
 *
 * Two lanes, because a thread finishes one view before it starts the next: small views (up to
 * VIEW_SMALL_MESSAGES, and every first page) go to a thread of their own, so that they never wait
 * behind large ones; large views share VIEW_LARGE_THREADS threads, which run at a lower priority
 * (VIEW_LARGE_NICE) so that they take only the CPU that ingest and the other requests leave. With
 * SQLite the small thread tells which a group is, from the message count stored with the group,
 * before reading it.
 */
import type { Worker } from 'node:worker_threads';
import { VIEW_LARGE_NICE, VIEW_LARGE_THREADS, VIEW_SMALL_MESSAGES } from '../config.ts';
import { startWorker } from '../worker-thread.ts';
import type { ViewConfig, ViewInput } from './group-view.ts';
import type { ViewJob, ViewReply, ViewThreadData } from './view-thread.ts';

/** How to write the answer: the view's settings, lean messages or not, gzipped when large. */
export interface ViewHow { config: ViewConfig; lean: boolean; gzip: boolean }

type Job = ViewJob extends infer J ? (J extends { id: number } ? Omit<J, 'id'> : never) : never;
/** The answer's JSON bytes, gzipped or not. */
export interface ViewAnswer { body: Buffer; gzipped: boolean }
type Answer = ViewAnswer | null | 'large';
type Pending = { resolve: (a: Answer) => void; reject: (e: Error) => void };

export class ViewPool {
  private readonly small: ViewLane;
  private readonly large: ViewLane[];

  /** `sqliteFile`: the SQLite store's file, which the threads then read themselves; null when jobs bring their input. */
  constructor(sqliteFile: string | null, largeThreads = VIEW_LARGE_THREADS) {
    this.small = new ViewLane('view-small', { sqliteFile, nice: 0 });
    this.large = Array.from({ length: largeThreads }, (_, i) => new ViewLane(`view-large-${i}`, { sqliteFile, nice: VIEW_LARGE_NICE }));
    this.small.start(); // first pages go there: ready before the first one is asked for
  }

  /** The answer for the group of `groupId`, read from the SQLite file on a view thread; null when unknown. */
  async read(groupId: string, limit: number | undefined, how: ViewHow): Promise<ViewAnswer | null> {
    const job = { op: 'read', groupId, limit, ...how } as const;
    const answer = await this.small.run({ ...job, maxMessages: VIEW_SMALL_MESSAGES });
    return answer === 'large' ? this.leastBusy().run(job) as Promise<ViewAnswer | null> : answer;
  }

  /** The answer for a group the caller has read. */
  async build(input: ViewInput, how: ViewHow): Promise<ViewAnswer> {
    const lane = input.slice.messages.length > VIEW_SMALL_MESSAGES ? this.leastBusy() : this.small;
    return lane.run({ op: 'build', input, ...how }) as Promise<ViewAnswer>;
  }

  async close(): Promise<void> {
    await Promise.all([this.small, ...this.large].map((l) => l.close()));
  }

  private leastBusy(): ViewLane {
    return this.large.reduce((a, b) => (b.depth < a.depth ? b : a));
  }
}

/** One view thread, started on first use and again after it died; its jobs run in order. */
class ViewLane {
  private thread: { worker: Worker; pending: Map<number, Pending> } | null = null;
  private nextId = 1;

  constructor(private readonly name: string, private readonly data: ViewThreadData) {}

  /** Jobs sent and not yet answered. */
  get depth(): number {
    return this.thread?.pending.size ?? 0;
  }

  run(job: Job): Promise<Answer> {
    const { worker, pending } = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...job, id });
    });
  }

  start(): { worker: Worker; pending: Map<number, Pending> } {
    if (this.thread) return this.thread;
    const worker = startWorker(new URL('./view-thread.ts', import.meta.url), this.data, this.name);
    worker.unref(); // an idle view thread never keeps the process alive
    const pending = new Map<number, Pending>();
    const thread = { worker, pending };
    worker.on('message', (r: ViewReply) => {
      const p = pending.get(r.id);
      pending.delete(r.id);
      if (!r.ok) p?.reject(new Error(r.error));
      else p?.resolve('large' in r ? 'large' : r.json && { body: Buffer.from(r.json), gzipped: r.gzipped });
    });
    // A thread that died fails its own jobs only; the next job starts a new one.
    const fail = (err: Error) => {
      if (this.thread === thread) this.thread = null;
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`view thread ${this.name} exited (${code})`)));
    this.thread = thread;
    return thread;
  }

  async close(): Promise<void> {
    const t = this.thread;
    this.thread = null;
    await t?.worker.terminate();
  }
}
