/**
 * Builds the HTTP app (API + web app) without listening: cli/serve.ts listens, tests use inject().
 */
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyCompress from '@fastify/compress';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { API_BODY_MAX_BYTES, GZIP_LEVEL, GZIP_MIN_BYTES, MAX_HEADER_BYTES, MAX_PARAM_CHARS, type Config } from '../config.ts';
import type { Store } from '../store/types.ts';
import type { Metrics } from '../collector/metrics.ts';
import type { Ingest } from '../collector/ingest.ts';
import { useAccess } from './auth.ts';
import { originHook } from './origin.ts';
import { closeUnreadBodies } from './unread-body.ts';
import callsRoutes from './routes/calls.ts';
import groupsRoutes from './routes/groups.ts';
import messagesRoutes from './routes/messages.ts';
import healthRoutes from './routes/health.ts';
import importRoutes from './routes/import.ts';
import exportRoutes from './routes/export.ts';
import configRoutes from './routes/config.ts';
import liveRoutes from './routes/live.ts';
import statsRoutes from './routes/stats.ts';
import type { LiveHub } from '../live/hub.ts';


const CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export interface AppDeps {
  store: Store;
  config: Config;
  metrics: Metrics;
  /** Present when this process collects; capture upload needs it. */
  ingest: Ingest | null;
  /** Changes pushed to live views (GET /api/v1/live); without it that route is absent. */
  live?: LiveHub;
  logger?: boolean;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: API_BODY_MAX_BYTES,
    routerOptions: { maxParamLength: MAX_PARAM_CHARS },
    http: { maxHeaderSize: MAX_HEADER_BYTES },
  });
  await useAccess(app, deps.config);
  app.addHook('onRequest', originHook);
  closeUnreadBodies(app);
  await app.register(fastifyCompress, { global: true, threshold: GZIP_MIN_BYTES, encodings: ['gzip', 'deflate'], zlibOptions: { level: GZIP_LEVEL } });
  // SIP is hostile input: the app renders it as text, and the page may run only its own scripts.
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    // The app's URLs carry Call-IDs and phone numbers: no Referer to other sites. Not "no-referrer":
    // under it a browser sends `Origin: null` on the app's own POSTs (Fetch, "serializing a
    // request origin"), which the origin check above would have to take on trust.
    reply.header('referrer-policy', 'same-origin');
    return payload;
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) app.log.error(err);
    reply.code(status).send({ error: status >= 500 ? 'internal' : 'bad-request', message: err.message });
  });
  await app.register(healthRoutes, deps);
  await app.register(callsRoutes, { ...deps, prefix: '/api/v1' });
  await app.register(groupsRoutes, { ...deps, prefix: '/api/v1' });
  await app.register(messagesRoutes, { ...deps, prefix: '/api/v1' });
  await app.register(importRoutes, { ...deps, prefix: '/api/v1' });
  await app.register(exportRoutes, { ...deps, prefix: '/api/v1' });
  await app.register(configRoutes, { ...deps, prefix: '/api/v1' });
  await app.register(liveRoutes, { ...deps, prefix: '/api/v1' });
  await app.register(statsRoutes, { ...deps, prefix: '/api/v1' });
  await serveWebApp(app, deps.config.webDir);
  return app;
}

/** The built SPA at /, with every other non-API path answered by index.html (client routing). */
async function serveWebApp(app: FastifyInstance, webDir: string): Promise<void> {
  const root = resolve(webDir);
  const hasApp = existsSync(resolve(root, 'index.html'));
  if (hasApp) await app.register(fastifyStatic, { root, wildcard: false });
  app.setNotFoundHandler((req, reply) => {
    if (req.method !== 'GET' || req.url.startsWith('/api/') || !hasApp) {
      const message = hasApp ? `no route ${req.method} ${req.url}` : `no web app built in ${root}: run "npm run build"`;
      return reply.code(404).send({ error: 'not-found', message });
    }
    return reply.type('text/html').sendFile('index.html');
  });
}
