/**
 * Test and bench support: runs Wireshark's tshark on a capture and lists the SIP Call-IDs it
 * finds. Absent tshark is an error under CI=true (the round trip must not pass by skipping).
 */
import { execFileSync, spawnSync } from 'node:child_process';

export function tsharkAvailable(): boolean {
  return spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Why a tshark test cannot run, or null when it can. Throws under CI=true when tshark is missing. */
export function tsharkMissing(): string | null {
  if (tsharkAvailable()) return null;
  const hint = 'tshark is not installed (DEBIAN_FRONTEND=noninteractive apt-get install -y tshark)';
  if (process.env.CI === 'true') throw new Error(`${hint}: the pcap round-trip tests need it under CI`);
  return hint;
}

/** One Call-ID per SIP message tshark decodes in `file` (`tshark -r FILE -Y sip -T fields -e sip.Call-ID`). */
export function tsharkCallIds(file: string): string[] {
  const out = execFileSync('tshark', ['-r', file, '-Y', 'sip', '-T', 'fields', '-e', 'sip.Call-ID'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.split('\n').filter((l) => l.length > 0);
}
