/**
 * `npm run bench -- startup`: how fast the installed package starts, against the checkout run
 * through tsx. Packs and installs the package into a temporary prefix (as the package test does),
 * then prints the median of several runs of `hepflow --version`, `hepflow --help`, and
 * `hepflow serve` from spawn to its first 200 on /healthz.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packAndInstall, ROOT, run } from '../../server/testing/package-install.ts';

const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(cmd: string[], cwd: string): Promise<number> {
  const t0 = performance.now();
  const r = await run(cmd[0], cmd.slice(1), cwd);
  if (r.code !== 0) throw new Error(`${cmd.join(' ')}: ${r.stderr}`);
  return performance.now() - t0;
}

/** Spawn to the first 200 on /healthz, ms; then SIGTERM and wait for the exit. */
async function toHealthy(cmd: string[], cwd: string, n: number): Promise<number> {
  const port = 18_500 + n;
  const t0 = performance.now();
  const child = spawn(cmd[0], [...cmd.slice(1), 'serve', '--http-port', String(port), '--hep-host', '127.0.0.1', '--hep-port', String(port + 100),
    '--store', join(dir, `startup-${n}.db`), '--log-level', 'silent'], { cwd, stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return performance.now() - t0;
      } catch { /* not listening yet */ }
      if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'hepflow-bench-startup-'));
try {
  const pkg = await packAndInstall(dir);
  // Each from its own folder: the installed one away from any checkout, tsx found in the checkout's node_modules.
  const variants: [string, string[], string][] = [
    ['installed package (compiled)', [pkg.bin], dir],
    ['checkout through tsx', [process.execPath, '--import', 'tsx', join(ROOT, 'server/cli/main.ts')], ROOT],
  ];
  let n = 0;
  for (const [name, cmd, cwd] of variants) {
    const version = [], help = [], healthy = [];
    for (let i = 0; i < RUNS; i++) {
      if (name.startsWith('installed')) version.push(await timed([...cmd, '--version'], cwd));
      help.push(await timed([...cmd, '--help'], cwd));
      healthy.push(await toHealthy(cmd, cwd, n++));
    }
    const ms = (x: number[]) => `${Math.round(median(x))} ms`;
    console.log(`${name}: --version ${version.length ? ms(version) : 'n/a'}, --help ${ms(help)}, serve to /healthz ${ms(healthy)} (median of ${RUNS})`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
