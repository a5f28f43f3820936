/** GET /api/v1/stats: call statistics over a time range, optionally of one address (server/kpi/stats.ts defines each figure). */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import type { ApiCallStats } from '../types.ts';
import { callStatsSchema, errorSchema } from '../schemas.ts';
import { BadRequest, parseCallFilters, type QueryValues } from '../query.ts';
import { callStats, type StatsQuery, type StatsRows } from '../../kpi/stats.ts';
import { sqliteFileOf } from '../../store/sqlite-threaded.ts';
import { startWorker } from '../../worker-thread.ts';
import type { StatsJob, StatsReply } from '../stats-thread.ts';
import type { Worker } from 'node:worker_threads';

export default async function statsRoutes(app: FastifyInstance, { store, config }: AppDeps): Promise<void> {
  // With SQLite, read on a thread of its own (stats-thread.ts), started at the first request.
  const file = sqliteFileOf(store);
  const thread = file ? new StatsThread(file) : null;
  app.addHook('onClose', () => thread?.close());

  app.get<{ Querystring: QueryValues }>('/stats', {
    schema: { response: { 200: callStatsSchema, 400: errorSchema } },
  }, async (req): Promise<ApiCallStats> => {
    // The search's parsing, so that a range and an address read as they do in the search list.
    const { from, to, ip, ...others } = parseCallFilters(req.query, config.aliases);
    const unused = Object.entries(others).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)).map(([k]) => k);
    if (unused.length) throw new BadRequest(`stats take from, to and ip only, got ${unused.join(', ')}`);
    if (from !== undefined && to !== undefined && from > to) throw new BadRequest(`from (${from}) is after to (${to})`);
    const q = { from, to, ip };
    const rows = thread ? await thread.run(q) : await store.callStats(q);
    return callStats(rows, (peer) => aliasOfAddress(config.aliases, peer));
  });
}

/** The alias of an address: configured for the address itself, else for one of its ports ("ip:port", "[v6]:port"). */
export function aliasOfAddress(aliases: Record<string, string>, ip: string): string | null {
  if (aliases[ip] !== undefined) return aliases[ip];
  const prefix = ip.includes(':') ? `[${ip}]:` : `${ip}:`;
  const key = Object.keys(aliases).find((k) => k.startsWith(prefix) && /^\d+$/.test(k.slice(prefix.length)));
  return key === undefined ? null : aliases[key];
}

/** The stats thread of an SQLite file: started on first use and again after it died; its jobs run in order. */
class StatsThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (r: StatsRows) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  constructor(private readonly file: string) {}

  run(q: StatsQuery): Promise<StatsRows> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, q } satisfies StatsJob);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(new URL('../stats-thread.ts', import.meta.url), { file: this.file }, 'stats');
    worker.unref(); // an idle stats thread never keeps the process alive
    worker.on('message', (r: StatsReply) => {
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      if (r.ok) p?.resolve(r.rows);
      else p?.reject(new Error(r.error));
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`stats thread exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }
}
