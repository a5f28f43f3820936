/**
 * Every setting with its default, unit and reason, and the one precedence that builds a config:
 * command-line flags > environment variables (HEPFLOW_*) > config file (JSON) > defaults.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkCorrelationRules, type CorrelationRule } from './correlate/user-rules.ts';
import { DEDUP_WINDOW_MICROS } from './correlate/dedup.ts';
import { BLIND_TRANSFER_WINDOW_MICROS } from './correlate/blind.ts';
import { INFERRED_DIGITS, INFERRED_STRIP_PREFIXES, INFERRED_WINDOW_MS, resolveBoxes } from './correlate/inferred.ts';
import { MAX_DECOMPRESSED_BYTES } from './hep/payload.ts';
import { HEP3_MAX_BYTES } from './hep/chunks.ts';

/**
 * The built web app of this package, wherever it is installed and whatever the working directory:
 * <package>/dist/web, seen from server/config.ts in a checkout or dist/server/config.js compiled.
 */
const PACKAGE_WEB_DIR = fileURLToPath(new URL(import.meta.url.endsWith('.js') ? '../web' : '../dist/web', import.meta.url));

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
  /**
   * Days kept of calls (groups with an INVITE dialog) and of everything else (REGISTER, OPTIONS,
   * SUBSCRIBE…, which is most of the volume and rarely looked at after a day or two); null: retentionDays.
   */
  retentionDaysCalls: number | null;
  retentionDaysOther: number | null;
  /** Required HEP3 auth key (chunk 0x000e); null accepts any packet. */
  hepAuthKey: string | null;
  /** Bearer token for the app and API; null means no token. */
  httpToken: string | null;
  /** Basic credentials "user:password" for the app and API; null means none. */
  httpBasic: string | null;
  /**
   * Addresses or CIDR blocks of the reverse proxies (oauth2-proxy, nginx auth_request) whose user
   * header is believed; from anyone else that header is ignored, as any client can send it.
   */
  trustedProxies: string[];
  /** Header in which the proxy names the logged-in user, and the one listing their groups (comma-separated). */
  proxyUserHeader: string;
  proxyGroupsHeader: string;
  /** Role (viewer, operator, admin) of each user the proxy names, and of each group; the strongest applies. */
  accessUsers: Record<string, string>;
  accessGroups: Record<string, string>;
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
  /**
   * B2BUAs/SBCs (an alias or ip[:port]) through which calls sharing no value are linked by
   * inferred matching (correlate/inferred.ts); empty, the default, turns it off.
   */
  inferredBoxes: string[];
  /** An inferred B-leg leaves its box at most this long after the A-leg reached it, ms. */
  inferredWindowMs: number;
  /** Digits compared from the end of the caller and callee numbers; 0 compares whole numbers. */
  inferredDigits: number;
  /** Prefixes stripped from the numbers before comparing (the longest that matches, once). */
  inferredStripPrefixes: string[];
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
  retentionDaysCalls: null,
  retentionDaysOther: null,
  hepAuthKey: null,
  httpToken: null,
  httpBasic: null,
  trustedProxies: [],
  // What oauth2-proxy sends upstream (--pass-user-headers); nginx auth_request sets them from its subrequest's answer.
  proxyUserHeader: 'X-Forwarded-User',
  proxyGroupsHeader: 'X-Forwarded-Groups',
  accessUsers: {},
  accessGroups: {},
  correlationHeaders: ['X-CID', 'X-Call-ID'],
  correlationRules: [],
  aliases: {},
  webDir: PACKAGE_WEB_DIR,
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
  // Off by default: a link no value proves is only as good as the boxes named (README "How calls are grouped").
  inferredBoxes: [],
  inferredWindowMs: INFERRED_WINDOW_MS,
  inferredDigits: INFERRED_DIGITS,
  inferredStripPrefixes: [...INFERRED_STRIP_PREFIXES],
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
/**
 * Answers compressed (when the client takes it), from this many bytes, and the zlib level: level 1
 * makes a 20,000-message group's ~10 MB of JSON a tenth of that for a fraction of level 6's CPU.
 */
export const GZIP_MIN_BYTES = 4096;
export const GZIP_LEVEL = 1;
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

