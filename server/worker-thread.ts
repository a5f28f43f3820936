/**
 * Starts a worker thread on a TypeScript module, compiled as the main thread's code is: a tiny
 * bootstrap registers tsx (named by its resolved path, so any working directory works), then
 * loads the module. tsx's require hook, not its ESM loader: the loader runs on a thread of its
 * own, which doubled the time a worker took to start (~115 ms against ~55 for the SQLite writer).
 * Worker modules are therefore loaded as CommonJS: no top-level await, no ESM-only package.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Compiled to dist/ (the package): the worker modules are plain ESM .js beside this file, no tsx. */
const COMPILED = import.meta.url.endsWith('.js');

/**
 * `name` (at most 15 characters) becomes the thread's name on Linux, so that `top -H`, `ps -L` and
 * the benchmarks' per-thread CPU tell the UDP receiver from the SQLite writer.
 */
export function startWorker(entry: URL, workerData: unknown, name?: string): Worker {
  const naming = name ? `try { require('node:fs').writeFileSync('/proc/thread-self/comm', ${JSON.stringify(name)}); } catch {}` : '';
  const bootstrap = COMPILED
    ? `${naming} import(${JSON.stringify(entry.href.replace(/\.ts$/, '.js'))});`
    : `${naming} require(${JSON.stringify(tsxRegister())}).register(); require(${JSON.stringify(fileURLToPath(entry))});`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** Resolved only in a checkout: the package has no tsx. */
function tsxRegister(): string {
  return createRequire(import.meta.url).resolve('tsx/cjs/api');
}
