/**
 * Plain-text export: one block per message with its time (UTC, µs), source → destination,
 * transport, then the raw SIP, blocks separated by a blank line.
 */
import { formatEndpoint } from '../hep/inet.ts';
import type { WireMessage } from './write.ts';

/** "2024-05-01 12:00:00.123456 UTC" from µs since the epoch. */
export function formatTime(ts: number): string {
  const ms = Math.floor(ts / 1000);
  const iso = new Date(ms).toISOString(); // 2024-05-01T12:00:00.123Z
  const micros = String(Math.floor(ts % 1_000_000)).padStart(6, '0');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${micros} UTC`;
}

export function formatText(messages: Iterable<WireMessage>): string {
  const blocks: string[] = [];
  for (const m of messages) {
    const raw = typeof m.payload === 'string' ? m.payload : m.payload.toString('utf8');
    const head = `${formatTime(m.ts)}  ${formatEndpoint(m.srcIp, m.srcPort)} -> ${formatEndpoint(m.dstIp, m.dstPort)}  ${m.transport.toUpperCase()}`;
    // Line endings as stored; the block ends with exactly one line break before the separator.
    blocks.push(`${head}\n${raw.replace(/\r?\n$/, '')}\n`);
  }
  return blocks.join('\n');
}
