#!/usr/bin/env node
// Builds what the package runs: the web app (vite → dist/web) and the server compiled to plain
// JavaScript (tsc → dist/server), each only when older than its sources; --force builds both
// (prepack). `npm start` runs this first, so `npm install && npm start` stays the whole set-up.
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { newestMtime, stampMtime, SERVER_STAMP } from './freshness.mjs';

const force = process.argv.includes('--force');

/** Progress and the tools' output go to stderr: `npm pack --json` prints its JSON on stdout after this. */
function step(what, cmd, args) {
  console.error(`building ${what}...`);
  const r = spawnSync(cmd, args, { stdio: ['inherit', process.stderr, 'inherit'] });
  if (r.status !== 0) {
    console.error(`building ${what} failed`);
    process.exit(r.status ?? 1);
  }
}

const web = 'dist/web/index.html';
const webSources = Math.max(newestMtime('web'), newestMtime('public'), newestMtime('vite.config.ts'));
if (force || stampMtime(web) < webSources) step('the web app (dist/web)', 'npx', ['vite', 'build', '--logLevel', 'warn']);

const serverSources = Math.max(newestMtime('server'), newestMtime('tsconfig.json'), newestMtime('tsconfig.build.json'));
if (force || stampMtime(SERVER_STAMP) < serverSources) {
  // From scratch, so that a source deleted since the last build leaves no module behind; built
  // aside and swapped in, so that a hepflow already running from dist/server (a test, a local
  // server) finds every module it loads later, its worker threads' too.
  const aside = 'dist/.server-build';
  const started = Date.now();
  rmSync(aside, { recursive: true, force: true });
  step('the server (dist/server)', 'npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', aside]);
  if (!existsSync(`${aside}/server/cli/main.js`)) {
    console.error(`tsc wrote no ${aside}/server/cli/main.js`);
    process.exit(1);
  }
  // Stamped with the time the build started: a source saved while tsc ran makes the build stale.
  writeFileSync(`${aside}/server/.built`, `${new Date(started).toISOString()}\n`);
  utimesSync(`${aside}/server/.built`, started / 1000, started / 1000);
  rmSync('dist/.server-old', { recursive: true, force: true });
  if (existsSync('dist/server')) renameSync('dist/server', 'dist/.server-old');
  renameSync(`${aside}/server`, 'dist/server');
  rmSync(aside, { recursive: true, force: true });
  rmSync('dist/.server-old', { recursive: true, force: true });
}
