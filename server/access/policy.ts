/**
 * Who may do what, read once from the config: the shared secrets of httpToken/httpBasic (admin),
 * the reverse proxies whose user header is believed, and the users and groups it names, with
 * their roles. Checked at start: an unknown role or an unreadable address stops the server.
 */
import { BlockList, isIP } from 'node:net';
import type { Config } from '../config.ts';
import { isRole, ROLES, type Role } from './roles.ts';

export type AccessConfig = Pick<Config, 'httpToken' | 'httpBasic' | 'trustedProxies' | 'proxyUserHeader' | 'proxyGroupsHeader' | 'accessUsers' | 'accessGroups'>;

export interface AccessPolicy {
  httpToken: string | null;
  httpBasic: string | null;
  /** Addresses whose user header is believed; null when no proxy is configured. */
  proxies: BlockList | null;
  /** Header names, lower case (Node lower-cases incoming header names). */
  userHeader: string;
  groupsHeader: string;
  users: ReadonlyMap<string, Role>;
  groups: ReadonlyMap<string, Role>;
  /** Something is configured: anonymous requests are refused even before any API token exists. */
  closed: boolean;
}

function roleMap(what: string, map: Record<string, string>): Map<string, Role> {
  const out = new Map<string, Role>();
  for (const [name, role] of Object.entries(map)) {
    if (!isRole(role)) throw new Error(`${what}: "${name}" has role "${role}"; roles are ${ROLES.join(', ')}`);
    out.set(name, role);
  }
  return out;
}

/** "10.0.0.5", "::1", "10.0.0.0/8", "fd00::/8" → one BlockList; throws on anything else. */
export function proxyList(entries: readonly string[]): BlockList | null {
  if (!entries.length) return null;
  const list = new BlockList();
  for (const e of entries) {
    const [addr, bits] = e.trim().split('/', 2);
    const family = isIP(addr);
    if (!family) throw new Error(`trustedProxies: "${e}" is not an IP address or CIDR block`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) {
      list.addAddress(addr, type);
      continue;
    }
    const prefix = Number(bits);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) throw new Error(`trustedProxies: "${e}" has a bad prefix length`);
    list.addSubnet(addr, prefix, type);
  }
  return list;
}

/** Whether `address` (a socket's remote address) is one of the proxies; IPv4 mapped into IPv6 (::ffff:a.b.c.d) counts as IPv4. */
export function fromProxy(list: BlockList | null, address: string | undefined): boolean {
  if (!list || !address) return false;
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (v4) return list.check(v4, 'ipv4');
  return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

export function accessPolicy(c: AccessConfig): AccessPolicy {
  const proxies = proxyList(c.trustedProxies);
  return {
    httpToken: c.httpToken, httpBasic: c.httpBasic, proxies,
    userHeader: c.proxyUserHeader.toLowerCase(), groupsHeader: c.proxyGroupsHeader.toLowerCase(),
    users: roleMap('accessUsers', c.accessUsers), groups: roleMap('accessGroups', c.accessGroups),
    closed: Boolean(c.httpToken || c.httpBasic || proxies),
  };
}
