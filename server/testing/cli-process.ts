/** Test support: the real `hepflow serve` CLI as a child process, its JSON log, and its ports. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './harness.ts';

const BIN = fileURLToPath(new URL('../../bin/hepflow.js', import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  /** Every JSON line the process wrote to stdout so far. */
  log: Record<string, any>[];
  http: string;
  hepPort: number;
  /** Resolves with the exit code (or 128 + signal number when killed by one) and when it exited (Date.now()). */
  exited: Promise<{ code: number; at: number }>;
  /** The first log line with this msg, once written. */
  line(msg: string, timeoutMs?: number): Promise<Record<string, any>>;
}

/**
 * Starts `hepflow serve` on 127.0.0.1 with free ports and the given store; resolves once it listens.
 * `command` is the checkout's bin/hepflow.js unless given (the packaged test runs the installed one).
 */
export async function startServe(store: string, args: string[] = [], env: Record<string, string> = {},
  command: readonly string[] = [process.execPath, BIN], cwd?: string): Promise<ServeProcess> {
  const child = spawn(command[0], [...command.slice(1), 'serve', '--store', store, '--hep-host', '127.0.0.1', '--hep-port', '0',
    '--http-port', '0', '--retention-days', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }, cwd });
  const log: Record<string, any>[] = [];
  let stderr = '';
  let rest = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    const lines = (rest + s).split('\n');
    rest = lines.pop()!;
    for (const l of lines) if (l.trim()) log.push(JSON.parse(l));
  });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
  const exited = new Promise<{ code: number; at: number }>((resolve) => child.once('exit', (code, signal) => resolve({
    code: code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : 0), at: Date.now() })));
  let gone = false;
  void exited.then(() => { gone = true; });
  const line = (msg: string, timeoutMs = 20_000) => waitFor(() => {
    if (gone && !log.some((l) => l.msg === msg)) throw new Error(`exited before logging "${msg}": ${stderr}`);
    return log.find((l) => l.msg === msg);
  }, `log line "${msg}"`, timeoutMs);
  const listening = await line('listening');
  return { child, log, http: listening.http, hepPort: Number(/:(\d+)$/.exec(listening.hepTcp ?? listening.hepUdp)![1]), exited, line };
}

/** The value of one series on the process's /metrics, e.g. 'hepflow_messages_stored_total'. */
export async function metricOf(p: ServeProcess, series: string): Promise<number> {
  const text = await (await fetch(p.http + '/metrics')).text();
  const l = text.split('\n').find((x) => x.startsWith(series + ' '));
  return l ? Number(l.slice(series.length + 1)) : 0;
}
