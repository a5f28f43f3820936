/** GET /api/v1/calls: search, one item per correlation group. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import type { ApiCallPage } from '../types.ts';
import { callPageSchema, errorSchema } from '../schemas.ts';
import { BadRequest, parseInt10, parseTime, str } from '../query.ts';
import { escapeNul } from '../../collector/storable.ts';
import { CALLS_PAGE_DEFAULT, CALLS_PAGE_MAX } from '../../config.ts';

/** Latest time a search may name, µs: 9999-12-31, past which dates do not print and PostgreSQL's bigint overflows. */
const MAX_TIME_MICROS = 253_402_300_799_999_999;

type Query = Record<string, string | undefined>;

export default async function callsRoutes(app: FastifyInstance, { store }: AppDeps): Promise<void> {
  app.get<{ Querystring: Query }>('/calls', {
    schema: { response: { 200: callPageSchema, 400: errorSchema } },
  }, async (req): Promise<ApiCallPage> => {
    const q = req.query;
    const page = await store.searchGroups({
      from: time('from', q.from),
      to: time('to', q.to),
      callId: text(q.callId),
      correlationId: text(q.correlationId),
      user: text(q.user),
      ip: text(q.ip),
      method: text(q.method)?.toUpperCase(),
      status: parseInt10('status', q.status, 100, 699),
      q: text(q.q),
      limit: parseInt10('limit', q.limit, 1, CALLS_PAGE_MAX) ?? CALLS_PAGE_DEFAULT,
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

/**
 * A text filter as stored: the collector escapes NUL (collector/storable.ts), so a value sent with
 * one finds what was stored, and no store is handed a NUL (PostgreSQL's text refuses it).
 */
function text(v: string | undefined): string | undefined {
  const t = str(v);
  return t === undefined ? undefined : escapeNul(t);
}

/** parseTime within what every store can compare (0 to year 9999). */
function time(name: string, v: string | undefined): number | undefined {
  const t = parseTime(name, v);
  if (t !== undefined && !(Number.isSafeInteger(t) && t >= 0 && t <= MAX_TIME_MICROS)) {
    throw new BadRequest(`${name} must be from 0 to ${MAX_TIME_MICROS} microseconds since the epoch (year 9999)`);
  }
  return t;
}
