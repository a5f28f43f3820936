/**
 * Streaming capture reader: feed it chunks as they come from a file or an upload, and it calls
 * back with each packet record. It holds only the bytes of the record it is in the middle of.
 * Classic pcap is parsed here; pcapng blocks in pcapng.ts.
 */
import { PCAP_MAGIC, BLOCK } from './numbers.ts';
import { PcapngParser } from './pcapng.ts';

/** One packet record as stored in the file. */
export interface CapturePacket {
  /** Capture time, microseconds since the Unix epoch. */
  ts: number;
  /** LINKTYPE_* of the interface that captured it. */
  linkType: number;
  /** The captured bytes (may be shorter than origLen when the snap length cut it). */
  data: Buffer;
  /** pcapng interface index within its section; 0 for classic pcap. */
  interfaceId: number;
  /** Length of the packet on the wire, bytes. */
  origLen: number;
}

/** Where reading stopped early, for a truncated or corrupt file. */
export interface ReadStop {
  /** Byte offset in the file of the record or block that could not be read. */
  offset: number;
  /** 1-based number of the packet record that could not be read. */
  packet: number;
  reason: string;
}

export type CaptureFormat = 'pcap' | 'pcapng';

/** Thrown when the first bytes are neither a pcap nor a pcapng magic. */
export class NotCaptureError extends Error {
  constructor(first: Buffer) {
    const hex = [...first.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const text = first.subarray(0, 8).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
    super(first.length === 0 ? 'not a pcap or pcapng file: it is empty' : `not a pcap or pcapng file: first bytes ${hex} ("${text}")`);
    this.name = 'NotCaptureError';
  }
}

/** pcap-savefile(5) header is 24 bytes; each record header 16 bytes. */
const PCAP_HEADER_LEN = 24;
const PCAP_RECORD_HEADER_LEN = 16;
/** Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD: larger records mean a corrupt file. */
const MAX_RECORD_LEN = 262144;

/**
 * Recognises the format from the first 4 bytes; null when they are no capture magic.
 * Exported so callers can refuse a file before touching anything.
 */
export function sniffFormat(first4: Buffer): CaptureFormat | null {
  if (first4.length < 4) return null;
  const be = first4.readUInt32BE(0);
  if (be === BLOCK.section) return 'pcapng';
  const magics: number[] = Object.values(PCAP_MAGIC);
  return magics.includes(be) ? 'pcap' : null;
}

export class CaptureReader {
  format: CaptureFormat | null = null;
  /** Packet records delivered so far. */
  packets = 0;
  /** Set once the file turned out corrupt; later bytes are ignored. */
  stop: ReadStop | null = null;
  /** Bytes consumed (whole records and headers), i.e. the file offset of `pending`. */
  private consumed = 0;
  private pending: Buffer = Buffer.alloc(0);
  private pcap: { le: boolean; nano: boolean; linkType: number; recordLimit: number } | null = null;
  private ng: PcapngParser | null = null;

  constructor(private readonly onPacket: (p: CapturePacket) => void) {}

  /** Total bytes pushed so far. */
  get bytesIn(): number {
    return this.consumed + this.pending.length;
  }

  /** Feeds the next chunk. Throws NotCaptureError when the first bytes are no capture magic. */
  push(chunk: Buffer): void {
    if (this.stop) return;
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    if (this.format === null) {
      if (buf.length < 4) {
        this.pending = buf;
        return;
      }
      this.format = sniffFormat(buf);
      if (this.format === null) throw new NotCaptureError(buf);
      if (this.format === 'pcapng') this.ng = new PcapngParser();
    }
    const used = this.format === 'pcap' ? this.parsePcap(buf) : this.parseNg(buf);
    this.consumed += used;
    // Copy the remainder so the chunk it came from can be freed; it is at most one record.
    this.pending = used === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(used));
  }

  /** Ends the input. Returns where reading stopped, or null when the file was read whole. */
  end(): ReadStop | null {
    if (this.stop) return this.stop;
    if (this.format === null) throw new NotCaptureError(this.pending);
    if (this.pending.length > 0) {
      const where = this.pcap === null && this.format === 'pcap' ? 'the file header' : this.format === 'pcap' ? 'a packet record' : 'a block';
      this.stop = { offset: this.consumed, packet: this.packets + 1, reason: `file ends inside ${where} (${this.pending.length} bytes left over)` };
    }
    return this.stop;
  }

  private halt(offset: number, reason: string): void {
    this.stop = { offset: this.consumed + offset, packet: this.packets + 1, reason };
  }

  /** Parses whole pcap records from buf; returns the bytes used. */
  private parsePcap(buf: Buffer): number {
    let pos = 0;
    if (this.pcap === null) {
      if (buf.length < PCAP_HEADER_LEN) return 0;
      const magic = buf.readUInt32BE(0);
      const le = magic === PCAP_MAGIC.usecLE || magic === PCAP_MAGIC.nsecLE;
      const nano = magic === PCAP_MAGIC.nsecBE || magic === PCAP_MAGIC.nsecLE;
      const snaplen = le ? buf.readUInt32LE(16) : buf.readUInt32BE(16);
      // The upper bits of the link-type field carry FCS information (pcap-savefile(5)).
      const linkType = (le ? buf.readUInt32LE(20) : buf.readUInt32BE(20)) & 0xffff;
      this.pcap = { le, nano, linkType, recordLimit: Math.min(Math.max(MAX_RECORD_LEN, snaplen), 16 << 20) };
      pos = PCAP_HEADER_LEN;
    }
    const { le, nano, linkType, recordLimit } = this.pcap;
    while (buf.length - pos >= PCAP_RECORD_HEADER_LEN) {
      const sec = le ? buf.readUInt32LE(pos) : buf.readUInt32BE(pos);
      const frac = le ? buf.readUInt32LE(pos + 4) : buf.readUInt32BE(pos + 4);
      const capLen = le ? buf.readUInt32LE(pos + 8) : buf.readUInt32BE(pos + 8);
      const origLen = le ? buf.readUInt32LE(pos + 12) : buf.readUInt32BE(pos + 12);
      if (capLen > recordLimit) {
        this.halt(pos, `corrupt packet record: captured length ${capLen} exceeds ${recordLimit}`);
        return pos;
      }
      const end = pos + PCAP_RECORD_HEADER_LEN + capLen;
      if (end > buf.length) break;
      const ts = sec * 1_000_000 + (nano ? Math.floor(frac / 1000) : frac);
      this.packets++;
      this.onPacket({ ts, linkType, data: buf.subarray(pos + PCAP_RECORD_HEADER_LEN, end), interfaceId: 0, origLen });
      pos = end;
    }
    return pos;
  }

  private parseNg(buf: Buffer): number {
    const ng = this.ng!;
    const used = ng.parse(buf, (p) => {
      this.packets++;
      this.onPacket(p);
    });
    if (ng.error) this.halt(used, ng.error);
    return used;
  }
}
