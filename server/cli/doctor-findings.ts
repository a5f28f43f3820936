/**
 * `hepflow doctor`'s judgements: what each probe found (doctor.ts does the I/O) turned into a
 * finding with its level and, when something needs doing, the fix to print. Pure.
 */
import { UDP_RECV_BUFFER_BYTES } from '../config.ts';

export type Level = 'ok' | 'warn' | 'fail';

export interface Finding {
  check: string;
  level: Level;
  detail: string;
  fix?: string;
}

/** What binding a port showed: free, taken (by whom, when the running hepflow answered), or refused. */
export type PortProbe = { state: 'free' } | { state: 'in-use'; hepflow: boolean } | { state: 'denied' } | { state: 'error'; message: string };

export function portFinding(check: string, endpoint: string, flag: string, probe: PortProbe): Finding {
  switch (probe.state) {
    case 'free':
      return { check, level: 'ok', detail: `${endpoint} is free` };
    case 'in-use':
      return probe.hepflow
        ? { check, level: 'ok', detail: `${endpoint} is bound by the running hepflow` }
        : { check, level: 'fail', detail: `${endpoint} is in use by another process`,
          fix: `find it with "ss -lntup | grep :${endpoint.split(':').pop()}" and stop it, or choose another port with ${flag}` };
    case 'denied':
      return { check, level: 'fail', detail: `${endpoint}: permission denied`,
        fix: `use a port from 1024 up with ${flag}, or grant CAP_NET_BIND_SERVICE (AmbientCapabilities= in the systemd unit)` };
    case 'error':
      return { check, level: 'fail', detail: `${endpoint}: ${probe.message}`, fix: `check the address given with ${flag.replace('port', 'host')}` };
  }
}

/** net.core.rmem_max against the receive buffer the UDP socket asks for. */
export function rmemFinding(rmemMax: number | null, wanted = UDP_RECV_BUFFER_BYTES): Finding {
  const check = 'UDP receive buffer';
  if (rmemMax === null) return { check, level: 'warn', detail: 'net.core.rmem_max could not be read (not Linux?)' };
  if (rmemMax >= wanted) return { check, level: 'ok', detail: `net.core.rmem_max ${rmemMax} bytes covers the ${wanted} hepflow asks for` };
  return {
    check, level: 'warn',
    detail: `net.core.rmem_max is ${rmemMax} bytes: the UDP socket gets that instead of ${wanted}, and bursts may be lost in the kernel`,
    fix: `sysctl -w net.core.rmem_max=${wanted}, and to keep it: echo net.core.rmem_max=${wanted} > /etc/sysctl.d/60-hepflow.conf (TCP senders need none of this)`,
  };
}

/** The local clock's NTP state (timedatectl), and its distance from PostgreSQL's clock when there is one. */
export function clockFindings(ntpSynchronized: boolean | null, skewMs: number | null): Finding[] {
  const check = 'clock';
  const out: Finding[] = [];
  if (ntpSynchronized === false) {
    out.push({ check, level: 'warn', detail: 'the system clock is not synchronised (timedatectl: NTPSynchronized=no)',
      fix: 'enable time synchronisation: timedatectl set-ntp true (systemd-timesyncd or chrony)' });
  } else if (ntpSynchronized === true) {
    out.push({ check, level: 'ok', detail: 'the system clock is synchronised (NTP)' });
  } else {
    out.push({ check, level: 'ok', detail: 'NTP state unknown here (no timedatectl); the clock reads ' + new Date().toISOString() });
  }
  if (skewMs !== null) {
    out.push(Math.abs(skewMs) <= MAX_SKEW_MS
      ? { check, level: 'ok', detail: `PostgreSQL's clock is ${Math.round(skewMs)} ms from this one` }
      : { check, level: 'warn', detail: `PostgreSQL's clock is ${Math.round(skewMs)} ms from this one: partitions are made for the wrong hour`,
        fix: 'synchronise both machines with NTP' });
  }
  return out;
}

/**
 * Largest clock distance to PostgreSQL that is not reported, ms: a round trip on a LAN plus NTP's
 * usual error is far below it; past it, partitions made ahead by time are for the wrong hour.
 */
export const MAX_SKEW_MS = 1000;

/** What PostgreSQL showed: privileges, Homer's tables, and the partitions covering now. */
export interface PostgresProbe {
  canCreate: boolean;
  /** Homer's parent tables that are missing. */
  missingTables: string[];
  /** Parent tables without a partition for the current time. */
  withoutCurrentPartition: string[];
}

export function postgresFindings(p: PostgresProbe): Finding[] {
  const out: Finding[] = [];
  if (!p.canCreate) {
    out.push({ check: 'PostgreSQL', level: p.missingTables.length ? 'fail' : 'warn',
      detail: 'this user may not CREATE TABLE in the database: hepflow makes Homer\'s tables and each new partition itself',
      fix: 'GRANT CREATE ON DATABASE <db> TO <user> (and on schema public), or connect as the database owner' });
  } else {
    out.push({ check: 'PostgreSQL', level: 'ok', detail: 'reachable; this user may create tables and partitions' });
  }
  if (p.missingTables.length) {
    out.push({ check: 'PostgreSQL schema', level: p.canCreate ? 'ok' : 'fail',
      detail: `${p.missingTables.length} of Homer 7's tables are missing (${p.missingTables.join(', ')})${p.canCreate ? ': hepflow creates them at start' : ''}` });
  } else {
    out.push({ check: 'PostgreSQL schema', level: 'ok', detail: 'Homer 7\'s tables are present' });
    out.push(p.withoutCurrentPartition.length
      ? { check: 'PostgreSQL partitions', level: 'warn', detail: `no partition for the current time in ${p.withoutCurrentPartition.join(', ')}`,
        fix: 'start hepflow (it makes them ahead of time), or check that heplify-server\'s rotator runs if it owns this database' }
      : { check: 'PostgreSQL partitions', level: 'ok', detail: 'every table has a partition for the current time' });
  }
  return out;
}

/** One line per finding, then its fix; the last line counts them. */
export function formatFindings(findings: readonly Finding[]): string {
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${f.level.toUpperCase().padEnd(5)}${f.check}: ${f.detail}`);
    if (f.fix) lines.push(`     fix: ${f.fix}`);
  }
  const n = (l: Level) => findings.filter((f) => f.level === l).length;
  lines.push(`${n('ok')} ok, ${n('warn')} warnings, ${n('fail')} failed`);
  return lines.join('\n') + '\n';
}
