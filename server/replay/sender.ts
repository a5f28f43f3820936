/**
 * Sends HEP packets to a collector over UDP or TCP, rate-limited. Used by `hepflow replay`, the
 * demo, tests and benchmarks.
 */
import dgram from 'node:dgram';
import net from 'node:net';

export interface Target {
  transport: 'udp' | 'tcp';
  host: string;
  port: number;
}

/** "udp://127.0.0.1:9060", "tcp://[::1]:9060" or "127.0.0.1:9060" (UDP). */
export function parseTarget(s: string): Target {
  const m = /^(?:(udp|tcp):\/\/)?(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(s);
  if (!m) throw new Error(`target "${s}" is not of the form udp://host:port or tcp://host:port`);
  return { transport: (m[1] ?? 'udp') as Target['transport'], host: m[2].replace(/^\[|\]$/g, ''), port: Number(m[3]) };
}

export interface SendOptions {
  /** Packets per second; 0 sends as fast as the socket takes them. */
  rate: number;
}

/** Packets sent per timer tick when rate-limited: fine-grained enough for smooth rates up to ~100k/s. */
const TICK_MS = 10;

/** An open connection to a collector that paces what it sends to `rate` packets per second. */
export interface PacedSender {
  send(p: Buffer): Promise<void>;
  close(): Promise<void>;
  readonly sent: number;
}

export async function openSender(target: Target, o: SendOptions): Promise<PacedSender> {
  const sock = target.transport === 'udp' ? await udpSender(target) : await tcpSender(target);
  const every = Math.max(1, Math.floor((o.rate * TICK_MS) / 1000));
  const started = Date.now();
  let sent = 0;
  return {
    get sent() { return sent; },
    async send(p) {
      await sock.write(p);
      sent++;
      if (o.rate > 0 && sent % every === 0) {
        const wait = started + (sent / o.rate) * 1000 - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    },
    close: () => sock.close(),
  };
}

export async function sendPackets(target: Target, packets: Iterable<Buffer> | AsyncIterable<Buffer>, o: SendOptions): Promise<number> {
  const sender = await openSender(target, o);
  try {
    for await (const p of packets) await sender.send(p);
  } finally {
    await sender.close();
  }
  return sender.sent;
}

interface Sender {
  write(p: Buffer): Promise<void>;
  close(): Promise<void>;
}

async function udpSender(t: Target): Promise<Sender> {
  const sock = dgram.createSocket(net.isIPv6(t.host) ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.connect(t.port, t.host, () => { sock.off('error', reject); resolve(); });
  });
  return {
    write: (p) => new Promise((resolve, reject) => sock.send(p, (err) => (err ? reject(err) : resolve()))),
    close: () => new Promise((resolve) => sock.close(() => resolve())),
  };
}

async function tcpSender(t: Target): Promise<Sender> {
  const sock = net.connect(t.port, t.host);
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.once('connect', () => { sock.off('error', reject); resolve(); });
  });
  return {
    // Wait for 'drain' rather than piling up writes in memory.
    write: (p) => sock.write(p) ? Promise.resolve() : new Promise((resolve) => sock.once('drain', () => resolve())),
    close: () => new Promise((resolve) => sock.end(() => resolve())),
  };
}
