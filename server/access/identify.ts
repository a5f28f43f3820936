/**
 * Who a request comes from and with which role, from its credentials: the configured bearer token
 * or basic credentials (admin), an API token (its own role), or the user and groups a trusted
 * reverse proxy (oauth2-proxy, nginx auth_request) put in its headers.
 */
import { timingSafeEqual } from 'node:crypto';
import { fromProxy, type AccessPolicy } from './policy.ts';
import { stronger, type Role } from './roles.ts';
import { hashToken, tokenRole, type TokenRecord } from './tokens.ts';

export interface RequestFacts {
  /** The TCP peer: only a configured proxy's headers are believed. */
  remoteAddress: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** ?token=, so that a shared link or a curl download works. */
  queryToken: string | undefined;
}

/** `role` null: known, but given no role (a proxy user in no configured group). */
export type Identity = { by: 'token' | 'basic' | 'api-token' | 'proxy'; name: string; role: Role | null };
/** Credentials given but refused, with why. */
export type Refusal = { refused: string };

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function header(h: RequestFacts['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Identity of the request; null when it carries no credentials at all. A trusted proxy's user
 * comes first: behind it, Authorization is the proxy's (oauth2-proxy passes basic credentials or
 * the ID token on by default), not one of ours.
 */
export async function identify(p: AccessPolicy, r: RequestFacts, lookup: (hash: string) => Promise<TokenRecord | null>, now: number): Promise<Identity | Refusal | null> {
  // A user header from anyone but a configured proxy is a claim anybody could make: ignored.
  const user = header(r.headers, p.userHeader)?.trim();
  if (user && fromProxy(p.proxies, r.remoteAddress)) {
    let role = p.users.get(user) ?? null;
    for (const g of (header(r.headers, p.groupsHeader) ?? '').split(',')) role = stronger(role, p.groups.get(g.trim()) ?? null);
    return { by: 'proxy', name: user, role };
  }
  const [scheme = '', value = ''] = (header(r.headers, 'authorization') ?? '').split(' ', 2);
  const bearer = scheme.toLowerCase() === 'bearer' ? value : r.queryToken;
  if (bearer) {
    if (p.httpToken && same(bearer, p.httpToken)) return { by: 'token', name: 'http-token', role: 'admin' };
    const t = await lookup(hashToken(bearer));
    const role = tokenRole(t, now);
    if (role === 'unknown') return { refused: 'unknown token' };
    if (role === 'revoked' || role === 'expired') return { refused: `token "${t!.name}" is ${role}` };
    return { by: 'api-token', name: t!.name, role };
  }
  // Basic credentials count only when httpBasic is set; otherwise they are someone else's.
  if (p.httpBasic && scheme.toLowerCase() === 'basic') {
    if (same(Buffer.from(value, 'base64').toString(), p.httpBasic)) return { by: 'basic', name: p.httpBasic.split(':')[0], role: 'admin' };
    return { refused: 'wrong basic credentials' };
  }
  return null;
}
