/**
 * Access to every route over real HTTP on 127.0.0.1 (testing/harness.ts): roles from a trusted
 * proxy's user header, the shared token and basic credentials, API tokens with expiry and
 * revocation, and the open default.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../testing/harness.ts';
import { defaults, type Config } from '../config.ts';
import { openSqliteStore } from '../store/sqlite.ts';
import { Metrics } from '../collector/metrics.ts';
import { buildApp } from './app.ts';
import { routeRoles, type RouteAccess } from './auth.ts';
import { allows, ROLES } from '../access/roles.ts';
import { openSqliteTokens } from '../access/token-sqlite.ts';
import { hashToken, newToken } from '../access/tokens.ts';
import { LiveHub } from '../live/hub.ts';

const PROXY_ACCESS: Partial<Config> = {
  trustedProxies: ['127.0.0.1'],
  accessUsers: { vic: 'viewer', oli: 'operator', ada: 'admin' },
  accessGroups: { 'noc-team': 'operator' },
};
/** A user of each role, as the proxy names them. */
const USER_OF = { viewer: 'vic', operator: 'oli', admin: 'ada' } as const;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** The app's route table, read from an app built (not listening) on a scratch store. */
async function routeTable(): Promise<readonly RouteAccess[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hepflow-routes-'));
  const store = openSqliteStore(join(dir, 'h.db'));
  const live = new LiveHub();
  const app = await buildApp({ store, config: { ...defaults, store: join(dir, 'h.db') }, metrics: new Metrics(), ingest: null, live });
  await app.ready();
  const table = [...routeRoles(app)];
  await app.close();
  live.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return table;
}

async function call(method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const post = method === 'POST' || method === 'PUT' || method === 'PATCH';
  const res = await fetch(server!.httpUrl + path, {
    method, headers: post ? { 'content-type': 'application/octet-stream', ...headers } : headers, body: post ? '' : undefined,
  });
  // Past access, only the status matters: a live stream (Server-Sent Events) never ends by itself.
  if (res.status !== 401 && res.status !== 403) {
    await res.body?.cancel();
    return { status: res.status, body: null };
  }
  return { status: res.status, body: method === 'HEAD' ? null : await res.json() };
}

/** A concrete path for a route pattern: every parameter becomes an id nobody stored. */
const pathOf = (url: string) => url.replace(/:\w+/g, 'no-such-id').replace(/\*/g, 'x');

describe('route roles', () => {
  it('declares viewer for every read, operator for import and never less than the method implies', async () => {
    const table = await routeTable();
    const role = (method: string, url: string) => table.find((r) => r.method === method && r.url === url)?.role;
    expect(role('POST', '/api/v1/import')).toBe('operator');
    for (const url of ['/metrics', '/api/v1/calls', '/api/v1/live', '/api/v1/groups/:id', '/api/v1/messages/:id', '/api/v1/messages/:id/raw',
      '/api/v1/groups/:id/pcap', '/api/v1/groups/:id/text', '/api/v1/config', '/api/v1/stats']) expect(role('GET', url)).toBe('viewer');
    for (const r of table) {
      if (r.method === 'DELETE' || r.method === 'PUT' || r.method === 'PATCH') expect(r.role).toBe('admin');
      if (r.method === 'POST') expect(allows(r.role, 'operator')).toBe(true);
    }
    expect(table.some((r) => r.url === '/healthz')).toBe(false);
  });

  it('lets each role through exactly the routes its role allows, and answers 403 naming the missing role otherwise', async () => {
    const table = await routeTable();
    server = await startTestServer(PROXY_ACCESS);
    for (const r of table) {
      const path = pathOf(r.url);
      expect((await call(r.method, path)).status, `${r.method} ${path} anonymous`).toBe(401);
      for (const role of ROLES) {
        const res = await call(r.method, path, { 'x-forwarded-user': USER_OF[role] });
        if (allows(role, r.role)) {
          expect([401, 403], `${r.method} ${path} as ${role}`).not.toContain(res.status);
        } else {
          expect(res.status, `${r.method} ${path} as ${role}`).toBe(403);
          expect(res.body).toMatchObject({ error: 'forbidden', role: r.role });
          expect(res.body.message).toContain(`needs role ${r.role}`);
        }
      }
    }
    // /healthz stays open for load balancers; paths without a route need viewer like any read.
    expect((await call('GET', '/healthz')).status).toBe(200);
    expect((await call('GET', '/api/v1/nothing-here')).status).toBe(401);
    expect((await call('GET', '/api/v1/nothing-here', { 'x-forwarded-user': 'vic' })).status).toBe(404);
  });
});

