/**
 * `hepflow token create|list|revoke`: API tokens for scripts, kept hashed in the store's token
 * table (access/token-*.ts). `create` prints the token on stdout, once: only its hash is stored.
 */
import type { Command } from 'commander';
import { addConfigOptions, configFrom } from './context.ts';
import { openTokenStore } from '../access/token-store.ts';
import { hashToken, newToken, parseDuration, type TokenRecord } from '../access/tokens.ts';
import { isRole, ROLES } from '../access/roles.ts';

/** Token names go in logs and a CLI argument: short, and nothing a shell or a log line would mangle. */
const NAME = /^[A-Za-z0-9._-]{1,64}$/;

function line(t: TokenRecord, now: number): string {
  const state = t.revokedAt !== null ? `revoked ${new Date(t.revokedAt).toISOString()}` : t.expiresAt <= now ? 'expired' : 'valid';
  return [t.name, t.role, new Date(t.createdAt).toISOString(), new Date(t.expiresAt).toISOString(), state].join('\t');
}

export function registerToken(program: Command): void {
  const token = program.command('token').description('API tokens for scripts: create (shown once), list, revoke');

  const create = token.command('create').description('create a token and print it once')
    .requiredOption('--name <name>', 'a name to list and revoke it by')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .requiredOption('--expires <duration>', 'lifetime: a number and m, h, d or w, e.g. 30d');
  addConfigOptions(create, ['store']);
  create.action(async (o: { name: string; role: string; expires: string }) => {
    if (!NAME.test(o.name)) throw new Error('--name: 1 to 64 letters, digits, ".", "_" or "-"');
    if (!isRole(o.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
    const lifetime = parseDuration(o.expires);
    const tokens = await openTokenStore(configFrom(create).store, true);
    try {
      const secret = newToken();
      const now = Date.now();
      await tokens.create({ name: o.name, role: o.role, createdAt: now, expiresAt: now + lifetime }, hashToken(secret));
      process.stderr.write(`token "${o.name}" (${o.role}) valid until ${new Date(now + lifetime).toISOString()}; it is shown only now:\n`);
      process.stdout.write(secret + '\n');
    } finally {
      await tokens.close();
    }
  });

  const list = token.command('list').description('list tokens: name, role, created, expires, state');
  addConfigOptions(list, ['store']);
  list.action(async () => {
    const tokens = await openTokenStore(configFrom(list).store);
    try {
      const now = Date.now();
      for (const t of await tokens.list()) process.stdout.write(line(t, now) + '\n');
    } finally {
      await tokens.close();
    }
  });

  const revoke = token.command('revoke').description('revoke a token at once').argument('<name>', 'the token\'s name');
  addConfigOptions(revoke, ['store']);
  revoke.action(async (name: string) => {
    const tokens = await openTokenStore(configFrom(revoke).store);
    try {
      if (!(await tokens.revoke(name, Date.now()))) throw new Error(`no valid token named "${name}"`);
      process.stderr.write(`token "${name}" revoked\n`);
    } finally {
      await tokens.close();
    }
  });
}
