/**
 * A stored group as an export file: pcap (write.ts) or plain text (text.ts), optionally only the
 * messages the web app's filter kept. Pure: the caller fetched the group and writes the bytes.
 */
import type { GroupRecord, StoredMessage } from '../store/types.ts';
import { formatText } from './text.ts';
import { writePcap, type WireMessage } from './write.ts';

export type ExportFormat = 'pcap' | 'text';

export interface ExportFile {
  body: Buffer;
  /** Messages written. */
  messages: number;
  contentType: string;
  /** A file name safe for Content-Disposition and file systems: "<group id>.pcap". */
  fileName: string;
}

/** application/vnd.tcpdump.pcap is the IANA type for pcap (RFC 8773 era registration). */
const CONTENT_TYPE: Record<ExportFormat, string> = {
  pcap: 'application/vnd.tcpdump.pcap',
  text: 'text/plain; charset=utf-8',
};

/** The messages to export: all of the group, or those whose id is in `ids`, in time order. */
export function selectMessages(group: GroupRecord, ids?: readonly string[] | null): StoredMessage[] {
  if (!ids || ids.length === 0) return group.messages;
  const wanted = new Set(ids);
  return group.messages.filter((m) => wanted.has(m.id));
}

export function exportGroup(group: GroupRecord, format: ExportFormat, ids?: readonly string[] | null): ExportFile {
  const messages = selectMessages(group, ids).map(toWire);
  const body = format === 'pcap' ? writePcap(messages) : Buffer.from(formatText(messages), 'utf8');
  const safeId = group.groupId.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100) || 'group';
  return { body, messages: messages.length, contentType: CONTENT_TYPE[format], fileName: `${safeId}.${format === 'pcap' ? 'pcap' : 'txt'}` };
}

function toWire(m: StoredMessage): WireMessage {
  return { ts: m.ts, srcIp: m.srcIp, srcPort: m.srcPort, dstIp: m.dstIp, dstPort: m.dstPort, transport: m.transport, payload: m.raw };
}
