/** `hepflow token create|list|revoke` as real processes, against the store a real server reads. */
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '../testing/harness.ts';
import { createTestDatabase, noPostgres, type TestDatabase } from '../testing/postgres.ts';

const BIN = fileURLToPath(new URL('../../bin/hepflow.js', import.meta.url));
const run = promisify(execFile);

/** Runs `hepflow token ...`; resolves with stdout, stderr and the exit code. */
async function hepflow(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'token', ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let server: TestServer | undefined;
let dir: string | undefined;
let db: TestDatabase | undefined;
afterEach(async () => {
  await server?.stop();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  server = undefined;
  db = undefined;
  dir = undefined;
});

const get = (path: string, token: string) => fetch(server!.httpUrl + path, { headers: { authorization: `Bearer ${token}` } });

/** create → the server takes the token with its role → list → revoke → the server refuses it. */
async function lifecycle(store: string): Promise<void> {
  const created = await hepflow('create', '--store', store, '--role', 'viewer', '--expires', '30d', '--name', 'ci');
  expect(created.code).toBe(0);
  const token = created.stdout.trim();
  expect(token).toMatch(/^hf_[A-Za-z0-9_-]{43}$/);
  expect(created.stderr).toContain('token "ci" (viewer) valid until');

  server = await startTestServer({ store });
  expect((await get('/api/v1/calls', token)).status).toBe(200);
  const denied = await fetch(server.httpUrl + '/api/v1/import', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  expect(denied.status).toBe(403);
  expect((await hepflow('create', '--store', store, '--role', 'admin', '--expires', '1d', '--name', 'ci')).stderr)
    .toContain('a token named "ci" exists; revoke it first');

  const listed = await hepflow('list', '--store', store);
  expect(listed.stdout.trim().split('\t').filter((_, i) => i !== 2 && i !== 3)).toEqual(['ci', 'viewer', 'valid']);
  expect(listed.stdout).not.toContain(token); // only the hash is stored

  expect((await hepflow('revoke', 'ci', '--store', store)).code).toBe(0);
  const refused = await get('/api/v1/calls', token);
  expect([refused.status, await refused.json()]).toEqual([401, { error: 'unauthorized', message: 'token "ci" is revoked' }]);
  expect((await hepflow('list', '--store', store)).stdout).toMatch(/^ci\tviewer\t.*\trevoked \d{4}-/);
  const again = await hepflow('revoke', 'ci', '--store', store);
  expect([again.code, again.stderr.trim()]).toEqual([1, 'hepflow: no valid token named "ci"']);
}

describe('hepflow token', () => {
  it('creates a token shown once, lists it and revokes it, in an SQLite store', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hepflow-token-'));
    await lifecycle(join(dir, 'hepflow.db'));
  });

  it.skipIf(noPostgres)('does the same in a PostgreSQL store', async () => {
    db = await createTestDatabase();
    await lifecycle(db.url);
  });

  it('refuses a role, an expiry or a name it does not know', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hepflow-token-'));
    const store = join(dir, 'hepflow.db');
    expect((await hepflow('create', '--store', store, '--role', 'root', '--expires', '30d', '--name', 'x')).stderr.trim())
      .toBe('hepflow: --role must be one of viewer, operator, admin');
    expect((await hepflow('create', '--store', store, '--role', 'viewer', '--expires', '30', '--name', 'x')).stderr.trim())
      .toBe('hepflow: expiry must be a number and a unit (m, h, d, w), e.g. 30d; got "30"');
    expect((await hepflow('create', '--store', store, '--role', 'viewer', '--expires', '1d', '--name', 'a b')).code).toBe(1);
  });
});
