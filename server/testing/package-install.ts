/**
 * Test and bench support: the npm package as a user gets it. Packs the checkout (after building
 * what is stale), installs the tarball globally into a prefix under `dir`, and returns where the
 * `hepflow` command landed. No checkout is beside the installed copy.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Ran { code: number; stdout: string; stderr: string }

export function run(cmd: string, args: string[], cwd = ROOT): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

export interface InstalledPackage {
  prefix: string;
  /** <prefix>/lib/node_modules/hepflow */
  installed: string;
  /** <prefix>/bin/hepflow, the command npm linked */
  bin: string;
  /** Paths inside the tarball. */
  packed: string[];
  /** What `npm install` printed (warnings go to stderr). */
  installLog: string;
}

export async function packAndInstall(dir: string): Promise<InstalledPackage> {
  const prefix = join(dir, 'prefix');
  // The web app and the compiled server, each only when older than its sources.
  const build = await run(process.execPath, ['scripts/build.mjs']);
  if (build.code !== 0) throw new Error(`build failed: ${build.stderr}`);
  // --ignore-scripts: prepack would build again, what the line above just did.
  const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir]);
  if (pack.code !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  // --ignore-scripts skips better-sqlite3's native build (minutes of compiling SQLite); the
  // addon the checkout built for this Node is copied in when the versions match, else rebuilt.
  const install = await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--ignore-scripts',
    '--no-audit', '--no-fund', join(dir, info.filename)], dir);
  if (install.code !== 0) throw new Error(`npm install failed: ${install.stderr}`);
  const installed = join(prefix, 'lib', 'node_modules', 'hepflow');
  const addon = 'node_modules/better-sqlite3';
  const version = (p: string) => JSON.parse(readFileSync(join(p, 'package.json'), 'utf8')).version;
  if (version(join(ROOT, addon)) === version(join(installed, addon))) {
    mkdirSync(join(installed, addon, 'build/Release'), { recursive: true });
    copyFileSync(join(ROOT, addon, 'build/Release/better_sqlite3.node'), join(installed, addon, 'build/Release/better_sqlite3.node'));
  } else {
    const rebuild = await run('npm', ['rebuild', 'better-sqlite3'], installed);
    if (rebuild.code !== 0) throw new Error(`npm rebuild better-sqlite3 failed: ${rebuild.stderr}`);
  }
  return { prefix, installed, bin: join(prefix, 'bin', 'hepflow'), packed: info.files.map((f) => f.path), installLog: install.stdout + install.stderr };
}
