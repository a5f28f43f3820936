/** GET /api/v1/config: the settings a client needs to show what the server shows (endpoint aliases). */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import type { ApiConfig } from '../types.ts';
import { configSchema } from '../schemas.ts';

export default async function configRoutes(app: FastifyInstance, { config }: Pick<AppDeps, 'config'>): Promise<void> {
  app.get('/config', { schema: { response: { 200: configSchema } } }, async (): Promise<ApiConfig> => ({ aliases: config.aliases }));
}
