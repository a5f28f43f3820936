/**
 * Kamailio proxying a SIPp call on 127.0.0.1, for the tests that use them as real HEP peers.
 * What made these tests flaky under load lives here once: ports that another test's ephemeral
 * socket could take, and Kamailio workers relaying the ACK and the BYE in the wrong order.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './harness.ts';

const MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules/';
const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** The peers this machine lacks; with CI=true a missing peer fails the suite instead of skipping it. */
export function missingPeers(): string[] {
  const missing = ['kamailio', 'sipp'].filter((c) => !have(c));
  if (missing.length && process.env.CI === 'true') {
    throw new Error(`${missing.join(' and ')} missing: apt-get install -y kamailio sip-tester`);
  }
  if (missing.length) console.log(`skipped: no ${missing.join(' or ')} (apt-get install -y kamailio sip-tester)`);
  return missing;
}

/**
 * A UDP port free right now on 127.0.0.1, below the kernel's ephemeral range (32768 up): a port
 * probed there and released can be taken by any test's unbound socket before Kamailio or SIPp binds it.
 */
export async function sipPort(): Promise<number> {
  for (;;) {
    const port = 10_000 + Math.floor(Math.random() * 22_000);
    const s = dgram.createSocket('udp4');
    const ok = await new Promise<boolean>((r) => {
      s.once('error', () => r(false));
      s.bind(port, '127.0.0.1', () => r(true));
    });
    await new Promise<void>((r) => s.close(() => r()));
    if (ok) return port;
  }
}

export interface Ports { proxy: number; uas: number; uac: number; hep: number }

export async function callPorts(hep: number): Promise<Ports> {
  return { proxy: await sipPort(), uas: await sipPort(), uac: await sipPort(), hep };
}

/**
 * The README's Kamailio setup around the given request_route body. One worker: with several, the
 * ACK and the BYE SIPp sends back to back can be relayed in either order, and SIPp's UAS fails a
 * BYE that overtakes the ACK.
 */
function kamailioCfg(p: Ports, route: string): string {
  return `#!KAMAILIO
debug=1
log_stderror=yes
fork=no
children=1
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
${route}
  $du = "sip:127.0.0.1:${p.uas}";
  if (!t_relay()) sl_reply_error();
}
`;
}

/** Processes to kill after the suite, each with its process group (Kamailio starts helpers). */
export class Peers {
  private readonly children: ChildProcess[] = [];

  constructor(private readonly dir: string) {}

  /** Starts Kamailio with `route` and answers once it listed its sockets, or throws with its log. */
  async kamailio(ports: Ports, route: string): Promise<void> {
    const cfg = join(this.dir, 'kamailio.cfg');
    writeFileSync(cfg, kamailioCfg(ports, route));
    const kam = this.spawn('kamailio', ['-f', cfg, '-DD', '-E', '-Y', this.dir, '-w', this.dir], true);
    let log = '';
    kam.stdout!.on('data', (d) => { log += d; }); // it lists its sockets and aliases here once ready
    kam.stderr!.on('data', (d) => { log += d; });
    await waitFor(() => log.includes('Aliases') || kam.exitCode !== null, 'Kamailio to start');
    if (kam.exitCode !== null) throw new Error(`Kamailio exited ${kam.exitCode}:\n${log}`);
  }

  /**
   * One call of SIPp's built-in scenarios through the proxy; resolves once the caller is done and
   * throws with SIPp's error log when the call failed. The callee listens before the caller starts.
   */
  async call(ports: Ports): Promise<void> {
    const errors = join(this.dir, 'uac-errors.log');
    const uas = this.spawn('sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(ports.uas), '-m', '1', '-nostdin'], false);
    await waitFor(() => udpBound(ports.uas) || uas.exitCode !== null, 'the SIPp callee to listen');
    const uac = this.spawn('sipp', ['-sn', 'uac', `127.0.0.1:${ports.proxy}`, '-i', '127.0.0.1', '-p', String(ports.uac), '-m', '1',
      '-nostdin', '-timeout', '15s', '-trace_err', '-error_file', errors], false);
    const code = await exited(uac);
    if (code !== 0) throw new Error(`SIPp caller exited ${code}:\n${existsSync(errors) ? readFileSync(errors, 'utf8') : '(no error log)'}`);
  }

  stopAll(): void {
    for (const c of this.children) {
      try {
        process.kill(-c.pid!, 'SIGKILL');
      } catch {
        c.kill('SIGKILL');
      }
    }
  }

  private spawn(cmd: string, args: string[], piped: boolean): ChildProcess {
    const c = spawn(cmd, args, { stdio: piped ? ['ignore', 'pipe', 'pipe'] : 'ignore', detached: true, cwd: this.dir });
    this.children.push(c);
    return c;
  }
}

const exited = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code))));

/** Whether something holds UDP `port` on 127.0.0.1, read from /proc (no probe socket that could race it). */
function udpBound(port: number): boolean {
  const hex = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/udp', 'utf8').includes(hex);
}
