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

const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');

export function startWorker(entry: URL, workerData: unknown): Worker {
  const bootstrap = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(fileURLToPath(entry))});`;
  return new Worker(bootstrap, { eval: true, workerData });
}
