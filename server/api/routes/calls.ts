/** GET /api/v1/calls: search, one item per correlation group. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import type { ApiCallPage } from '../types.ts';
import { callPageSchema, errorSchema } from '../schemas.ts';
import { BadRequest, parseInt10, parseTime, str } from '../query.ts';

/** Rows a page may ask for: the web app virtualises thousands, but one answer stays bounded. */
const MAX_LIMIT = 5000;

type Query = Record<string, string | undefined>;

export default async function callsRoutes(app: FastifyInstance, { store }: AppDeps): Promise<void> {
  app.get<{ Querystring: Query }>('/calls', {
    schema: { response: { 200: callPageSchema, 400: errorSchema } },
  }, async (req): Promise<ApiCallPage> => {
    const q = req.query;
    const page = await store.searchGroups({
      from: parseTime('from', q.from),
      to: parseTime('to', q.to),
      callId: str(q.callId),
      correlationId: str(q.correlationId),
      user: str(q.user),
      ip: str(q.ip),
      method: str(q.method)?.toUpperCase(),
      status: parseInt10('status', q.status, 100, 699),
      q: str(q.q),
      limit: parseInt10('limit', q.limit, 1, MAX_LIMIT) ?? 100,
      cursor: str(q.cursor),
    }).catch((err: Error) => {
      if (err.message === 'bad cursor') throw new BadRequest('cursor is not one this server issued');
      throw err;
    });
    return {
      items: page.items.map((g) => ({
        groupId: g.groupId, callIds: g.callIds, correlationIds: g.correlationIds, start: g.start,
        duration: g.end - g.start, caller: g.caller, callee: g.callee, legs: g.callIds.length,
        messages: g.messages, method: g.method, status: g.status,
      })),
      next: page.next,
    };
  });
}