describe('admin routes', () => {
  /** The app as built, plus a route declared admin and a DELETE without a declaration: no such route exists yet. */
  it('refuses an operator on a route that needs admin, and takes DELETE as admin without a declaration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hepflow-admin-'));
    const store = openSqliteStore(join(dir, 'h.db'));
    const app = await buildApp({ store, config: { ...defaults, ...PROXY_ACCESS, store: join(dir, 'h.db') } as Config, metrics: new Metrics(), ingest: null });
    app.get('/api/v1/settings', { config: { role: 'admin' } }, async () => ({ ok: true }));
    app.delete('/api/v1/groups/:id', async () => ({ ok: true }));
    try {
      for (const [method, url] of [['GET', '/api/v1/settings'], ['DELETE', '/api/v1/groups/g1']] as const) {
        const denied = await app.inject({ method, url, headers: { 'x-forwarded-user': 'oli' } });
        expect([denied.statusCode, denied.json()]).toEqual([403, { error: 'forbidden', role: 'admin', message: 'needs role admin; oli has role operator' }]);
        expect((await app.inject({ method, url, headers: { 'x-forwarded-user': 'ada' } })).statusCode).toBe(200);
      }
      expect(routeRoles(app).filter((r) => r.role === 'admin').map((r) => `${r.method} ${r.url}`).sort())
        .toEqual(['DELETE /api/v1/groups/:id', 'GET /api/v1/settings', 'HEAD /api/v1/settings']);
    } finally {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops the app at start on a role it does not know or an address it cannot read', async () => {
    const store = openSqliteStore(':memory:');
    const build = (o: Partial<Config>) => buildApp({ store, config: { ...defaults, store: ':memory:', ...o }, metrics: new Metrics(), ingest: null });
    await expect(build({ accessGroups: { sre: 'root' } })).rejects.toThrow('accessGroups: "sre" has role "root"; roles are viewer, operator, admin');
    await expect(build({ trustedProxies: ['proxy.local'] })).rejects.toThrow('trustedProxies: "proxy.local" is not an IP address or CIDR block');
    await expect(build({ trustedProxies: ['10.0.0.0/33'] })).rejects.toThrow('bad prefix length');
    await store.close();
  });
});

