/**
 * Access to the app and API (server/access/): with nothing configured the app is open, as a
 * single-user tool on 127.0.0.1 should be. Once httpToken, httpBasic or trustedProxies is set, or
 * an API token was ever created, every request needs credentials (401 without) and the role its route needs
 * (403 naming that role). /healthz stays open so that load balancers can probe.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ACCESS_TOKENS_RECHECK_MS, type Config } from '../config.ts';
import { accessPolicy, type AccessConfig } from '../access/policy.ts';
import { identify } from '../access/identify.ts';
import { allows, isRole, routeRole, type Role } from '../access/roles.ts';
import { openTokenStore } from '../access/token-store.ts';

export interface RouteAccess { method: string; url: string; role: Role }

const tables = new WeakMap<FastifyInstance, RouteAccess[]>();

/** The role each route of the app needs (/healthz none): what the README's table and the access tests read. */
export function routeRoles(app: FastifyInstance): readonly RouteAccess[] {
  return tables.get(app) ?? [];
}

/** Adds the access check to every request, before any route is registered; the token table closes with the app. */
export async function useAccess(app: FastifyInstance, config: AccessConfig & Pick<Config, 'store'>): Promise<void> {
  const policy = accessPolicy(config);
  const tokens = await openTokenStore(config.store);
  app.addHook('onClose', () => tokens.close());
  const table: RouteAccess[] = [];
  tables.set(app, table);
  app.addHook('onRoute', (r) => {
    const declared = r.config?.role;
    if (declared !== undefined && !isRole(declared)) throw new Error(`route ${r.url}: unknown role "${String(declared)}"`);
    if (r.url === '/healthz') return;
    for (const method of [r.method].flat()) table.push({ method, url: r.url, role: routeRole(method, declared) });
  });
  // Tokens are never deleted, only revoked: once one is seen the app stays closed without asking again.
  // A store that does not answer (PostgreSQL restarting) keeps the last answer, so that /metrics
  // and the app stay up through an outage; with no answer yet the app stays closed (503).
  let checkedAt = -Infinity;
  let issued: boolean | null = await tokens.anyIssued().catch(() => null);
  const open = async (now: number): Promise<boolean | null> => {
    if (policy.closed || issued) return false;
    if (now - checkedAt >= ACCESS_TOKENS_RECHECK_MS) {
      checkedAt = now;
      issued = await tokens.anyIssued().catch(() => issued);
    }
    return issued === null ? null : !issued;
  };
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.url === '/healthz') return;
    const now = Date.now();
    const isOpen = await open(now);
    if (isOpen) return;
    if (isOpen === null) return reply.code(503).send({ error: 'unavailable', message: 'access check unavailable: the store does not answer' });
    const who = await identify(policy, {
      remoteAddress: req.socket.remoteAddress, headers: req.headers,
      queryToken: (req.query as Record<string, string> | undefined)?.token,
    }, (hash) => tokens.byHash(hash), now);
    if (who === null || 'refused' in who) {
      if (policy.httpBasic) reply.header('www-authenticate', 'Basic realm="hepflow"');
      return reply.code(401).send({ error: 'unauthorized', message: who ? who.refused : 'missing credentials' });
    }
    const need = routeRole(req.method, req.routeOptions.config?.role);
    if (who.role === null || !allows(who.role, need)) {
      const have = who.role ? `has role ${who.role}` : 'has no role';
      return reply.code(403).send({ error: 'forbidden', message: `needs role ${need}; ${who.name} ${have}`, role: need });
    }
  });
}
