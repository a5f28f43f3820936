/**
 * Cross-origin state changes are refused. Without auth (the default) a page on any other origin
 * could otherwise POST a capture into /api/v1/import from a visitor's browser: a cookie-less POST
 * with a "simple" content type needs no CORS preflight. Browsers mark such requests with `Origin`
 * and `Sec-Fetch-Site`; curl and the CLI send neither, and are let through.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Methods that only read: they are never refused here. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type OriginVerdict = { ok: true } | { ok: false; reason: string };

export interface OriginFacts {
  method: string;
  /** The request's Host header: the origin the app was loaded from is http(s)://<host>. */
  host: string | undefined;
  /**
   * X-Forwarded-Host from a reverse proxy that rewrites Host. Trusting it is safe here: a page
   * on another origin cannot add it without a CORS preflight, which this server never grants.
   */
  forwardedHost?: string | undefined;
  origin?: string | undefined;
  secFetchSite?: string | undefined;
}

/**
 * Whether a request may change state. Pure: the headers in, a verdict out.
 * Sec-Fetch-Site (Fetch Metadata): "same-origin" and "none" (typed URL, bookmark) pass;
 * "same-site" and "cross-site" are refused, as a sibling subdomain is another origin.
 * Origin (RFC 6454 §7): absent passes; "null" or one whose host:port is not ours is refused.
 */
export function checkOrigin({ method, host, forwardedHost, origin, secFetchSite }: OriginFacts): OriginVerdict {
  if (SAFE_METHODS.has(method.toUpperCase())) return { ok: true };
  const site = secFetchSite?.trim().toLowerCase();
  if (site === 'cross-site' || site === 'same-site') {
    return { ok: false, reason: `Sec-Fetch-Site is "${site}": state-changing requests must come from this app's own pages` };
  }
  if (origin === undefined) return { ok: true };
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return { ok: false, reason: `Origin "${origin}" is not this server: state-changing requests must come from this app's own pages` };
  }
  const ours = [host, forwardedHost?.split(',')[0]?.trim()].filter((h): h is string => !!h).map(canonicalHost);
  if (!ours.includes(originHost.toLowerCase())) {
    return { ok: false, reason: `Origin "${origin}" is not this server (${host ?? 'no Host header'}): state-changing requests must come from this app's own pages` };
  }
  return { ok: true };
}

/** "Example.com:80" as the URL parser writes a host, for comparison with Origin's host. */
function canonicalHost(host: string): string {
  try {
    return new URL(`http://${host}`).host.toLowerCase();
  } catch {
    return host.toLowerCase();
  }
}

/** onRequest hook: answers 403 to a refused request before any body is read. */
export async function originHook(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const verdict = checkOrigin({
    method: req.method,
    host: req.headers.host,
    forwardedHost: header(req.headers['x-forwarded-host']),
    origin: req.headers.origin,
    secFetchSite: header(req.headers['sec-fetch-site']),
  });
  if (!verdict.ok) return reply.code(403).send({ error: 'cross-origin', message: verdict.reason });
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
