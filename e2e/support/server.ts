/**
 * Test support for e2e and bench: runs the real hepflow CLI (`node bin/hepflow.js serve`) on
 * loopback with free ports, and feeds it real HEP over TCP from the scenario library.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const REPO = resolve(import.meta.dirname, '../..');

export interface RunningHepflow {
  http: string;
  hepTcp: { host: string; port: number };
  child: ChildProcess;
  dir: string;
  stop(): Promise<void>;
}

/** Starts the server with a fresh SQLite file in a temp dir; resolves on its "listening" JSON line. */
export async function startHepflow(extraArgs: string[] = []): Promise<RunningHepflow> {
  const dir = mkdtempSync(join(tmpdir(), 'hepflow-e2e-'));
  const args = [
    'bin/hepflow.js', 'serve',
    '--http-host', '127.0.0.1', '--http-port', '0',
    '--hep-host', '127.0.0.1', '--hep-port', '0',
    '--store', join(dir, 'e2e.db'),
    '--web-dir', 'dist/web',
    ...extraArgs,
  ];
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<{ http: string; hepTcp: string }>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`hepflow did not start within 30 s:\n${stderr}`)), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hepflow exited with ${code}:\n${stderr}`));
    });
    lines.on('line', (line) => {
      try {
        const j = JSON.parse(line) as { msg?: string; http?: string; hepTcp?: string };
        if (j.msg === 'listening' && j.http && j.hepTcp) {
          clearTimeout(timer);
          resolveReady({ http: j.http, hepTcp: j.hepTcp });
        }
      } catch {
        // not a JSON line: ignore
      }
    });
  }).catch(async (err) => {
    await stop();
    throw err;
  });
  const i = ready.hepTcp.lastIndexOf(':');
  return { http: ready.http, hepTcp: { host: ready.hepTcp.slice(0, i), port: Number(ready.hepTcp.slice(i + 1)) }, child, dir, stop };
}

/** Sends HEP packets over one TCP connection (HEP3 frames carry their length) and waits for the close. */
export function sendHepTcp(port: number, packets: readonly Buffer[]): Promise<void> {
  return new Promise((resolveSent, reject) => {
    const sock = connect({ host: '127.0.0.1', port }, () => {
      let i = 0;
      const pump = () => {
        while (i < packets.length) {
          if (!sock.write(packets[i++])) {
            sock.once('drain', pump);
            return;
          }
        }
        sock.end();
      };
      pump();
    });
    sock.on('close', () => resolveSent());
    sock.on('error', reject);
  });
}

/** Polls the group until it holds `count` messages (ingest batches are asynchronous). */
export async function waitForGroup(http: string, id: string, count: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const res = await fetch(`${http}/api/v1/groups/${encodeURIComponent(id)}`);
    if (res.ok) {
      const g = (await res.json()) as { messages: unknown[] };
      if (g.messages.length >= count) return;
      last = `${g.messages.length}/${count} messages`;
    } else last = `HTTP ${res.status}`;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`group ${id} not complete: ${last}`);
}
