/**
 * A real peer: Kamailio 5.6 (Debian's package) proxies a SIPp call and mirrors every SIP message
 * to hepflow as HEPv3 with siptrace's trace_mode=1, exactly as the README tells users to set it up.
 * Everything runs on 127.0.0.1 with ports chosen at run time.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, waitFor, type TestServer } from '../testing/harness.ts';
import type { ApiCallPage, ApiGroup } from '../api/types.ts';

const MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules/';
const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const missing = ['kamailio', 'sipp'].filter((c) => !have(c));
if (missing.length && process.env.CI === 'true') {
  throw new Error(`${missing.join(' and ')} missing: apt-get install -y kamailio sip-tester`);
}
if (missing.length) console.log(`skipped: no ${missing.join(' or ')} (apt-get install -y kamailio sip-tester)`);

/** A UDP port free right now on 127.0.0.1. */
async function freePort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function kamailioCfg(p: { proxy: number; uas: number; hep: number }): string {
  return `#!KAMAILIO
debug=1
log_stderror=yes
fork=no
listen=udp:127.0.0.1:${p.proxy}
dns=no
rev_dns=no
auto_aliases=no
mpath="${MODULES}"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "siptrace.so"
modparam("rr", "append_fromtag", 1)
modparam("siptrace", "duplicate_uri", "sip:127.0.0.1:${p.hep}")
modparam("siptrace", "hep_mode_on", 1)
modparam("siptrace", "hep_version", 3)
modparam("siptrace", "hep_capture_id", 2001)
modparam("siptrace", "trace_to_database", 0)
modparam("siptrace", "trace_on", 1)
modparam("siptrace", "trace_mode", 1)
request_route {
  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
  if (is_method("CANCEL")) { if (t_check_trans()) t_relay(); exit; }
  if (has_totag() && loose_route()) { t_relay(); exit; }
  if (!has_totag() && is_method("INVITE|SUBSCRIBE|REFER")) record_route();
  $du = "sip:127.0.0.1:${p.uas}";
  if (!t_relay()) sl_reply_error();
}
`;
}

const exited = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code))));

describe.skipIf(missing.length > 0)('Kamailio siptrace as a real HEP peer', () => {
  let s: TestServer;
  let dir: string;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    s = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'hepflow-kamailio-'));
  });
  afterAll(async () => {
    for (const c of children) {
      try {
        process.kill(-c.pid!, 'SIGKILL'); // the group, for Kamailio's helper processes
      } catch {
        c.kill('SIGKILL');
      }
    }
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the 13 distinct messages of a call proxied by Kamailio, as one call with capture id 2001', async () => {
    const ports = { proxy: await freePort(), uas: await freePort(), uac: await freePort(), hep: s.hepUdp!.port };
    const cfg = join(dir, 'kamailio.cfg');
    writeFileSync(cfg, kamailioCfg(ports));
    // Its own process group: Kamailio starts helper processes, and all of them must stop after.
    const kam = spawn('kamailio', ['-f', cfg, '-DD', '-E', '-Y', dir, '-w', dir], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.push(kam);
    let log = '';
    kam.stdout!.on('data', (d) => { log += d; }); // it lists its sockets and aliases here once ready
    kam.stderr!.on('data', (d) => { log += d; });
    await waitFor(() => log.includes('Aliases') || kam.exitCode !== null, 'Kamailio to start');
    expect(kam.exitCode, log).toBeNull();

    const uas = spawn('sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(ports.uas), '-m', '1', '-nostdin'], { stdio: 'ignore' });
    children.push(uas);
    const uac = spawn('sipp', ['-sn', 'uac', `127.0.0.1:${ports.proxy}`, '-i', '127.0.0.1', '-p', String(ports.uac), '-m', '1',
      '-nostdin', '-timeout', '15s'], { stdio: 'ignore' });
    children.push(uac);
    expect(await exited(uac)).toBe(0);

    // The call is whole once the 200 OK to BYE crossed both hops. On a loaded machine SIPp or
    // Kamailio may retransmit; a retransmission is a real packet on the wire and is kept, so the
    // count is at least the 13 distinct messages rather than exactly 13.
    const page = await waitFor(async () => {
      const p = (await s.get<ApiCallPage>(`/api/v1/calls?ip=127.0.0.1`)).body;
      if (p.items.length !== 1) return undefined;
      const g = (await s.get<ApiGroup>(`/api/v1/groups/${encodeURIComponent(p.items[0].groupId)}`)).body;
      const byeOk = g.messages.filter((m) => m.cseqMethod === 'BYE' && m.status === 200).length;
      return byeOk >= 2 && p.items[0].messages >= 13 ? p : undefined;
    }, 'the call stored', 20_000);
    const g = (await s.get<ApiGroup>(`/api/v1/groups/${encodeURIComponent(page.items[0].groupId)}`)).body;
    const distinct = new Set(g.messages.map((m) => `${m.src}>${m.dst} ${m.label} ${m.cseq}`));
    expect(distinct.size).toBe(13);
    expect(g.legs).toHaveLength(1);
    // trace_mode=1 sends no correlation id (chunk 0x0011): the Call-ID alone groups the call.
    expect(g.messages.every((m) => m.captureIds.join() === '2001' && m.hepCorrelationId === null && m.transport === 'udp')).toBe(true);
    expect(g.messages.map((m) => m.label)).toEqual(expect.arrayContaining(['INVITE', '180 Ringing', '200 OK', 'ACK', 'BYE']));
    expect(new Set(g.endpoints.map((e) => e.port))).toEqual(new Set([ports.uac, ports.proxy, ports.uas]));
    expect(g.messages.filter((m) => m.method === 'INVITE').map((m) => [m.src, m.dst])).toEqual([
      [`127.0.0.1:${ports.uac}`, `127.0.0.1:${ports.proxy}`],
      [`127.0.0.1:${ports.proxy}`, `127.0.0.1:${ports.uas}`],
    ]);
  });
});
