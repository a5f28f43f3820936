/**
 * A real peer for logs: Kamailio 5.6 (Debian's package) proxies a SIPp call and its script calls
 * siptrace's hlog(), which sends each line as HEP type 100 with the Call-ID (or the id given) as
 * correlation; the lines must land on the call, beside its SIP. 127.0.0.1 only, ports chosen at run time.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metric, startTestServer, waitFor, type TestServer } from '../testing/harness.ts';
import type { ApiCallPage, ApiGroup } from '../api/types.ts';

const MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules/';
const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const missing = ['kamailio', 'sipp'].filter((c) => !have(c));
if (missing.length && process.env.CI === 'true') {
  throw new Error(`${missing.join(' and ')} missing: apt-get install -y kamailio sip-tester`);
}
if (missing.length) console.log(`skipped: no ${missing.join(' or ')} (apt-get install -y kamailio sip-tester)`);

async function freePort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The README's Kamailio setup plus hlog() lines: one with the Call-ID implied, one naming it. */
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
  if (is_method("BYE")) hlog("$ci", "BYE from $fU: call ends");
  if (has_totag() && loose_route()) { t_relay(); exit; }
  if (!has_totag() && is_method("INVITE")) {
    record_route();
    hlog("new call from $fU to $rU");
  }
  $du = "sip:127.0.0.1:${p.uas}";
  if (!t_relay()) sl_reply_error();
}
`;
}

const exited = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code))));

describe.skipIf(missing.length > 0)('Kamailio hlog() as a real HEP log peer', () => {
  let s: TestServer;
  let dir: string;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    s = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'hepflow-hlog-'));
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

  it('files the script log lines on the call they were logged for, in time order among its SIP', async () => {
    const ports = { proxy: await freePort(), uas: await freePort(), uac: await freePort(), hep: s.hepUdp!.port };
    const cfg = join(dir, 'kamailio.cfg');
    writeFileSync(cfg, kamailioCfg(ports));
    const kam = spawn('kamailio', ['-f', cfg, '-DD', '-E', '-Y', dir, '-w', dir], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.push(kam);
    let log = '';
    kam.stdout!.on('data', (d) => { log += d; });
    kam.stderr!.on('data', (d) => { log += d; });
    await waitFor(() => log.includes('Aliases') || kam.exitCode !== null, 'Kamailio to start');
    expect(kam.exitCode, log).toBeNull();

    const uas = spawn('sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(ports.uas), '-m', '1', '-nostdin'], { stdio: 'ignore' });
    children.push(uas);
    const uac = spawn('sipp', ['-sn', 'uac', `127.0.0.1:${ports.proxy}`, '-i', '127.0.0.1', '-p', String(ports.uac), '-m', '1',
      '-nostdin', '-timeout', '15s'], { stdio: 'ignore' });
    children.push(uac);
    expect(await exited(uac)).toBe(0);

    const g = await waitFor(async () => {
      const p = (await s.get<ApiCallPage>(`/api/v1/calls?ip=127.0.0.1`)).body;
      if (p.items.length !== 1) return undefined;
      const grp = (await s.get<ApiGroup>(`/api/v1/groups/${encodeURIComponent(p.items[0].groupId)}`)).body;
      const byeOk = grp.messages.filter((m) => m.cseqMethod === 'BYE' && m.status === 200).length;
      return byeOk >= 2 && grp.messages.filter((m) => m.kind === 'log').length >= 2 ? grp : undefined;
    }, 'the call and its log lines stored', 20_000);

    expect(g.legs).toHaveLength(1);
    const logs = g.messages.filter((m) => m.kind === 'log');
    // hlog() sends from the proxy's socket to the collector: a note on the proxy's lifeline, no collector column.
    expect(logs.every((m) => m.src === `127.0.0.1:${ports.proxy}` && m.dst === m.src)).toBe(true);
    expect(g.endpoints.map((e) => e.port).sort()).toEqual([ports.uac, ports.proxy, ports.uas].sort());
    // SIPp's default scenario: From user "sipp", Request-URI user "service". A retransmitted
    // INVITE or BYE runs the script again, so a line may come twice.
    expect([...new Set(logs.map((m) => m.text))]).toEqual(['new call from sipp to service', 'BYE from sipp: call ends']);
    expect(logs.every((m) => m.callId === g.legs[0].callId && m.leg === 0 && m.protoType === 100 && m.captureIds.join() === '2001')).toBe(true);
    // Each line sits after the request that triggered it and before that request is relayed.
    const order = g.messages.map((m) => (m.kind === 'log' ? `log:${m.text}` : `${m.label}:${m.src}>${m.dst}`));
    const at = (x: string) => order.indexOf(x);
    expect(at(`INVITE:127.0.0.1:${ports.uac}>127.0.0.1:${ports.proxy}`)).toBeLessThan(at('log:new call from sipp to service'));
    expect(at('log:new call from sipp to service')).toBeLessThan(at(`INVITE:127.0.0.1:${ports.proxy}>127.0.0.1:${ports.uas}`));
    const text = (await s.get<string>('/metrics')).body;
    expect(metric(text, 'hepflow_packets_rejected_total{reason="no-correlation-id"}')).toBe(0);
  });
});
