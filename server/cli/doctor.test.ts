/**
 * `hepflow doctor` against real sockets, a real running hepflow, real SQLite folders and a real
 * PostgreSQL database before and after hepflow made Homer's schema in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import { execFile } from 'node:child_process';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaults, type Config } from '../config.ts';
import { startTestServer } from '../testing/harness.ts';
import { createTestDatabase, noPostgres, pgConfig, type TestDatabase } from '../testing/postgres.ts';
import { formatFindings, postgresFindings, rmemFinding, type Finding } from './doctor-findings.ts';
import { runDoctor } from './doctor.ts';

const BIN = fileURLToPath(new URL('../../bin/hepflow.js', import.meta.url));
const level = (fs: Finding[], check: string) => fs.filter((f) => f.check === check).map((f) => f.level);

describe('doctor findings', () => {
  it('asks for a larger net.core.rmem_max only below what the UDP socket requests', () => {
    expect(rmemFinding(4 << 20, 32 << 20)).toMatchObject({ level: 'warn', fix: expect.stringContaining('sysctl -w net.core.rmem_max=33554432') });
    expect(rmemFinding(32 << 20, 32 << 20).level).toBe('ok');
  });

  it('fails PostgreSQL only when tables are missing and this user cannot make them', () => {
    expect(postgresFindings({ canCreate: false, missingTables: ['hep_proto_1_call'], withoutCurrentPartition: [] }).map((f) => f.level)).toEqual(['fail', 'fail']);
    expect(postgresFindings({ canCreate: true, missingTables: ['hep_proto_1_call'], withoutCurrentPartition: [] }).map((f) => f.level)).toEqual(['ok', 'ok']);
    expect(postgresFindings({ canCreate: true, missingTables: [], withoutCurrentPartition: ['hep_proto_5_default'] }).map((f) => f.level)).toEqual(['ok', 'ok', 'warn']);
  });

  it('prints each fix under its finding and counts the levels last', () => {
    const text = formatFindings([{ check: 'a', level: 'ok', detail: 'fine' }, { check: 'b', level: 'fail', detail: 'bad', fix: 'do this' }]);
    expect(text).toBe('OK   a: fine\nFAIL b: bad\n     fix: do this\n1 ok, 0 warnings, 1 failed\n');
  });
});

describe('hepflow doctor on this machine', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'hepflow-doctor-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports ports taken by another process as failures, with the flag to change them', async () => {
    const tcp = net.createServer();
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    try {
      const httpPort = (tcp.address() as net.AddressInfo).port;
      const hepPort = udp.address().port;
      const config: Config = { ...defaults, httpHost: '127.0.0.1', httpPort, hepHost: '127.0.0.1', hepPort, tcp: false, store: join(dir, 'a.db') };
      const findings = await runDoctor(config);
      expect(findings.find((f) => f.check === 'HTTP port')).toMatchObject({ level: 'fail', detail: `127.0.0.1:${httpPort} is in use by another process`,
        fix: expect.stringContaining('--http-port') });
      expect(level(findings, 'HEP UDP port')).toEqual(['fail']);
      expect(findings.find((f) => f.check === 'store')).toMatchObject({ level: 'ok', detail: expect.stringContaining('will be created') });
      expect(level(findings, 'UDP receive buffer')).toHaveLength(1);
    } finally {
      tcp.close();
      udp.close();
    }
  });

  it('counts the ports of a running hepflow as bound, not taken', async () => {
    const s = await startTestServer();
    try {
      const httpPort = Number(new URL(s.httpUrl).port);
      const config: Config = { ...s.config, httpPort, hepPort: s.hepTcp!.port, udp: false };
      const findings = await runDoctor(config);
      expect(findings.filter((f) => f.check.endsWith('port'))).toEqual([
        { check: 'HTTP port', level: 'ok', detail: `127.0.0.1:${httpPort} is bound by the running hepflow` },
        { check: 'HEP TCP port', level: 'ok', detail: `127.0.0.1:${s.hepTcp!.port} is bound by the running hepflow` },
      ]);
      expect(findings.find((f) => f.check === 'store')).toMatchObject({ level: 'ok', detail: expect.stringContaining('is writable') });
    } finally {
      await s.stop();
    }
  });

  it('as a command, prints the findings and exits 1 when one failed', async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    try {
      const port = (taken.address() as net.AddressInfo).port;
      const r = await new Promise<{ code: number; stdout: string }>((resolve) => execFile(process.execPath,
        [BIN, 'doctor', '--http-port', String(port), '--no-collector', '--store', join(dir, 'cmd.db')],
        (err, stdout) => resolve({ code: err ? Number(err.code) : 0, stdout })));
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`FAIL HTTP port: 127.0.0.1:${port} is in use by another process`);
      expect(r.stdout).toMatch(/\d+ ok, \d+ warnings, 1 failed\n$/);
    } finally {
      taken.close();
    }
  });
});

describe.skipIf(noPostgres)('hepflow doctor on PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => { await db?.drop(); });

  it('sees Homer\'s tables missing before hepflow ran, then present with partitions for now', async () => {
    const config = pgConfig(db.url, { httpHost: '127.0.0.1', httpPort: 0, hepPort: 0, collector: false });
    const before = await runDoctor(config);
    expect(before.find((f) => f.check === 'PostgreSQL')).toMatchObject({ level: 'ok' });
    expect(before.find((f) => f.check === 'PostgreSQL schema')).toMatchObject({ level: 'ok', detail: expect.stringContaining('6 of Homer 7\'s tables are missing') });
    expect(before.filter((f) => f.check === 'clock').at(-1)!.detail).toMatch(/^PostgreSQL's clock is -?\d+ ms from this one$/);

    const s = await startTestServer(pgConfig(db.url, { httpHost: '127.0.0.1', httpPort: 0, hepHost: '127.0.0.1', hepPort: 0 }));
    try {
      const after = await runDoctor(config);
      expect(after.filter((f) => f.check.startsWith('PostgreSQL'))).toEqual([
        { check: 'PostgreSQL', level: 'ok', detail: 'reachable; this user may create tables and partitions' },
        { check: 'PostgreSQL schema', level: 'ok', detail: 'Homer 7\'s tables are present' },
        { check: 'PostgreSQL partitions', level: 'ok', detail: 'every table has a partition for the current time' },
      ]);
    } finally {
      await s.stop();
    }
  });

  it('fails with what to check when PostgreSQL cannot be reached', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const findings = await runDoctor(pgConfig(`postgres://nobody@127.0.0.1:${port}/none`, { httpPort: 0, collector: false }));
    expect(findings.find((f) => f.check === 'PostgreSQL')).toMatchObject({ level: 'fail', fix: expect.stringContaining('pg_hba.conf') });
  });
});
