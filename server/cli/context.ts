/**
 * What every verb shares: the config options (one table, so flags, env names and docs agree) and
 * turning a verb's typed flags into a Config with the documented precedence.
 */
import { Command, Option } from 'commander';
import { loadConfig, envName, parseAliases, type Config } from '../config.ts';

/** flag, config key, help. Booleans that default to on are written "--no-x". */
const OPTIONS: [string, keyof Config, string][] = [
  ['--http-host <addr>', 'httpHost', 'HTTP bind address (default 127.0.0.1)'],
  ['--http-port <port>', 'httpPort', 'HTTP port for the app and API (default 8080; 0 picks a free one)'],
  ['--hep-host <addr>', 'hepHost', 'HEP bind address (default 0.0.0.0)'],
  ['--hep-port <port>', 'hepPort', 'HEP port, UDP and TCP (default 9060; 0 picks a free one)'],
  ['--no-udp', 'udp', 'do not receive HEP over UDP'],
  ['--no-tcp', 'tcp', 'do not receive HEP over TCP'],
  ['--no-collector', 'collector', 'serve the app and API only (no HEP listeners)'],
  ['--store <path|url>', 'store', 'SQLite file (default ./data/hepflow.db) or postgres://user@host:port/db'],
  ['--pg-pool <n>', 'pgPool', 'PostgreSQL connection pool size (default 10)'],
  ['--pg-partition-step <step>', 'pgPartitionStep', 'Homer 7 partition step: 5m..1d (default 1h)'],
  ['--retention-days <days>', 'retentionDays', 'delete data older than this; 0 keeps all (default 7)'],
  ['--retention-days-calls <days>', 'retentionDaysCalls', 'days kept of calls (groups with an INVITE dialog); 0 keeps all (default: --retention-days)'],
  ['--retention-days-other <days>', 'retentionDaysOther', 'days kept of REGISTER, OPTIONS and other non-call traffic; 0 keeps all (default: --retention-days)'],
  ['--hep-auth-key <key>', 'hepAuthKey', 'accept only HEP packets with this auth key (chunk 0x000e)'],
  ['--http-token <token>', 'httpToken', 'require "Authorization: Bearer <token>" on the app and API'],
  ['--http-basic <user:password>', 'httpBasic', 'require HTTP basic credentials on the app and API'],
  ['--trusted-proxy <addr...>', 'trustedProxies', 'reverse proxies (address or CIDR) whose user header is believed'],
  ['--correlation-header <name...>', 'correlationHeaders', 'A-leg headers naming another Call-ID (default X-CID X-Call-ID)'],
  ['--alias <ip[:port]=name...>', 'aliases', 'display name for an endpoint, e.g. 10.0.0.1=SBC'],
  ['--inferred-box <alias|ip[:port]...>', 'inferredBoxes', 'B2BUA/SBC through which calls sharing no value are linked by time and numbers (default: none, off)'],
  ['--inferred-window-ms <ms>', 'inferredWindowMs', 'an inferred B-leg leaves its box at most this long after the A-leg reached it (default 2000)'],
  ['--inferred-digits <n>', 'inferredDigits', 'digits of the numbers compared, from the end; 0 all (default 9)'],
  ['--inferred-strip-prefix <prefix...>', 'inferredStripPrefixes', 'prefixes stripped from the numbers before comparing (default + 00)'],
  ['--web-dir <dir>', 'webDir', 'folder of the built web app (default dist/web)'],
  ['--demo', 'demo', 'load every demo scenario at start'],
  ['--batch-size <n>', 'batchSize', 'messages per store transaction (default 2000)'],
  ['--max-tcp-connections <n>', 'maxTcpConnections', 'concurrent HEP TCP connections (default 256)'],
  ['--max-tcp-connections-per-address <n>', 'maxTcpConnectionsPerAddress', 'concurrent HEP TCP connections from one address (default 64)'],
  ['--tcp-idle-ms <ms>', 'tcpIdleMs', 'close a HEP TCP connection without a complete frame for this long (default 300000)'],
  ['--shutdown-timeout-ms <ms>', 'shutdownTimeoutMs', 'on SIGTERM, longest wait to store what was received (default 10000)'],
  ['--log-level <level>', 'logLevel', 'silent, info or debug (default info)'],
];

export function addConfigOptions(cmd: Command, keys?: (keyof Config)[]): Command {
  cmd.option('-c, --config <file>', 'JSON config file (also HEPFLOW_CONFIG)');
  for (const [flags, key, help] of OPTIONS) {
    if (keys && !keys.includes(key)) continue;
    cmd.addOption(new Option(flags, `${help}; env ${envName(key)}`));
  }
  return cmd;
}

/**
 * Only what the user typed counts as a flag; the rest falls through to env, file and defaults.
 * Commander names a value after its flag (--alias → alias), so each is mapped to its config key.
 */
export function configFrom(cmd: Command): Config {
  const opts = cmd.opts();
  const typed: Record<string, unknown> = {};
  if (cmd.getOptionValueSource('config') === 'cli') typed.config = opts.config;
  for (const [flags, key] of OPTIONS) {
    const attr = new Option(flags).attributeName();
    if (cmd.getOptionValueSource(attr) === 'cli') typed[key] = opts[attr];
  }
  if (typed.aliases) typed.aliases = parseAliases(typed.aliases as string[]);
  return loadConfig(typed);
}
