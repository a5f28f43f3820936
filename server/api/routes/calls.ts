/** GET /api/v1/calls: search, one item per correlation group. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import type { ApiCallPage } from '../types.ts';
import { callPageSchema, errorSchema } from '../schemas.ts';
import { BadRequest, one, oneOfEach, parseCallFilters, parseInt10, str, type QueryValues } from '../query.ts';
import { SCENARIO_KINDS } from '../../correlate/scenario-kind.ts';
import { searchByScenario } from '../../store/scenario-search.ts';
import { CALLS_PAGE_DEFAULT, CALLS_PAGE_MAX } from '../../config.ts';

export default async function callsRoutes(app: FastifyInstance, { store, config }: AppDeps): Promise<void> {
  app.get<{ Querystring: QueryValues }>('/calls', {
    schema: { response: { 200: callPageSchema, 400: errorSchema } },
  }, async (req): Promise<ApiCallPage> => {
    const q = req.query;
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
  });
}

