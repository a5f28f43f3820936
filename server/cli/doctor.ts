/**
 * `hepflow doctor`: checks a deployment with the same configuration `serve` would use (flags,
 * environment, config file): ports, store, PostgreSQL schema and partitions, clock, UDP receive
 * buffer. Prints each finding with what to do about it; exits 1 when something would stop `serve`.
 */
import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { accessSync, constants as fsConstants, existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../config.ts';
import { isPostgresUrl } from '../store/open.ts';
import { addConfigOptions, configFrom } from './context.ts';
import { clockFindings, formatFindings, portFinding, postgresFindings, rmemFinding, type Finding, type PortProbe } from './doctor-findings.ts';

export function registerDoctor(program: Command): void {
  const cmd = program.command('doctor')
    .description('check a deployment: ports, store, PostgreSQL schema and partitions, clock, UDP receive buffer');
  addConfigOptions(cmd);
  cmd.action(async () => {
    const findings = await runDoctor(configFrom(cmd));
    process.stdout.write(formatFindings(findings));
    process.exitCode = findings.some((f) => f.level === 'fail') ? 1 : 0;
  });
}

export async function runDoctor(config: Config): Promise<Finding[]> {
  const out: Finding[] = [];
  const running = await hepflowAnswers(config);
  const ep = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
  out.push(portFinding('HTTP port', ep(config.httpHost, config.httpPort), '--http-port', await probeTcp(config.httpHost, config.httpPort, running)));
  if (config.collector && config.udp) {
    out.push(portFinding('HEP UDP port', ep(config.hepHost, config.hepPort), '--hep-port', await probeUdp(config.hepHost, config.hepPort, running)));
  }
  if (config.collector && config.tcp) {
    out.push(portFinding('HEP TCP port', ep(config.hepHost, config.hepPort), '--hep-port', await probeTcp(config.hepHost, config.hepPort, running)));
  }
  let skewMs: number | null = null;
  if (isPostgresUrl(config.store)) {
    const pg = await probePostgres(config);
    out.push(...pg.findings);
    skewMs = pg.skewMs;
  } else {
    out.push(sqliteFinding(config.store));
  }
  out.push(...clockFindings(ntpSynchronized(), skewMs));
  if (config.collector && config.udp) out.push(rmemFinding(readRmemMax()));
  return out;
}

/** Whether a hepflow answers /healthz on the configured HTTP address: its ports then count as bound, not taken. */
async function hepflowAnswers(config: Config): Promise<boolean> {
  if (config.httpPort === 0) return false;
  const host = config.httpHost === '0.0.0.0' ? '127.0.0.1' : config.httpHost === '::' ? '::1' : config.httpHost;
  try {
    const r = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${config.httpPort}/healthz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return r.ok && ((await r.json()) as { status?: string }).status === 'ok';
  } catch {
    return false;
  }
}

/** How long a probe waits for a peer that does not answer, ms. */
const PROBE_TIMEOUT_MS = 3000;

function probeTcp(host: string, port: number, hepflow: boolean): Promise<PortProbe> {
  if (port === 0) return Promise.resolve({ state: 'free' });
  return new Promise((resolveProbe) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolveProbe(errnoProbe(err, hepflow)));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolveProbe({ state: 'free' })));
  });
}

function probeUdp(host: string, port: number, hepflow: boolean): Promise<PortProbe> {
  if (port === 0) return Promise.resolve({ state: 'free' });
  return new Promise((resolveProbe) => {
    const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    socket.once('error', (err: NodeJS.ErrnoException) => {
      socket.close();
      resolveProbe(errnoProbe(err, hepflow));
    });
    socket.bind({ address: host, port, exclusive: true }, () => socket.close(() => resolveProbe({ state: 'free' })));
  });
}

function errnoProbe(err: NodeJS.ErrnoException, hepflow: boolean): PortProbe {
  if (err.code === 'EADDRINUSE') return { state: 'in-use', hepflow };
  if (err.code === 'EACCES') return { state: 'denied' };
  return { state: 'error', message: err.message };
}

/** The SQLite file, or the folder it will be made in, must be writable by this user (WAL needs the folder too). */
function sqliteFinding(store: string): Finding {
  const path = resolve(store);
  const check = 'store';
  let dir = dirname(path);
  while (!existsSync(dir)) dir = dirname(dir);
  try {
    accessSync(dir, fsConstants.W_OK);
    if (existsSync(path)) accessSync(path, fsConstants.R_OK | fsConstants.W_OK);
  } catch {
    return { check, level: 'fail', detail: `SQLite ${path}: ${dir === dirname(path) ? '' : `${dir} (the nearest existing folder) `}is not writable by this user`,
      fix: `chown the folder to the user hepflow runs as, or point --store elsewhere (the systemd unit uses StateDirectory=hepflow)` };
  }
  return { check, level: 'ok', detail: existsSync(path) ? `SQLite ${path} is writable` : `SQLite ${path} will be created (${dir} is writable)` };
}

async function probePostgres(config: Config): Promise<{ findings: Finding[]; skewMs: number | null }> {
  const { default: pg } = await import('pg');
  const { HOMER_PROFILES, partitionName, partitionStart, partitionStepMicros, tableName } = await import('../store/homer/tables.ts');
  const client = new pg.Client({ connectionString: config.store, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  const where = config.store.replace(/\/\/[^@/]*@/, '//');
  try {
    await client.connect();
  } catch (err) {
    return { skewMs: null, findings: [{ check: 'PostgreSQL', level: 'fail', detail: `cannot connect to ${where}: ${(err as Error).message}`,
      fix: 'check the URL (user, host, port, database), that PostgreSQL listens there, and pg_hba.conf' }] };
  }
  try {
    const before = Date.now();
    const { rows: [r] } = await client.query<{ now: Date; can_create: boolean }>(
      "SELECT now() AS now, has_database_privilege(current_user, current_database(), 'CREATE') AND has_schema_privilege(current_user, 'public', 'CREATE') AS can_create");
    const skewMs = r.now.getTime() - (before + Date.now()) / 2;
    const step = partitionStepMicros(config.pgPartitionStep);
    const start = partitionStart(Date.now() * 1000, step);
    const missingTables: string[] = [];
    const withoutCurrentPartition: string[] = [];
    for (const p of HOMER_PROFILES) {
      const { rows: [t] } = await client.query<{ parent: string | null; current: string | null }>(
        'SELECT to_regclass($1)::text AS parent, to_regclass($2)::text AS current', [tableName(p), partitionName(p, start)]);
      if (!t.parent) missingTables.push(tableName(p));
      else if (!t.current) withoutCurrentPartition.push(tableName(p));
    }
    return { skewMs, findings: postgresFindings({ canCreate: r.can_create, missingTables, withoutCurrentPartition }) };
  } finally {
    await client.end();
  }
}

/** timedatectl's NTPSynchronized, or null where there is no timedatectl (containers, no systemd). */
function ntpSynchronized(): boolean | null {
  const r = spawnSync('timedatectl', ['show', '--property=NTPSynchronized', '--value'], { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS });
  if (r.status !== 0) return null;
  const v = r.stdout.trim();
  return v === 'yes' ? true : v === 'no' ? false : null;
}

function readRmemMax(): number | null {
  try {
    return Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8').trim());
  } catch {
    return null;
  }
}
