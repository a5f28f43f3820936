/**
 * The stall benchmark's ingest, in a process of its own: HEPv3 over UDP (bench/traffic.ts
 * benchPacket) at `rate` packets/s for `seconds`, sent in 5 ms ticks that catch up with the clock.
 * Prints one JSON line: packets sent, and refusals seen.
 *
 *   node --import tsx bench/stall/udp-sender.ts PORT RATE SECONDS FIRST_INDEX
 */
import dgram from 'node:dgram';
import { benchPacket } from '../traffic.ts';

const [port, rate, seconds, first] = process.argv.slice(2, 6).map(Number);
const total = Math.round(rate * seconds);
const base = Date.now() * 1000;
const sock = dgram.createSocket('udp4');
// A refusal (ICMP port unreachable: no receiver) is counted; those packets are lost, which the
// benchmark sees as sent and not stored.
let refused = 0;
sock.on('error', () => { refused++; });
await new Promise<void>((r) => sock.connect(port, '127.0.0.1', r));
const t0 = performance.now();
let sent = 0;
while (sent < total) {
  const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
  for (; sent < due; sent++) sock.send(benchPacket(first + sent, base));
  await new Promise((r) => setTimeout(r, 5));
}
await new Promise<void>((r) => sock.close(() => r()));
console.log(JSON.stringify({ sent, refused, seconds: (performance.now() - t0) / 1000 }));
