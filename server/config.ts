/**
 * Every setting with its default, unit and reason, and the one precedence that builds a config:
 * command-line flags > environment variables (HEPFLOW_*) > config file (JSON) > defaults.
 */
import { readFileSync } from 'node:fs';
import { checkCorrelationRules, type CorrelationRule } from './correlate/user-rules.ts';
import { DEDUP_WINDOW_MICROS } from './correlate/dedup.ts';
import { BLIND_TRANSFER_WINDOW_MICROS } from './correlate/blind.ts';
import { MAX_DECOMPRESSED_BYTES } from './hep/payload.ts';
import { HEP3_MAX_BYTES } from './hep/chunks.ts';

export interface Config {
  /** HTTP (app + API) bind address and port. */
  httpHost: string;
  httpPort: number;
  /** HEP collector bind address and port, shared by UDP and TCP (HEP's registered port is 9060). */
  hepHost: string;
  hepPort: number;
  udp: boolean;
  tcp: boolean;
  /** Run the collector at all; off for a web/API-only process in a scaled-out deployment. */
  collector: boolean;
  /** SQLite file path, or a postgres:// connection string. */
  store: string;
  /** PostgreSQL connection pool size (postgres store only). */
  pgPool: number;
  /** Homer 7 time partition step for SIP tables: 5m,10m,15m,20m,30m,45m,1h,2h,6h,12h,1d. */
  pgPartitionStep: string;
  /** Days of data kept; 0 keeps everything. */
  retentionDays: number;
  /** Required HEP3 auth key (chunk 0x000e); null accepts any packet. */
  hepAuthKey: string | null;
  /** Bearer token for the app and API; null means no token. */
  httpToken: string | null;
  /** Basic credentials "user:password" for the app and API; null means none. */
  httpBasic: string | null;
  /** Headers whose value names the A-leg's Call-ID (heplify-server's AlegIDs). */
  correlationHeaders: string[];
  /**
   * Operators' own correlation rules: a header (any case) or the Call-ID, an optional regex whose
   * group 1 is the shared value, and the name shown as the link's reason. Checked at start.
   */
  correlationRules: CorrelationRule[];
  /** Display names for endpoints: "ip" or "ip:port" → alias. */
  aliases: Record<string, string>;
  /** Folder of the built web app. */
  webDir: string;
  /** Load every demo scenario into the store at start. */
  demo: boolean;
  /** Largest HEP packet accepted, bytes (a HEP3 packet cannot exceed 65535: its length is u16). */
  maxPacketBytes: number;
  /** Largest expanded size of a compressed HEP payload (chunk 0x0010), bytes; larger ones are refused and counted. */
  maxDecompressedBytes: number;
  /** Concurrent HEP TCP connections; past it the one longest without a complete frame is evicted, else the new one refused. */
  maxTcpConnections: number;
  /** Concurrent HEP TCP connections from one address; more are refused (one host cannot take every slot). */
  maxTcpConnectionsPerAddress: number;
  /** A HEP TCP connection that delivers no complete HEP frame for this long is closed, ms (OpenSIPS keeps its connection busy). */
  tcpIdleMs: number;
  /** Messages written per transaction. Bigger batches amortise the commit. */
  batchSize: number;
  /** Longest a message waits before its batch is written, ms. */
  batchDelayMs: number;
  /** Messages held in memory while the store is slow or down; past it new ones are dropped and counted. */
  maxPending: number;
  /** Payload bytes held in memory while the store is slow or down; past it new messages are dropped and counted. */
  maxPendingBytes: number;
  /** On SIGTERM/SIGINT: longest wait for what was received to be stored before the process exits, ms. */
  shutdownTimeoutMs: number;
  /** Same packet from two capture points within this window is one message, µs (Homer 11 uses 500 ms). */
  dedupWindowMicros: number;
  /** A blind transfer's new call must start within this time after the REFER, µs. */
  blindTransferWindowMicros: number;
  /** "info" logs listeners and errors; "debug" logs more; "silent" nothing. */
  logLevel: 'silent' | 'info' | 'debug';
}

