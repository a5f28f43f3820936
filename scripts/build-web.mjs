#!/usr/bin/env node
// Before `npm start`: build the web app when dist/web is missing or older than its sources,
// so that `npm install && npm start` is all a newcomer runs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const out = 'dist/web/index.html';
const sources = Math.max(newest('web'), existsSync('public') ? newest('public') : 0, statSync('vite.config.ts').mtimeMs);
if (existsSync(out) && statSync(out).mtimeMs >= sources) process.exit(0);
console.log('building the web app (dist/web)...');
const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
