/** Shared by the benchmarks: a hepflow server in a child process, and its CPU and memory from /proc. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ServerProcess {
  child: ChildProcess;
  http: string;
  hepPort: number;
  stop(): Promise<void>;
}

/** Starts `hepflow serve` on free ports and waits for its "listening" line. */
export async function spawnServer(args: string[]): Promise<ServerProcess> {
  // The same V8 flag as bin/hepflow.js's shebang and `npm start`.
  const child = spawn(process.execPath, ['--max-semi-space-size=64', 'bin/hepflow.js', 'serve', '--http-port', '0', '--hep-port', '0',
    '--hep-host', '127.0.0.1', '--retention-days', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const listening = await new Promise<any>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    lines.on('line', (l) => {
      try {
        const j = JSON.parse(l);
        if (j.msg === 'listening') resolve(j);
      } catch { /* not JSON */ }
    });
  });
  return {
    child,
    http: listening.http,
    hepPort: listening.hepUdp ? Number(listening.hepUdp.split(':').pop()) : 0,
    stop: () => new Promise((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); }),
  };
}

const TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICKS;
}

/** Resident memory now and at its peak, MiB. */
export function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function metricValue(http: string, series: string): Promise<number> {
  const text = await (await fetch(`${http}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** CPU seconds per thread of a process, by thread name (threads of one name summed; the main thread is "main"). */
export function threadCpuSeconds(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = Number(tid) === pid ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(name, (out.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) / TICKS);
    } catch { /* the thread ended */ }
  }
  return out;
}
