/**
 * pcapng block parser (draft-ietf-opsawg-pcapng): sections in either byte order, interfaces
 * with their own link types and timestamp resolutions, EPB / SPB / obsolete packet blocks.
 * Other block types are skipped by their length.
 */
import { BLOCK, IDB_OPTION, PCAPNG_BYTE_ORDER_MAGIC } from './numbers.ts';
import type { CapturePacket } from './reader.ts';

interface Iface {
  linkType: number;
  snapLen: number;
  /** Timestamp units per second, as a BigInt when not 10^6 (then `micro` is false). */
  unitsPerSec: bigint;
  micro: boolean;
  /** if_tsoffset, seconds. */
  offsetSec: number;
}

/** Blocks larger than this mean a corrupt length field (Wireshark caps blocks at 16 MiB too). */
const MAX_BLOCK_LEN = 16 << 20;
/** Block header (type, length) + trailing length. */
const BLOCK_OVERHEAD = 12;

export class PcapngParser {
  /** Why parsing stopped, null while the file is sound. */
  error: string | null = null;
  private le = true;
  private ifaces: Iface[] = [];
  /** Last timestamp seen, for SPBs, which carry none (§4.4). */
  private lastTs = 0;

  /** Parses whole blocks from buf, calling onPacket per packet; returns the bytes used. */
  parse(buf: Buffer, onPacket: (p: CapturePacket) => void): number {
    let pos = 0;
    while (buf.length - pos >= BLOCK_OVERHEAD) {
      const typeBE = buf.readUInt32BE(pos);
      if (typeBE === BLOCK.section) {
        // The SHB's byte-order magic decides how this section's numbers read (§4.1).
        const magic = buf.readUInt32LE(pos + 8);
        if (magic === PCAPNG_BYTE_ORDER_MAGIC) this.le = true;
        else if (buf.readUInt32BE(pos + 8) === PCAPNG_BYTE_ORDER_MAGIC) this.le = false;
        else return this.fail(pos, 'corrupt section header: bad byte-order magic');
      }
      const le = this.le;
      const type = le ? buf.readUInt32LE(pos) : typeBE;
      const len = le ? buf.readUInt32LE(pos + 4) : buf.readUInt32BE(pos + 4);
      if (len < BLOCK_OVERHEAD || len % 4 !== 0 || len > MAX_BLOCK_LEN) {
        return this.fail(pos, `corrupt block: length ${len} at block type 0x${type.toString(16)}`);
      }
      if (buf.length - pos < len) break;
      const trailer = le ? buf.readUInt32LE(pos + len - 4) : buf.readUInt32BE(pos + len - 4);
      if (trailer !== len) return this.fail(pos, `corrupt block: trailing length ${trailer} differs from ${len}`);
      const body = buf.subarray(pos + 8, pos + len - 4);
      const problem = this.block(type, body, onPacket);
      if (problem) return this.fail(pos, problem);
      pos += len;
    }
    return pos;
  }

  private fail(pos: number, reason: string): number {
    this.error = reason;
    return pos;
  }

  /** Handles one block body (between the length fields); returns a problem or null. */
  private block(type: number, body: Buffer, onPacket: (p: CapturePacket) => void): string | null {
    const le = this.le;
    const u32 = (o: number) => (le ? body.readUInt32LE(o) : body.readUInt32BE(o));
    switch (type) {
      case BLOCK.section:
        this.ifaces = [];
        return null;
      case BLOCK.interface:
        if (body.length < 8) return 'corrupt interface block';
        this.ifaces.push(this.readInterface(body));
        return null;
      case BLOCK.enhancedPacket:
      case BLOCK.obsoletePacket: {
        if (body.length < 20) return 'corrupt packet block';
        // EPB: interface u32; OPB: interface u16 + drops u16 (§A).
        const ifId = type === BLOCK.enhancedPacket ? u32(0) : le ? body.readUInt16LE(0) : body.readUInt16BE(0);
        const iface = this.ifaces[ifId];
        if (!iface) return `packet names interface ${ifId}, but the section declares ${this.ifaces.length}`;
        const capLen = u32(12);
        if (20 + capLen > body.length) return `corrupt packet block: captured length ${capLen} overruns the block`;
        const ts = this.timestamp(iface, u32(4), u32(8));
        this.lastTs = ts;
        onPacket({ ts, linkType: iface.linkType, data: body.subarray(20, 20 + capLen), interfaceId: ifId, origLen: u32(16) });
        return null;
      }
      case BLOCK.simplePacket: {
        const iface = this.ifaces[0];
        if (!iface) return 'simple packet block before any interface';
        if (body.length < 4) return 'corrupt simple packet block';
        const origLen = u32(0);
        // §4.4: captured length = min(original length, snap length, room in the block).
        let capLen = Math.min(origLen, body.length - 4);
        if (iface.snapLen > 0) capLen = Math.min(capLen, iface.snapLen);
        onPacket({ ts: this.lastTs, linkType: iface.linkType, data: body.subarray(4, 4 + capLen), interfaceId: 0, origLen });
        return null;
      }
      default:
        return null; // name resolution, statistics, custom blocks: nothing to import
    }
  }

  private readInterface(body: Buffer): Iface {
    const le = this.le;
    const iface: Iface = {
      linkType: le ? body.readUInt16LE(0) : body.readUInt16BE(0),
      snapLen: le ? body.readUInt32LE(4) : body.readUInt32BE(4),
      unitsPerSec: 1_000_000n,
      micro: true,
      offsetSec: 0,
    };
    // Options: code u16, length u16, value padded to 32 bits (§3.5).
    let o = 8;
    while (o + 4 <= body.length) {
      const code = le ? body.readUInt16LE(o) : body.readUInt16BE(o);
      const len = le ? body.readUInt16LE(o + 2) : body.readUInt16BE(o + 2);
      if (code === IDB_OPTION.end || o + 4 + len > body.length) break;
      const v = o + 4;
      if (code === IDB_OPTION.tsresol && len >= 1) {
        const r = body[v];
        // MSB clear: 10^-r seconds; MSB set: 2^-(r & 0x7f) seconds.
        iface.unitsPerSec = r & 0x80 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r);
        iface.micro = iface.unitsPerSec === 1_000_000n;
      } else if (code === IDB_OPTION.tsoffset && len >= 8) {
        iface.offsetSec = Number(le ? body.readBigInt64LE(v) : body.readBigInt64BE(v));
      }
      o = v + ((len + 3) & ~3);
    }
    return iface;
  }

  /** Converts a 64-bit timestamp in the interface's units to epoch microseconds. */
  private timestamp(iface: Iface, hi: number, lo: number): number {
    const offset = iface.offsetSec * 1_000_000;
    // hi·2^32 + lo stays exact below 2^53 µs (year 2255), so the common case avoids BigInt.
    if (iface.micro) return hi * 4294967296 + lo + offset;
    const units = (BigInt(hi) << 32n) | BigInt(lo);
    return Number((units * 1_000_000n) / iface.unitsPerSec) + offset;
  }
}
