// Whether a build is older than its sources, by modification time: shared by scripts/build.mjs
// and by bin/hepflow.js in a checkout (which runs the sources through tsx while dist/ is stale).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Written last by a server build: dist/server is whole and as new as this file. */
export const SERVER_STAMP = 'dist/server/.built';

/** Newest modification time of a file or of anything under a folder, ms; 0 when missing. */
export function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = st.mtimeMs;
  for (const e of readdirSync(path)) t = Math.max(t, newestMtime(join(path, e)));
  return t;
}

/** Modification time of a build's output, ms; 0 when it is missing. */
export function stampMtime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}