describe('reverse proxy login', () => {
  it('ignores the user header from an address that is not a configured proxy', async () => {
    server = await startTestServer({ ...PROXY_ACCESS, trustedProxies: ['10.255.0.1', '192.0.2.0/24'] });
    expect((await call('GET', '/api/v1/calls', { 'x-forwarded-user': 'ada' })).status).toBe(401);
  });

  it('believes the header from a configured block, and gives the strongest role of the user and their groups', async () => {
    server = await startTestServer({ ...PROXY_ACCESS, trustedProxies: ['127.0.0.0/8'] });
    expect((await call('GET', '/api/v1/calls', { 'x-forwarded-user': 'vic' })).status).toBe(200);
    const asGroup = { 'x-forwarded-user': 'nora@example.com', 'x-forwarded-groups': 'staff, noc-team' };
    expect((await call('POST', '/api/v1/import', asGroup)).status).toBe(400); // past access: an empty upload
    const strongest = await call('POST', '/api/v1/import', { 'x-forwarded-user': 'vic', 'x-forwarded-groups': 'noc-team' });
    expect(strongest.status).toBe(400);
  });

  it('takes the proxy\'s user over the Authorization it passes on (oauth2-proxy sends basic credentials or the ID token)', async () => {
    server = await startTestServer(PROXY_ACCESS);
    for (const authorization of ['Basic ' + Buffer.from('oli:').toString('base64'), 'Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig']) {
      expect((await call('POST', '/api/v1/import', { 'x-forwarded-user': 'oli', authorization })).status).toBe(400);
    }
    // Without the proxy's user header, Authorization is checked as hepflow's own.
    expect((await call('GET', '/api/v1/calls', { authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig' })).status).toBe(401);
  });

  it('answers 403 to a logged-in user with no role, naming the role needed', async () => {
    server = await startTestServer(PROXY_ACCESS);
    const res = await call('GET', '/api/v1/calls', { 'x-forwarded-user': 'mallory', 'x-forwarded-groups': 'staff' });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: 'forbidden', role: 'viewer' });
    expect(res.body.message).toBe('needs role viewer; mallory has no role');
  });

  it('reads the header names from the config', async () => {
    server = await startTestServer({ ...PROXY_ACCESS, proxyUserHeader: 'X-Auth-Request-User', proxyGroupsHeader: 'X-Auth-Request-Groups' });
    expect((await call('GET', '/api/v1/calls', { 'x-forwarded-user': 'vic' })).status).toBe(401);
    expect((await call('POST', '/api/v1/import', { 'x-auth-request-user': 'x', 'x-auth-request-groups': 'noc-team' })).status).toBe(400);
  });
});

describe('shared credentials and API tokens', () => {
  it('stays open with nothing configured, as a single-user default', async () => {
    server = await startTestServer();
    expect((await call('GET', '/api/v1/calls')).status).toBe(200);
    expect((await call('POST', '/api/v1/import')).status).toBe(400);
  });

  it('treats httpToken and httpBasic as admin, by header or ?token=, and refuses wrong ones with 401', async () => {
    server = await startTestServer({ httpToken: 's3cret', httpBasic: 'ops:pa55' });
    expect((await call('POST', '/api/v1/import', { authorization: 'Bearer s3cret' })).status).toBe(400);
    expect((await call('GET', '/api/v1/calls?token=s3cret')).status).toBe(200);
    const basic = 'Basic ' + Buffer.from('ops:pa55').toString('base64');
    expect((await call('POST', '/api/v1/import', { authorization: basic })).status).toBe(400);
    const wrong = await call('GET', '/api/v1/calls', { authorization: 'Bearer s3cre' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe('unknown token');
    expect((await call('GET', '/api/v1/calls', { authorization: 'Basic ' + Buffer.from('ops:x').toString('base64') })).status).toBe(401);
  });

  it('gives an API token its role until it expires or is revoked, and closes the app once one was created', async () => {
    server = await startTestServer();
    const tokens = openSqliteTokens(server.config.store);
    const now = Date.now();
    const viewer = newToken();
    const expired = newToken();
    const operator = newToken();
    await tokens.create({ name: 'ci', role: 'operator', createdAt: now, expiresAt: now + 3_600_000 }, hashToken(operator));
    await tokens.create({ name: 'dash', role: 'viewer', createdAt: now, expiresAt: now + 3_600_000 }, hashToken(viewer));
    await tokens.create({ name: 'old-ci', role: 'admin', createdAt: now - 7_200_000, expiresAt: now - 1 }, hashToken(expired));
    try {
      expect((await call('GET', '/api/v1/calls')).status).toBe(401); // tokens exist: no more anonymous access
      expect((await call('GET', '/api/v1/calls', { authorization: `Bearer ${viewer}` })).status).toBe(200);
      expect((await call('GET', `/api/v1/calls?token=${viewer}`)).status).toBe(200);
      const denied = await call('POST', '/api/v1/import', { authorization: `Bearer ${viewer}` });
      expect(denied.status).toBe(403);
      expect(denied.body.message).toBe('needs role operator; dash has role viewer');
      expect((await call('POST', '/api/v1/import', { authorization: `Bearer ${operator}` })).status).toBe(400);
      const late = await call('GET', '/api/v1/calls', { authorization: `Bearer ${expired}` });
      expect([late.status, late.body.message]).toEqual([401, 'token "old-ci" is expired']);

      expect(await tokens.revoke('dash', Date.now())).toBe(true);
      const revoked = await call('GET', '/api/v1/calls', { authorization: `Bearer ${viewer}` });
      expect([revoked.status, revoked.body.message]).toEqual([401, 'token "dash" is revoked']);
      expect(await tokens.revoke('ci', Date.now())).toBe(true);
      // No valid token left: still closed, so that revoking the last token does not open the app to everyone.
      expect((await call('GET', '/api/v1/calls')).status).toBe(401);
    } finally {
      await tokens.close();
    }
  });
});
