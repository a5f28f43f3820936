/**
 * Optional HTTP authentication for the app and API: a bearer token and/or basic credentials from
 * config. /healthz stays open so that load balancers can probe.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function authHook(config: Pick<Config, 'httpToken' | 'httpBasic'>) {
  const { httpToken, httpBasic } = config;
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!httpToken && !httpBasic) return;
    if (req.url === '/healthz') return;
    const header = req.headers.authorization ?? '';
    const [scheme, value = ''] = header.split(' ', 2);
    if (httpToken && scheme?.toLowerCase() === 'bearer' && same(value, httpToken)) return;
    if (httpBasic && scheme?.toLowerCase() === 'basic' && same(Buffer.from(value, 'base64').toString(), httpBasic)) return;
    // A token may also come as ?token= so that a shared link or a curl download works.
    const q = (req.query as Record<string, string> | undefined)?.token;
    if (httpToken && q && same(q, httpToken)) return;
    if (httpBasic) reply.header('www-authenticate', 'Basic realm="hepflow"');
    return reply.code(401).send({ error: 'unauthorized', message: 'missing or wrong credentials' });
  };
}
