/**
 * Starts a worker thread on a TypeScript module, compiled as the main thread's code is: a tiny
 * bootstrap registers tsx (named by its resolved URL, so any working directory works), then
 * loads the module.
 */
import { Worker } from 'node:worker_threads';

export function startWorker(entry: URL, workerData: unknown): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}