// Logs, REST, transport events and RTCP on the ladder (server/collector/non-sip.ts, correlate/connections.ts).
/**
 * How far apart a transport event (connection accepted, closed) and a SIP message on the same
 * connection may be to be filed with that call, µs: an INVITE follows its TLS handshake within a
 * second or two, and the close comes soon after the last message; 10 s allows a slow handshake.
 */
export const CONNECTION_EVENT_WINDOW_MICROS = 10_000_000;
/** Connections whose last call the collector remembers: 10,000 open TCP/TLS connections at once is a large SBC. */
export const MAX_TRACKED_CONNECTIONS = 10_000;

type Kind = 'string' | 'number' | 'boolean' | 'list' | 'map' | 'nullable-string' | 'rules' | 'nullable-number';

/** How each key is read from the environment and files. */
const kinds: Record<keyof Config, Kind> = {
  httpHost: 'string', httpPort: 'number', hepHost: 'string', hepPort: 'number',
  udp: 'boolean', tcp: 'boolean', collector: 'boolean', store: 'string', pgPool: 'number',
  pgPartitionStep: 'string', retentionDays: 'number', hepAuthKey: 'nullable-string',
  httpToken: 'nullable-string', httpBasic: 'nullable-string', correlationHeaders: 'list', correlationRules: 'rules',
  aliases: 'map', webDir: 'string', demo: 'boolean', maxPacketBytes: 'number', maxDecompressedBytes: 'number',
  maxTcpConnections: 'number', maxTcpConnectionsPerAddress: 'number', tcpIdleMs: 'number', batchSize: 'number',
  batchDelayMs: 'number', maxPending: 'number', maxPendingBytes: 'number', shutdownTimeoutMs: 'number', dedupWindowMicros: 'number', blindTransferWindowMicros: 'number',
  inferredBoxes: 'list', inferredWindowMs: 'number', inferredDigits: 'number', inferredStripPrefixes: 'list',
  logLevel: 'string',
  retentionDaysCalls: 'nullable-number', retentionDaysOther: 'nullable-number',
  trustedProxies: 'list', proxyUserHeader: 'string', proxyGroupsHeader: 'string', accessUsers: 'map', accessGroups: 'map',
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

function coerce(key: keyof Config, value: unknown, origin: string, as?: Kind): unknown {
  const kind = as ?? kinds[key];
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
    case 'nullable-number':
      return value === null || value === '' ? null : coerce(key, value, origin, 'number');
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
  checkInferred(config);
  return config;
}

/**
 * Longest inferred window accepted, ms: a B2BUA that takes longer to send its B-leg is not the
 * case the rule is for, and the matcher keeps at most 10 s of arrivals at 1,000 calls/s.
 */
const INFERRED_WINDOW_MAX_MS = 10_000;

/** The inferred-link settings are checked at start: a bad one stops the server with a message naming it. */
function checkInferred(c: Config): void {
  if (!(c.inferredWindowMs > 0 && c.inferredWindowMs <= INFERRED_WINDOW_MAX_MS)) {
    throw new Error(`inferredWindowMs must be more than 0 and at most ${INFERRED_WINDOW_MAX_MS} ms, got ${c.inferredWindowMs}`);
  }
  if (!Number.isInteger(c.inferredDigits) || c.inferredDigits < 0) throw new Error(`inferredDigits must be a whole number ≥ 0 (0: whole numbers), got ${c.inferredDigits}`);
  try {
    resolveBoxes(c.inferredBoxes, c.aliases);
  } catch (err) {
    throw new Error(`inferredBoxes: ${(err as Error).message}`);
  }
}

// Group views (api/view-pool.ts), built off the main thread.
/**
 * Largest view built on the small-view thread, messages (stored, or asked for with ?limit): ~10 ms
 * of work, so that small groups and first pages never wait long behind one another; larger groups
 * go to the large-view threads. The app's first page (FIRST_PAGE, 500) is below it.
 */
export const VIEW_SMALL_MESSAGES = 1000;
/**
 * Threads that build large views. A 20,000-message view keeps one core busy for a few hundred ms:
 * two use both cores of a small box when nothing else runs; many clients asking for large groups
 * at once queue there.
 */
export const VIEW_LARGE_THREADS = 2;
/**
 * Linux nice value of the large-view threads: at 10 the scheduler gives a busy thread of normal
 * priority ~9 times their share, so that ingest, the small views and every other request stay
 * prompt while large views take what CPU is left (bench/stall).
 */
export const VIEW_LARGE_NICE = 10;

// Live views (server/live): changes pushed to the app over Server-Sent Events.
/**
 * Fewest ms between two events to one open flow (changes meanwhile are gathered into the next):
 * at 10,000 messages/s a batch is written every few ms, and one event per open view every 200 ms
 * keeps the push far below 1 % of the traffic. A flow quiet for longer is told at once.
 */
export const LIVE_COALESCE_MS = 200;
/**
 * Longest a message waits before its batch is written while a live view is open, ms (else
 * batchDelayMs): the wait was most of a pushed arrow's delay. At 10,000 messages/s batches shrink
 * from ~1,000 to ~500 messages and the SQLite writer thread's CPU rises by ~1 % of a core (25 ms
 * cost ~5 %: bench/live by thread); a store that falls behind still gets larger batches (collector/batcher.ts).
 */
export const LIVE_BATCH_DELAY_MS = 50;
/**
 * Fewest ms between two "the search list changed" events to one client: each makes it run the
 * search again. Lists are told on the same beat (whole multiples of it, live/session.ts), so that
 * lists with the same filters share one answer (live/page-share.ts).
 */
export const LIVE_SEARCH_INTERVAL_MS = 1000;
/**
 * Search answers kept for live lists with the same filters, at most, and for how long, ms: a
 * page of 500 rows is ~250 KB of JSON, and the lists told on one beat refetch within the beat
 * (a few ms apart, or a few hundred when a browser is still drawing the last answer). The age
 * bound shows a call's Timer B (32 s) within a second when nothing else changes.
 */
export const LIVE_SHARED_PAGES = 16;
export const LIVE_SHARED_PAGE_MAX_AGE_MS = LIVE_SEARCH_INTERVAL_MS;
/**
 * Groups a filtered search list's stream reads to know which rows it shows, at most: the app's
 * first page (500 rows). A change to a row further down that names none of the filters (an ACK
 * under status=486) is not signalled; a new matching call always is.
 */
export const LIVE_SEARCH_WATCH_GROUPS = 500;
/**
 * Keys (hashed ids) of recent changes kept to resume a dropped connection without a refetch,
 * at most: ~1 minute of 10,000 messages/s of new calls (8 bytes a key, ~10 MB). An event id older
 * than what is kept makes the client refetch what it shows ("resync").
 */
export const LIVE_REPLAY_MAX_KEYS = 600_000;
/**
 * On connect, changes this far back count as possibly missed by the data the client loaded just
 * before, ms: the app opens its stream while its first fetch is in flight.
 */
export const LIVE_HELLO_LOOKBACK_MS = 10_000;
/**
 * Bytes waiting in one client's socket, at most: events are ~100 bytes and coalesced, so a client
 * past 64 KiB has stopped reading. It is dropped; on reconnect it resumes or resyncs.
 */
export const LIVE_MAX_BUFFERED_BYTES = 64 * 1024;
/** A client whose socket has not drained for this long is dropped, ms (a stalled reader). */
export const LIVE_STALL_MS = 30_000;
/** Keep-alive comment period, ms: below the 60 s idle timeouts of common proxies and load balancers. */
export const LIVE_HEARTBEAT_MS = 15_000;
/** Live connections at once per process, at most; more are answered 503 (each holds a socket). */
export const LIVE_MAX_CLIENTS = 1000;
/** Browser reconnect delay sent in the stream (SSE `retry:`), ms. */
export const LIVE_RETRY_MS = 1000;

// Team access (server/access, api/auth.ts).
/**
 * While no API token exists the app may be open; whether one was created since is asked again
 * after this long, ms, rather than on every request (one query each with PostgreSQL). Once one
 * exists the app stays closed, so only this first step waits: a new token closes the app within 5 s.
 */
export const ACCESS_TOKENS_RECHECK_MS = 5000;
