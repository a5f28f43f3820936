/**
 * The deployment files read as their tools read them: the Dockerfile's instructions, the compose
 * file (YAML, through Python's yaml when it is installed) and the systemd unit. No container engine
 * runs here, so these check what would break a build or a start: a setting name that does not
 * exist, a root user, a health check on the wrong path, a store URL that names no service.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaults, envName, type Config } from '../config.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  return text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
    .map((l) => { const [op, ...rest] = l.split(/\s+/); return { op: op.toUpperCase(), args: rest.join(' ') }; });
}

/** Every HEPFLOW_* variable a file sets must be one the config reads (or HEPFLOW_CONFIG). */
function unknownSettings(text: string): string[] {
  const known = new Set([...Object.keys(defaults).map((k) => envName(k as keyof Config)), 'HEPFLOW_CONFIG']);
  return [...new Set(text.match(/HEPFLOW_[A-Z_]+/g) ?? [])].filter((v) => !known.has(v));
}

describe('docs/docker/Dockerfile', () => {
  const text = read('docs/docker/Dockerfile');
  const all = instructions(text);
  const finalStage = all.slice(all.map((i) => i.op).lastIndexOf('FROM'));
  const at = (op: string) => finalStage.filter((i) => i.op === op);

  it('builds from pinned base images and installs the packed package', () => {
    for (const from of all.filter((i) => i.op === 'FROM')) expect(from.args).toMatch(/^node:\$\{NODE_VERSION\}-bookworm-slim\b/);
    expect(all.find((i) => i.op === 'ARG')?.args).toMatch(/^NODE_VERSION=\d+$/);
    expect(all.some((i) => i.op === 'RUN' && /npm pack/.test(i.args) && /npm install -g --prefix \/opt\/hepflow/.test(i.args))).toBe(true);
    for (const copy of all.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from') && !i.args.startsWith('. '))) {
      for (const src of copy.args.split(/\s+/).slice(0, -1)) expect(existsSync(join(ROOT, src)), src).toBe(true);
    }
  });

  it('runs as a non-root user, listens on all addresses, and checks /healthz on the configured port', () => {
    const users = at('USER');
    expect(users.length).toBe(1);
    expect(users[0].args).not.toMatch(/^(root|0)$/);
    const index = (op: string) => finalStage.findIndex((i) => i.op === op);
    expect(index('USER')).toBeLessThan(index('ENTRYPOINT'));
    expect(at('ENV').map((e) => e.args).join(' ')).toMatch(/HEPFLOW_HTTP_HOST=0\.0\.0\.0/);
    expect(at('HEALTHCHECK')[0].args).toMatch(/\/healthz/);
    expect(at('HEALTHCHECK')[0].args).toContain(`|| ${defaults.httpPort})`);
    expect(at('EXPOSE')[0].args.split(/\s+/).sort()).toEqual([`${defaults.httpPort}/tcp`, `${defaults.hepPort}/tcp`, `${defaults.hepPort}/udp`].sort());
    expect(at('ENTRYPOINT')[0].args).toBe('["hepflow"]');
    expect(unknownSettings(text)).toEqual([]);
  });

  it('leaves the build output and installed modules out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const p of ['node_modules', 'dist', 'data', '.git']) expect(ignored).toContain(p);
  });
});

const yamlToJson = spawnSync('python3', ['-c', 'import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'],
  { input: read('docs/docker/compose.yaml'), encoding: 'utf8' });

describe.skipIf(yamlToJson.status !== 0)('docs/docker/compose.yaml (skipped: needs python3 with yaml)', () => {
  const compose = yamlToJson.status === 0 ? JSON.parse(yamlToJson.stdout) : {};

  it('runs hepflow on the PostgreSQL service, in its homer_data database, once it is healthy', () => {
    const { hepflow, db } = compose.services;
    const url = new URL(hepflow.environment.HEPFLOW_STORE);
    expect(url.protocol).toBe('postgres:');
    expect(url.hostname).toBe('db');
    expect(decodeURIComponent(url.username)).toBe(db.environment.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(db.environment.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${db.environment.POSTGRES_DB}`);
    expect(db.environment.POSTGRES_DB).toBe('homer_data');
    expect(hepflow.depends_on.db.condition).toBe('service_healthy');
    expect(db.healthcheck.test.join(' ')).toMatch(/pg_isready/);
    expect(existsSync(join(ROOT, 'docs/docker', hepflow.build.context, hepflow.build.dockerfile))).toBe(true);
    expect(hepflow.ports).toEqual(expect.arrayContaining([`${defaults.hepPort}:${defaults.hepPort}/udp`, `${defaults.hepPort}:${defaults.hepPort}/tcp`]));
    expect(unknownSettings(read('docs/docker/compose.yaml'))).toEqual([]);
  });
});

describe('docs/systemd/hepflow.service', () => {
  const text = read('docs/systemd/hepflow.service');
  const settings = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (m) settings.set(m[1], [...(settings.get(m[1]) ?? []), m[2]]);
  }
  const one = (k: string) => settings.get(k)?.at(-1);

  it('runs as its own user with a state directory, restarts on failure and reloads with SIGHUP', () => {
    expect(one('DynamicUser')).toBe('yes');
    expect(one('User')).toBe('hepflow');
    expect(one('StateDirectory')).toBe('hepflow');
    expect(one('Restart')).toBe('on-failure');
    expect(one('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
    expect(one('ExecStart')).toMatch(/\/hepflow serve$/);
    expect(settings.get('Environment')).toContain('HEPFLOW_STORE=/var/lib/hepflow/hepflow.db');
    expect(unknownSettings(text)).toEqual([]);
  });

  it('is hardened: no new privileges, read-only system, no capabilities', () => {
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('CapabilityBoundingSet')).toBe('');
    expect(one('RestrictAddressFamilies')).toBe('AF_INET AF_INET6 AF_UNIX');
    // V8 writes machine code at run time: this option would kill it at start.
    expect(settings.has('MemoryDenyWriteExecute')).toBe(false);
  });
});
