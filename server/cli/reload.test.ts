/**
 * SIGHUP on the real `hepflow serve`: aliases and correlation headers are read again from the
 * config file while HEP keeps arriving over UDP, and every message sent across the reload is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { encodeHep3 } from '../hep/encode.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../hep/chunks.ts';
import { defaults } from '../config.ts';
import { waitFor } from '../testing/harness.ts';
import { startServe } from '../testing/cli-process.ts';
import { applyReload } from './reload.ts';

const T = Math.floor(Date.now() / 1000);

function hep(n: number, sip: string): Buffer {
  return encodeHep3({ ipProtocol: IP_PROTOCOL.udp, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060, dstPort: 5060,
    tsSec: T, tsUsec: n * 100, protoType: PROTO_TYPE.sip, captureId: 7, payload: sip });
}

function invite(callId: string, extra: string[] = []): string {
  return [`INVITE sip:bob@10.0.0.2 SIP/2.0`, `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-${callId}`,
    `From: <sip:alice@10.0.0.1>;tag=a-${callId}`, `To: <sip:bob@10.0.0.2>`, `Call-ID: ${callId}`, `CSeq: 1 INVITE`,
    ...extra, 'Content-Length: 0', '', ''].join('\r\n');
}

function options(n: number): string {
  return [`OPTIONS sip:probe@10.0.0.2 SIP/2.0`, `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-o${n}`,
    `From: <sip:mon@10.0.0.1>;tag=${n}`, `To: <sip:probe@10.0.0.2>`, `Call-ID: seq-${n}`, `CSeq: 1 OPTIONS`,
    'Content-Length: 0', '', ''].join('\r\n');
}

describe('applyReload', () => {
  it('takes the aliases and correlation headers, and nothing else', () => {
    const running = { ...defaults, aliases: { '10.0.0.1': 'Old' } };
    const fresh = { ...defaults, aliases: { '10.0.0.1': 'New' }, correlationHeaders: ['X-Leg-Of'], hepPort: 1, batchSize: 3 };
    expect(applyReload(running, fresh)).toEqual(['aliases', 'correlationHeaders']);
    expect(running).toEqual({ ...defaults, aliases: { '10.0.0.1': 'New' }, correlationHeaders: ['X-Leg-Of'] });
    expect(applyReload(running, fresh)).toEqual([]);
  });
});

describe('hepflow serve on SIGHUP', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'hepflow-reload-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reloads aliases and correlation headers from the config file without losing a packet', { timeout: 60_000 }, async () => {
    const file = join(dir, 'hepflow.json');
    const store = join(dir, 'reload.db');
    writeFileSync(file, JSON.stringify({ aliases: { '10.0.0.1': 'Old SBC' }, correlationHeaders: ['X-CID'] }));
    const p = await startServe(store, ['--config', file, '--no-tcp']);
    const socket = dgram.createSocket('udp4');
    const send = (b: Buffer) => new Promise<void>((resolve, reject) => socket.send(b, p.hepPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    const N = 600;
    try {
      const aliases = async () => ((await (await fetch(`${p.http}/api/v1/config`)).json()) as { aliases: Record<string, string> }).aliases;
      expect(await aliases()).toEqual({ '10.0.0.1': 'Old SBC' });

      writeFileSync(file, JSON.stringify({ aliases: { '10.0.0.1': 'New SBC' }, correlationHeaders: ['X-Leg-Of'] }));
      // A steady stream of OPTIONS with the reload in its middle.
      for (let n = 0; n < N; n++) {
        await send(hep(n, options(n)));
        if (n === N / 2) p.child.kill('SIGHUP');
        if (n % 50 === 49) await new Promise((r) => setTimeout(r, 5));
      }
      const reloaded = await p.line('reloaded');
      expect(reloaded.changed).toEqual(['aliases', 'correlationHeaders']);
      expect(await aliases()).toEqual({ '10.0.0.1': 'New SBC' });

      // The new header links a B-leg to its A-leg; the old one no longer counts.
      await send(hep(N, invite('a-leg-1')));
      // c-leg-1 first: once b-leg-1 shows, c-leg-1, sent before it on the same socket, has been ingested.
      await send(hep(N + 1, invite('c-leg-1', ['X-CID: a-leg-1'])));
      await send(hep(N + 2, invite('b-leg-1', ['X-Leg-Of: a-leg-1'])));
      const group = await waitFor(async () => {
        const r = await fetch(`${p.http}/api/v1/groups/a-leg-1`);
        const g = r.status === 200 ? ((await r.json()) as { callIds: string[] }) : null;
        return g?.callIds.includes('b-leg-1') ? g : undefined;
      }, 'b-leg-1 grouped with a-leg-1');
      expect(group.callIds.sort()).toEqual(['a-leg-1', 'b-leg-1']);
    } finally {
      socket.close();
      p.child.kill('SIGTERM');
    }
    expect((await p.exited).code).toBe(0);
    const db = new Database(store, { readonly: true });
    try {
      expect(db.prepare("SELECT count(DISTINCT call_id) FROM messages WHERE call_id LIKE 'seq-%'").pluck().get()).toBe(N);
    } finally {
      db.close();
    }
  });
});
