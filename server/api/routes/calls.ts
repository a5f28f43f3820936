/** GET /api/v1/calls: search, one item per correlation group. */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../app.ts';
import type { ApiCallPage } from '../types.ts';
import { callPageSchema, errorSchema, LIVE_EVENT_HEADER } from '../schemas.ts';
import { BadRequest, one, oneOfEach, parseCallFilters, parseInt10, str, type QueryValues } from '../query.ts';
import { SCENARIO_KINDS } from '../../correlate/scenario-kind.ts';
import { searchByScenario } from '../../store/scenario-search.ts';
import { CALLS_PAGE_DEFAULT, CALLS_PAGE_MAX, GZIP_LEVEL, GZIP_MIN_BYTES } from '../../config.ts';
import { PageShare, queryKey } from '../../live/page-share.ts';
import { acceptsGzip } from './groups.ts';

/** A search answer as kept for live lists: its JSON, and that JSON gzipped once a client that takes gzip is given it. */
interface Answer { json: string; gzipped?: Promise<Buffer> }

const gzipAsync = promisify(gzip);

export default async function callsRoutes(app: FastifyInstance, { store, config, live, metrics }: AppDeps): Promise<void> {
  const share = live ? new PageShare<Answer>() : null;

  app.get<{ Querystring: QueryValues }>('/calls', {
    schema: { response: { 200: callPageSchema, 400: errorSchema } },
  }, async (req, reply) => {
    // Live lists with the same filters refetch together: one reads, the others get its answer.
    // Other searches are read afresh, and not kept.
    const header = req.headers[LIVE_EVENT_HEADER];
    const seen = live?.seqOf(Array.isArray(header) ? header[0] : header) ?? null;
    if (!share || !live || seen === null) return read(req.query);
    const key = queryKey(req.query);
    const kept = share.get(key, seen, Date.now());
    metrics.liveSearchPages.inc({ answer: kept === undefined ? 'read' : 'shared' });
    if (kept !== undefined) return send(reply, kept, req.headers['accept-encoding']);
    const seq = live.lastSeq; // before the read: it holds every change told of up to this tick
    const answer: Answer = { json: reply.serialize(await read(req.query)) as string };
    share.set(key, seq, Date.now(), answer);
    return send(reply, answer, req.headers['accept-encoding']);
  });

  /** Sends a kept answer, gzipped once for all the clients that take gzip (the compression plugin would do it for each). */
  async function send(reply: FastifyReply, a: Answer, acceptEncoding: string | undefined): Promise<FastifyReply> {
    reply.type('application/json; charset=utf-8');
    if (a.json.length < GZIP_MIN_BYTES || !acceptsGzip(acceptEncoding)) return reply.send(a.json);
    a.gzipped ??= gzipAsync(a.json, { level: GZIP_LEVEL });
    // Compressed already: the compression plugin passes an answer with a Content-Encoding through.
    return reply.header('content-encoding', 'gzip').header('vary', 'accept-encoding').send(await a.gzipped);
  }

  async function read(q: QueryValues): Promise<ApiCallPage> {
    const query = {
      ...parseCallFilters(q, config.aliases),
      limit: parseInt10('limit', one(q, 'limit'), 1, CALLS_PAGE_MAX) ?? CALLS_PAGE_DEFAULT,
      cursor: str(one(q, 'cursor')),
    };
    const [scenario, ...more] = oneOfEach(q, 'scenario', SCENARIO_KINDS);
    if (more.length) throw new BadRequest('scenario may be given once');
    const page = await (scenario ? searchByScenario(store, query, scenario) : store.searchGroups(query)).catch((err: Error) => {
      if (err.message === 'bad cursor') throw new BadRequest('cursor is not one this server issued');
      throw err;
    });
    return {
      items: page.items.map((g) => ({
        groupId: g.groupId, callIds: g.callIds, correlationIds: g.correlationIds, start: g.start,
        duration: g.end - g.start, caller: g.caller, callee: g.callee, legs: g.callIds.length,
        messages: g.messages, method: g.method, status: g.status, disposition: g.disposition, pddMs: g.pddMs,
        setupMs: g.setupMs, durationMs: g.durationMs, finalStatus: g.finalStatus, problems: g.problems,
        scenario: g.scenario,
      })),
      next: page.next,
    };
  }
}

