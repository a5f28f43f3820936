#!/usr/bin/env -S node --max-semi-space-size=64
// The `hepflow` command. Installed from the package it runs dist/server, the server compiled to
// plain JavaScript: no TypeScript compiler or loader at run time. In a checkout it runs the same
// compiled code while dist/server is as new as the sources (`npm start` builds it), and the
// TypeScript sources through tsx otherwise, so an edit takes effect without a build step.
// --max-semi-space-size=64 (MiB): the collector allocates a few short-lived objects per message;
// a larger young generation means fewer scavenges and fewer stalls of the receive loop, which
// at 40,000 messages/s is the difference between some UDP loss and none (bench/ingest).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = process.argv[2];
if (arg === '--version' || arg === '-V') {
  // Answered before loading the server: scripts and health checks call it often.
  process.stdout.write(`${JSON.parse(readFileSync(`${root}/package.json`, 'utf8')).version}\n`);
  process.exit(0);
}

const compiled = `${root}/dist/server`;
const sources = `${root}/server`;
if (existsSync(`${compiled}/cli/main.js`) && !(existsSync(`${sources}/cli/main.ts`) && await stale())) {
  const { tuneV8 } = await import(`${compiled}/v8-tuning.js`);
  tuneV8();
  await import(`${compiled}/cli/main.js`);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { tuneV8 } = await import('../server/v8-tuning.ts');
  tuneV8();
  await import('../server/cli/main.ts');
}

/** In a checkout: whether a source changed since dist/server was built. */
async function stale() {
  const { newestMtime, stampMtime, SERVER_STAMP } = await import('../scripts/freshness.mjs');
  return stampMtime(`${root}/${SERVER_STAMP}`) < newestMtime(sources);
}
