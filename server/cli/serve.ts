/** `hepflow serve`: collector + store + app in one process (the default verb). */
import { constants as osConstants } from 'node:os';
import type { Command } from 'commander';
import { addConfigOptions, configFrom } from './context.ts';
import { makeLog } from '../log.ts';
import { formatEndpoint } from '../hep/inet.ts';
import { startServer } from '../server.ts';
import { demoStored, loadDemo } from './demo.ts';
import { applyReload } from './reload.ts';

export function registerServe(program: Command): void {
  const cmd = program.command('serve', { isDefault: true })
    .description('receive HEP on UDP and TCP, store it, and serve the web app and API');
  addConfigOptions(cmd);
  cmd.action(async () => {
    const config = configFrom(cmd);
    const log = makeLog(config);
    const server = await startServer(config, log);
    const addr = (a: { host: string; port: number } | null) => (a ? formatEndpoint(a.host, a.port) : null);
    log('listening', { http: server.httpUrl, hepUdp: addr(server.hepUdp), hepTcp: addr(server.hepTcp), store: server.store.kind });
    let stopping = false;
    const stop = async (signal: NodeJS.Signals) => {
      if (stopping) {
        log('second signal: exiting at once, what is not stored yet is lost', { signal, unstored: server.ingest?.unsettled ?? 0 });
        process.exit(128 + osConstants.signals[signal]);
      }
      stopping = true;
      log('stopping', { signal, timeoutMs: config.shutdownTimeoutMs });
      // server.close() keeps its own bound; this one only guards against a bug that would hang it.
      setTimeout(() => {
        log('shutdown did not finish in time: exiting', { unstored: server.ingest?.unsettled ?? 0 });
        process.exit(1);
      }, config.shutdownTimeoutMs + BACKSTOP_MS).unref();
      try {
        const r = await server.close();
        log('stopped', { signal, ...r });
        process.exit(0);
      } catch (err) {
        log('shutdown failed', { error: (err as Error).message });
        process.exit(1);
      }
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
    // systemctl reload: the config file and flags read again; a file that does not load keeps the running settings.
    process.on('SIGHUP', () => {
      try {
        const changed = applyReload(config, configFrom(cmd));
        log('reloaded', { changed });
      } catch (err) {
        log('reload failed: the running settings stay', { error: (err as Error).message });
      }
    });
    if (config.demo) {
      // Over TCP when it listens: the demo should arrive whole even on a busy machine.
      const via = server.hepTcp ? { transport: 'tcp' as const, ...server.hepTcp } : server.hepUdp && { transport: 'udp' as const, ...server.hepUdp };
      if (!via) throw new Error('--demo needs the collector (UDP or TCP)');
      if (await demoStored(server.store)) {
        log('demo already in the store: left as it was', { open: server.httpUrl });
      } else {
        const n = await loadDemo({ transport: via.transport, host: loopbackFor(via.host), port: via.port });
        log('demo loaded', { packets: n, open: server.httpUrl });
      }
    }
  });
}

/** Extra time past config.shutdownTimeoutMs before the process exits whatever it is doing, ms. */
const BACKSTOP_MS = 2000;

/** The demo talks to our own listener: on a wildcard bind, send to loopback. */
function loopbackFor(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}
