import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';

export default async function healthRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok', store: deps.store.kind, collector: deps.ingest !== null }));
  app.get('/metrics', async (_req, reply) => {
    reply.type(deps.metrics.contentType());
    return deps.metrics.text();
  });
}
