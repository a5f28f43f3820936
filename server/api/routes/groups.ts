/** GET /api/v1/groups/:id: one correlation group, by any Call-ID or correlation id of it. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import { loadGroupView } from '../group-view.ts';
import { parseInt10 } from '../query.ts';
import { errorSchema, groupSchema } from '../schemas.ts';

export default async function groupsRoutes(app: FastifyInstance, { store, config }: AppDeps): Promise<void> {
  app.get<{ Params: { id: string }; Querystring: { limit?: string } }>('/groups/:id', {
    schema: { response: { 200: groupSchema, 400: errorSchema, 404: errorSchema } },
    // The schema documents the shape (schemas.test.ts holds real answers to it); buildGroupView
    // already makes exactly that shape, and JSON.stringify writes a 20,000-message group ~3x faster than the
    // schema-compiled serializer with its nullable unions.
    serializerCompiler: () => (data) => JSON.stringify(data),
  }, async (req, reply) => {
    // ?limit=N: the view of the first N stored messages only, so that a large group's first
    // screen is drawn while the whole group loads ("complete" says whether anything was left out).
    const limit = parseInt10('limit', req.query.limit, 1, Number.MAX_SAFE_INTEGER);
    const view = await loadGroupView(store, config, req.params.id, limit);
    if (!view) return reply.code(404).send({ error: 'not-found', message: `no call or correlation id "${req.params.id}"` });
    return view;
  });
}