export const defaults: Config = {
  httpHost: '127.0.0.1',
  httpPort: 8080,
  hepHost: '0.0.0.0',
  hepPort: 9060,
  udp: true,
  tcp: true,
  collector: true,
  store: './data/hepflow.db',
  pgPool: 10,
  pgPartitionStep: '1h',
  retentionDays: 7,
  hepAuthKey: null,
  httpToken: null,
  httpBasic: null,
  correlationHeaders: ['X-CID', 'X-Call-ID'],
  correlationRules: [],
  aliases: {},
  webDir: 'dist/web',
  demo: false,
  maxPacketBytes: HEP3_MAX_BYTES,
  // The pure layers (hep/, correlate/) hold these defaults, with their reasons, for callers without a config.
  maxDecompressedBytes: MAX_DECOMPRESSED_BYTES,
  maxTcpConnections: 256,
  maxTcpConnectionsPerAddress: 64,
  tcpIdleMs: 5 * 60_000,
  batchSize: 2000,
  batchDelayMs: 100,
  maxPending: 200_000,
  // 200,000 messages of ~1 KB; a flood of large payloads reaches this first.
  maxPendingBytes: 256 * 1024 * 1024,
  shutdownTimeoutMs: 10_000,
  dedupWindowMicros: DEDUP_WINDOW_MICROS,
  blindTransferWindowMicros: BLIND_TRANSFER_WINDOW_MICROS,
  logLevel: 'info',
};

// Bounds of one HTTP API answer or upload: constants, not settings, as clients page and upload within them.
/** Search results (groups) in one GET /api/v1/calls page when the request names no limit. */
export const CALLS_PAGE_DEFAULT = 100;
/** Most search results one page may ask for: the web app virtualises thousands, but one answer stays bounded. */
export const CALLS_PAGE_MAX = 5000;
/** Largest capture upload (POST /api/v1/import), bytes: it streams through the importer in bounded memory, so hundreds of MB are fine. */
export const IMPORT_BODY_MAX_BYTES = 2 * 1024 * 1024 * 1024;
/** Longest upload file name kept, characters: it becomes the capture point "file:<name>" of every message. */
export const IMPORT_NAME_MAX_CHARS = 200;

/*
 * Fixed limits: not settings (no operator has needed to change them), but bounds all the same,
 * each with its unit and reason.
 */

// The HTTP server.
/**
 * Longest route parameter, characters (decoded): a Call-ID can be as long as a HEP3 packet, whose
 * length field is u16. Fastify's default of 100 answered 404/414 for RFC 4475's long Call-IDs.
 */
export const MAX_PARAM_CHARS = 65535;
/**
 * Largest request line plus headers, bytes (Node's default is 16 KiB): the longest Call-ID
 * percent-encoded (3 bytes per byte) in a path, with room for the usual headers.
 */
export const MAX_HEADER_BYTES = 3 * MAX_PARAM_CHARS + 64 * 1024;
/** Largest JSON request body, bytes: the API takes small JSON; captures upload through /import. */
export const API_BODY_MAX_BYTES = 1024 * 1024;
/** Most of the unread body dropped before closing anyway, bytes: a few seconds of a fast LAN upload. */
export const DRAIN_MAX_BYTES = 64 * 1024 * 1024;
/** Longest the unread body is dropped before closing anyway, ms: the client has read the answer long before. */
export const DRAIN_MAX_MS = 2000;
/**
 * Raw text one detail answer carries, bytes of UTF-8. A SIP message is a few KB, but pcap import
 * and SIP over TCP bring any size: an 18 MB one cost 1 s of main-thread CPU to parse and send, and
 * the browser 1.5 M DOM nodes. 256 KiB is ~3,000 lines, more than anyone reads in a pane; the whole
 * message is a download (/raw).
 */
export const MAX_DETAIL_RAW_BYTES = 256 * 1024;

// HEP over TCP.
/**
 * A connection becomes evictable this long after its last complete frame (or its connect), ms:
 * long enough for a new sender to deliver its first frame, far shorter than the idle time.
 */
export const EVICT_AFTER_MS = 1000;
/** Longest time HEP TCP senders get to finish what they were sending once told the stream ends, ms. */
export const TCP_DRAIN_MS = 1000;

// HEP over UDP, and the store.

/** Kernel receive buffer asked for on the HEP UDP socket, bytes: bursts of 40k+ packets/s must not overflow it. */
export const UDP_RECV_BUFFER_BYTES = 32 * 1024 * 1024;
/** UDP datagrams received but not yet ingested, bytes, at most: past it they are dropped and counted. */
export const UDP_MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;
/**
 * Payload bytes per batch written to the store, at most. The threaded SQLite store packs a batch's
 * strings into one string (store/message-batch.ts) and V8 caps a string at 2^29 − 24 code units
 * (~512 Mi): 16 MiB stays far below it, and keeps each copy to the writer thread short.
 */
