/**
 * Datagrams the kernel dropped on a UDP socket of this process for want of room in its receive
 * buffer: the last column ("drops") of /proc/net/udp or udp6, on the socket's row, found by its
 * port among this process's socket inodes. Linux only; elsewhere nothing is counted.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Columns of a /proc/net/udp row, split on blanks: sl, local, remote, st, queues, timer, retransmits, uid, timeout, inode, ref, pointer, drops. */
const INODE = 9;

function rows(table: string): string[][] {
  return table.split('\n').slice(1).map((line) => line.trim().split(/\s+/)).filter((f) => f.length > INODE + 1);
}

/** The inode of the socket bound to local `port` that is one of `own`, in the text of /proc/net/udp(6); null when none. */
export function socketInode(table: string, port: number, own: ReadonlySet<string>): string | null {
  const suffix = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return rows(table).find((f) => f[1].endsWith(suffix) && own.has(f[INODE]))?.[INODE] ?? null;
}

/** The drops count of the socket with `inode`, in the text of /proc/net/udp(6); null when it is not there. */
export function dropsOf(table: string, inode: string): number | null {
  const f = rows(table).find((r) => r[INODE] === inode);
  return f ? Number(f[f.length - 1]) : null;
}

/** Inodes of this process's sockets, from the links in /proc/self/fd ("socket:[12345]"). */
function ownSocketInodes(): Set<string> {
  const out = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m) out.add(m[1]);
    } catch { /* closed meanwhile */ }
  }
  return out;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Kernel drops on one bound socket of this process, as increments. */
export class KernelDrops {
  private readonly path: string;
  private readonly inode: string | null;
  private last = 0;

  constructor(port: number, ipv6: boolean) {
    this.path = ipv6 ? '/proc/net/udp6' : '/proc/net/udp';
    const table = read(this.path);
    this.inode = table === null ? null : socketInode(table, port, ownSocketInodes());
    if (this.inode !== null) this.last = dropsOf(table!, this.inode) ?? 0;
  }

  /** Datagrams dropped since the last call (0 where that cannot be known). */
  take(): number {
    if (this.inode === null) return 0;
    const now = dropsOf(read(this.path) ?? '', this.inode);
    if (now === null || now < this.last) return 0;
    const n = now - this.last;
    this.last = now;
    return n;
  }
}
