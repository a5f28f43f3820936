/**
 * Starts the one request a flow link needs while the app is still booting. Imported first by
 * main.tsx, so the request leaves as soon as the bundle runs, before React, the router and the
 * query cache are set up; a large group then spends that time on the server instead of after it.
 * fetchGroup (client.ts) adopts the response once; anything else fetches as usual.
 */

const FLOW_PATH = /^\/flow\/([^/]+)\/?$/;

const early = new Map<string, Promise<Response>>();

/** The group id named by a flow address ("/flow/:id"), else null. */
export function flowIdOf(pathname: string): string | null {
  const m = FLOW_PATH.exec(pathname);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null; // a malformed escape: the router shows its own page
  }
}

/** Sends GET `url` now for the group `id`, to be taken by `takeEarly(id)`. */
export function startEarly(id: string, url: string): void {
  const res = fetch(url, { headers: { accept: 'application/json' } });
  res.catch(() => undefined); // a failure is seen by whoever takes it; never an unhandled rejection
  early.set(id, res);
}

/** The response started for `id`, once: a second load of the same id fetches afresh. */
export function takeEarly(id: string): Promise<Response> | undefined {
  const res = early.get(id);
  early.delete(id);
  return res;
}