export const MAX_BATCH_BYTES = 16 * 1024 * 1024;
/**
 * First and longest wait between retries of a failed store write, ms; the wait doubles in between.
 * Short enough that a brief lock clears unnoticed, long enough not to hammer a store that is down.
 */
export const WRITE_RETRY_FIRST_MS = 100;
export const WRITE_RETRY_MAX_MS = 5000;

type Kind = 'string' | 'number' | 'boolean' | 'list' | 'map' | 'nullable-string' | 'rules';

/** How each key is read from the environment and files. */
const kinds: Record<keyof Config, Kind> = {
  httpHost: 'string', httpPort: 'number', hepHost: 'string', hepPort: 'number',
  udp: 'boolean', tcp: 'boolean', collector: 'boolean', store: 'string', pgPool: 'number',
  pgPartitionStep: 'string', retentionDays: 'number', hepAuthKey: 'nullable-string',
  httpToken: 'nullable-string', httpBasic: 'nullable-string', correlationHeaders: 'list', correlationRules: 'rules',
  aliases: 'map', webDir: 'string', demo: 'boolean', maxPacketBytes: 'number', maxDecompressedBytes: 'number',
  maxTcpConnections: 'number', maxTcpConnectionsPerAddress: 'number', tcpIdleMs: 'number', batchSize: 'number',
  batchDelayMs: 'number', maxPending: 'number', maxPendingBytes: 'number', shutdownTimeoutMs: 'number', dedupWindowMicros: 'number', blindTransferWindowMicros: 'number',
  logLevel: 'string',
};

/** httpPort → HEPFLOW_HTTP_PORT */
export function envName(key: string): string {
  return 'HEPFLOW_' + key.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}

/** "a=b,c=d" → {a: 'b', c: 'd'}; also accepts a list of "a=b". */
export function parseAliases(items: string | string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of Array.isArray(items) ? items : items.split(',')) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`alias "${item}" is not of the form ip[:port]=Name`);
    out[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return out;
}

function coerce(key: keyof Config, value: unknown, origin: string): unknown {
  const kind = kinds[key];
  const fail = () => new Error(`${origin}: ${key} must be a ${kind}, got ${JSON.stringify(value)}`);
  switch (kind) {
    case 'number': {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) throw fail();
      return n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === '1') return true;
      if (value === 'false' || value === '0') return false;
      throw fail();
    case 'list':
      if (Array.isArray(value)) return value.map(String);
      if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter(Boolean);
      throw fail();
    case 'map':
      if (value && typeof value === 'object' && !Array.isArray(value)) return value;
      if (typeof value === 'string' || Array.isArray(value)) return parseAliases(value as string);
      throw fail();
    case 'rules': {
      // The config file's JSON list; from the environment, the same list as JSON text.
      let list = value;
      if (typeof value === 'string') {
        try {
          list = JSON.parse(value);
        } catch (err) {
          throw new Error(`${origin}: ${key} must be a JSON list of rules: ${(err as Error).message}`);
        }
      }
      return checkCorrelationRules(list, origin);
    }
    case 'nullable-string':
      return value === null || value === '' ? null : String(value);
    default:
      return String(value);
  }
}

function pick(origin: string, read: (key: string) => unknown): Partial<Config> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(kinds) as (keyof Config)[]) {
    const v = read(key);
    if (v !== undefined) out[key] = coerce(key, v, origin);
  }
  return out as Partial<Config>;
}

/**
 * Builds the config: flags > env > file > defaults. `flags` holds only what the user typed
 * (undefined for the rest); `file` is a JSON file path (flag --config or HEPFLOW_CONFIG).
 */
export function loadConfig(flags: Partial<Record<keyof Config, unknown>> & { config?: string }, env: NodeJS.ProcessEnv = process.env): Config {
  const path = flags.config ?? env.HEPFLOW_CONFIG;
  let fromFile: Partial<Config> = {};
  if (path) {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new Error(`config file ${path}: ${(err as Error).message}`);
    }
    const unknown = Object.keys(json).filter((k) => !(k in kinds));
    if (unknown.length) throw new Error(`config file ${path}: unknown setting(s) ${unknown.join(', ')}`);
    fromFile = pick(`config file ${path}`, (k) => json[k]);
  }
  const fromEnv = pick('environment', (k) => env[envName(k)]);
  const fromFlags = pick('flag', (k) => (flags as Record<string, unknown>)[k]);
  const config = { ...defaults, ...fromFile, ...fromEnv, ...fromFlags };
  if (!['silent', 'info', 'debug'].includes(config.logLevel)) throw new Error(`logLevel must be silent, info or debug`);
  return config;
}
