/** GET /api/v1/groups/:id: one correlation group, by any Call-ID or correlation id of it. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import { readViewInput } from '../group-view.ts';
import { ViewPool, type ViewAnswer } from '../view-pool.ts';
import { BadRequest, parseInt10 } from '../query.ts';
import { errorSchema, groupSchema, leanGroupSchema } from '../schemas.ts';
import { sqliteFileOf } from '../../store/sqlite-threaded.ts';

export default async function groupsRoutes(app: FastifyInstance, { store, config }: AppDeps): Promise<void> {
  // Views are built, and with SQLite read, on view threads (view-pool.ts): this thread only sends
  // the JSON they write, so that a large group stalls neither ingest nor other requests.
  const sqliteFile = sqliteFileOf(store);
  const views = new ViewPool(sqliteFile);
  app.addHook('onClose', () => views.close());

  app.get<{ Params: { id: string }; Querystring: { limit?: string; fields?: string } }>('/groups/:id', {
    // The schemas document the shapes (schemas.test.ts holds real answers to them); the view
    // threads write exactly those with JSON.stringify, and this thread sends their text as is.
    schema: { response: { 200: { anyOf: [groupSchema, leanGroupSchema] }, 400: errorSchema, 404: errorSchema } },
    serializerCompiler: () => (data) => JSON.stringify(data),
  }, async (req, reply) => {
    // ?limit=N: the view of the first N stored messages only, so that a large group's first
    // screen is drawn while the whole group loads ("complete" says whether anything was left out).
    const limit = parseInt10('limit', req.query.limit, 1, Number.MAX_SAFE_INTEGER);
    // ?fields=lean: messages with only the fields the app draws with (schemas.ts leanMessageSchema).
    const fields = req.query.fields;
    if (fields !== undefined && fields !== 'lean') throw new BadRequest(`fields must be "lean", got "${fields}"`);
    const lean = fields === 'lean';
    const view = { aliases: config.aliases, dedupWindowMicros: config.dedupWindowMicros };
    const how = { config: view, lean, gzip: acceptsGzip(req.headers['accept-encoding']) };
    let answer: ViewAnswer | null;
    if (sqliteFile) answer = await views.read(req.params.id, limit, how);
    else {
      // PostgreSQL reads asynchronously already; only building the view is handed over.
      const input = await readViewInput(store, view, req.params.id, limit);
      answer = input && await views.build(input, how);
    }
    if (!answer) return reply.code(404).send({ error: 'not-found', message: `no call or correlation id "${req.params.id}"` });
    // Compressed already: the compression plugin passes an answer with a Content-Encoding through.
    if (answer.gzipped) reply.header('content-encoding', 'gzip').header('vary', 'accept-encoding');
    return reply.type('application/json; charset=utf-8').send(answer.body);
  });
}

/** Whether an Accept-Encoding header takes gzip (named without q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  for (const part of (header ?? '').toLowerCase().split(',')) {
    const [coding, ...params] = part.split(';').map((p) => p.trim());
    if (coding !== 'gzip') continue;
    return !params.some((p) => /^q=0(\.0*)?$/.test(p));
  }
  return false;
}
