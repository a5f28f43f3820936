/**
 * The package as a user gets it: `npm pack`, `npm install -g` into a temporary prefix (no
 * checkout beside it), then the installed `hepflow` answers --version, serves the built app and
 * /healthz, and stores HEP through its compiled worker threads (UDP receiver, SQLite writer).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeHep3 } from '../hep/encode.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../hep/chunks.ts';
import { waitFor } from '../testing/harness.ts';
import { startServe } from '../testing/cli-process.ts';
import { packAndInstall, ROOT, run } from '../testing/package-install.ts';

const VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

const npmMissing = (await run('npm', ['--version'])).code !== 0;
const hasSystemdAnalyze = (await run('systemd-analyze', ['--version'])).code === 0;

describe.skipIf(npmMissing)('the npm package (skipped: no npm on the PATH)', () => {
  let dir: string;
  let prefix: string;
  let installed: string;
  let packed: string[];
  let installLog: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hepflow-package-'));
    ({ prefix, installed, packed, installLog } = await packAndInstall(dir));
  }, 300_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('packs the compiled server and the built app, not the TypeScript sources', () => {
    expect(packed).toContain('bin/hepflow.js');
    expect(packed).toContain('dist/server/cli/main.js');
    expect(packed).toContain('dist/server/store/sqlite-writer.js');
    expect(packed).toContain('dist/web/index.html');
    expect(packed.filter((p) => p.endsWith('.ts'))).toEqual([]);
    expect(packed.filter((p) => p.startsWith('server/') || p.includes('.test.'))).toEqual([]);
  });

  it('installs without engine warnings and without a TypeScript compiler or loader', () => {
    expect(installLog).not.toMatch(/EBADENGINE/);
    const deps = readdirSync(join(installed, 'node_modules'));
    expect(deps).toContain('fastify');
    for (const tool of ['tsx', 'typescript', 'esbuild', 'vite']) expect(deps).not.toContain(tool);
  });

  it('answers --version with the package version', async () => {
    const r = await run(join(prefix, 'bin', 'hepflow'), ['--version'], dir);
    expect(r).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it('runs doctor from the compiled code', async () => {
    const r = await run(join(prefix, 'bin', 'hepflow'), ['doctor', '--no-collector', '--http-port', '0', '--store', join(dir, 'doctor.db')], dir);
    expect(r.stdout).toContain(`OK   store: SQLite ${join(dir, 'doctor.db')} will be created`);
    expect(r.stdout).toMatch(/\d+ ok, \d+ warnings, 0 failed\n$/);
    expect(r.code).toBe(0);
  });

  it.skipIf(!hasSystemdAnalyze)('the systemd unit verifies with the installed command (skipped without systemd-analyze)', async () => {
    // The unit names /usr/local/bin/hepflow; here the command is in the temporary prefix.
    const unit = join(dir, 'hepflow.service');
    writeFileSync(unit, readFileSync(join(ROOT, 'docs/systemd/hepflow.service'), 'utf8').replaceAll('/usr/local/bin/hepflow', join(prefix, 'bin', 'hepflow')));
    const verify = await run('systemd-analyze', ['verify', '--man=no', unit], dir);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    // Exposure 0 (locked down) to 10 (none of systemd's sandboxing); the unit scores under 2.
    const security = await run('systemd-analyze', ['security', '--offline=yes', '--threshold=20', unit], dir);
    expect(security.stdout).toMatch(/Overall exposure level for hepflow\.service: 1\.\d/);
    expect(security.code).toBe(0);
  });

  it('serves /healthz and the app, and stores HEP received over UDP', { timeout: 60_000 }, async () => {
    // Run from a folder without a checkout: the app must come from the package's own dist/web.
    const p = await startServe(join(dir, 'smoke.db'), ['--no-tcp'], {}, [join(prefix, 'bin', 'hepflow')], dir);
    try {
      const health = await fetch(`${p.http}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      const page = await fetch(`${p.http}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<div id="root">/);

      const sip = ['OPTIONS sip:probe@10.0.0.2 SIP/2.0', 'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-pkg',
        'From: <sip:mon@10.0.0.1>;tag=1', 'To: <sip:probe@10.0.0.2>', 'Call-ID: packaged-smoke', 'CSeq: 1 OPTIONS',
        'Content-Length: 0', '', ''].join('\r\n');
      const packet = encodeHep3({ ipProtocol: IP_PROTOCOL.udp, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060,
        dstPort: 5060, tsSec: Math.floor(Date.now() / 1000), tsUsec: 0, protoType: PROTO_TYPE.sip, captureId: 7, payload: sip });
      const socket = dgram.createSocket('udp4');
      try {
        await waitFor(async () => {
          await new Promise<void>((resolve, reject) => socket.send(packet, p.hepPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
          const r = await fetch(`${p.http}/api/v1/groups/packaged-smoke`);
          return r.status === 200 && ((await r.json()) as { messages: unknown[] }).messages.length > 0;
        }, 'the message stored and served', 20_000);
      } finally {
        socket.close();
      }
      expect(existsSync(join(dir, 'smoke.db'))).toBe(true);
    } finally {
      p.child.kill('SIGTERM');
      expect((await p.exited).code).toBe(0);
    }
  });
});
