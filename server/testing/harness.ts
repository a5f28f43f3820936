/** Test support: a real hepflow server on loopback with a temporary SQLite file, and polling. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaults, type Config } from '../config.ts';
import { encodeHep3 } from '../hep/encode.ts';
import { sendPackets } from '../replay/sender.ts';
import type { layoutScenarios } from '../scenarios/index.ts';
import { startServer, type RunningServer } from '../server.ts';

export interface TestServer extends RunningServer {
  /** GET a path of the HTTP API, parsed as JSON (throws on a non-2xx answer unless `allowError`). */
  get<T = any>(path: string, allowError?: boolean): Promise<{ status: number; body: T }>;
  /** Stops the server and deletes its files. */
  stop(): Promise<void>;
}

export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'hepflow-test-'));
  const config: Config = {
    ...defaults, httpHost: '127.0.0.1', httpPort: 0, hepHost: '127.0.0.1', hepPort: 0, retentionDays: 0,
    store: join(dir, 'hepflow.db'), webDir: join(dir, 'no-web'), logLevel: 'silent', batchDelayMs: 20, ...overrides,
  };
  const server = await startServer(config);
  return {
    ...server,
    async get(path, allowError = false) {
      const res = await fetch(server.httpUrl + path);
      const text = await res.text();
      const body = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
      if (!res.ok && !allowError) throw new Error(`GET ${path}: ${res.status} ${text}`);
      return { status: res.status, body };
    },
    async stop() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sends laid-out scenarios to the server as HEP over TCP and waits until all are stored (at most `timeoutMs`). */
export async function feedScenarios(s: TestServer, laid: ReturnType<typeof layoutScenarios>, timeoutMs?: number): Promise<void> {
  const packets = laid.flatMap(({ run }) => run.packets.map(encodeHep3));
  await sendPackets({ transport: 'tcp', host: '127.0.0.1', port: s.hepTcp!.port }, packets, { rate: 0 });
  await waitFor(async () => (await s.store.counts()).messages >= packets.length, 'scenarios stored', timeoutMs);
}

/** Polls `check` until it returns a value that is not undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The value of one Prometheus counter line, e.g. metric(text, 'hepflow_packets_rejected_total{reason="bad-magic"}'). */
export function metric(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
