/**
 * Test-side capture builder: pcap and pcapng files for any link type, and the frames inside
 * (Ethernet with VLAN tags, SLL, SLL2, null/loop, IPv4/IPv6 with fragments and extension
 * headers, UDP, TCP, GRE). Independent of write.ts so that tests check the readers against
 * bytes laid out here by hand. Used by *.test.ts and bench/ only.
 */
import { parseIpv4, parseIpv6 } from '../hep/inet.ts';

export interface TestPacket {
  /** µs since the epoch (pcap) or units of the interface's resolution (pcapng). */
  ts: number | bigint;
  data: Buffer;
  /** pcapng only: interface index; `simple` writes an SPB instead of an EPB. */
  iface?: number;
  simple?: boolean;
  /** Wire length when larger than the captured bytes. */
  origLen?: number;
}

/** Classic pcap: 24-byte header + 16-byte record headers (pcap-savefile(5)). */
export function pcapFile(o: { linkType: number; packets: TestPacket[]; bigEndian?: boolean; nano?: boolean; snaplen?: number }): Buffer {
  const le = !o.bigEndian;
  const w32 = (b: Buffer, v: number, at: number) => (le ? b.writeUInt32LE(v >>> 0, at) : b.writeUInt32BE(v >>> 0, at));
  const w16 = (b: Buffer, v: number, at: number) => (le ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at));
  const h = Buffer.alloc(24);
  w32(h, o.nano ? 0xa1b23c4d : 0xa1b2c3d4, 0); // magic, in the file's byte order
  w16(h, 2, 4); // version major
  w16(h, 4, 6); // version minor
  w32(h, o.snaplen ?? 262144, 16); // snaplen
  w32(h, o.linkType, 20); // network
  const parts: Buffer[] = [h];
  for (const p of o.packets) {
    const ts = Number(p.ts);
    const sec = Math.floor(ts / 1e6);
    const r = Buffer.alloc(16);
    w32(r, sec, 0); // ts_sec
    w32(r, o.nano ? (ts - sec * 1e6) * 1000 : ts - sec * 1e6, 4); // ts_usec or ts_nsec
    w32(r, p.data.length, 8); // incl_len
    w32(r, p.origLen ?? p.data.length, 12); // orig_len
    parts.push(r, p.data);
  }
  return Buffer.concat(parts);
}

export interface TestInterface {
  linkType: number;
  /** if_tsresol byte; omitted means the default 6 (µs). */
  tsresol?: number;
  snaplen?: number;
}

export interface TestSection {
  interfaces: TestInterface[];
  packets: TestPacket[];
  /** Blocks of an unknown type inserted before the packets (to be skipped). */
  extraBlocks?: number;
}

export function pcapngFile(o: { sections: TestSection[]; bigEndian?: boolean }): Buffer {
  const le = !o.bigEndian;
  const block = (type: number, body: Buffer) => {
    const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
    const len = padded.length + 12;
    const b = Buffer.alloc(len);
    if (le) {
      b.writeUInt32LE(type, 0);
      b.writeUInt32LE(len, 4);
      b.writeUInt32LE(len, len - 4);
    } else {
      b.writeUInt32BE(type, 0);
      b.writeUInt32BE(len, 4);
      b.writeUInt32BE(len, len - 4);
    }
    padded.copy(b, 8);
    return b;
  };
  const u32 = (...vs: number[]) => {
    const b = Buffer.alloc(vs.length * 4);
    vs.forEach((v, i) => (le ? b.writeUInt32LE(v >>> 0, i * 4) : b.writeUInt32BE(v >>> 0, i * 4)));
    return b;
  };
  const u16 = (...vs: number[]) => {
    const b = Buffer.alloc(vs.length * 2);
    vs.forEach((v, i) => (le ? b.writeUInt16LE(v, i * 2) : b.writeUInt16BE(v, i * 2)));
    return b;
  };
  const out: Buffer[] = [];
  for (const s of o.sections) {
    // SHB: byte-order magic, version 1.0, section length -1 (unknown).
    out.push(block(0x0a0d0d0a, Buffer.concat([u32(0x1a2b3c4d), u16(1, 0), Buffer.alloc(8, 0xff)])));
    for (const i of s.interfaces) {
      const opts = i.tsresol === undefined ? Buffer.alloc(0) : Buffer.concat([u16(9, 1), Buffer.from([i.tsresol, 0, 0, 0]), u16(0, 0)]);
      out.push(block(1, Buffer.concat([u16(i.linkType, 0), u32(i.snaplen ?? 0), opts])));
    }
    for (let k = 0; k < (s.extraBlocks ?? 0); k++) out.push(block(0x00000bad, Buffer.from('custom block body')));
    for (const p of s.packets) {
      if (p.simple) {
        out.push(block(3, Buffer.concat([u32(p.origLen ?? p.data.length), p.data])));
        continue;
      }
      const ts = BigInt(p.ts);
      const hi = Number(ts >> 32n);
      const lo = Number(ts & 0xffffffffn);
      out.push(block(6, Buffer.concat([u32(p.iface ?? 0, hi, lo, p.data.length, p.origLen ?? p.data.length), p.data])));
    }
  }
  return Buffer.concat(out);
}

// ---- link layers ---------------------------------------------------------------------------

/** Ethernet II with optional VLAN tags (outer first): each tag is [TPID, VLAN id]. */
export function ethernet(ip: Buffer, o: { ethertype?: number; vlans?: [number, number][] } = {}): Buffer {
  const tags = (o.vlans ?? []).map(([tpid, vid]) => be16(tpid, vid));
  const type = o.ethertype ?? (ip[0] >> 4 === 6 ? 0x86dd : 0x0800);
  // dst MAC, src MAC, [tags], ethertype; the first tag's TPID sits where the ethertype would be.
  const macs = Buffer.from('020000000002' + '020000000001', 'hex');
  if (!tags.length) return Buffer.concat([macs, be16(type), ip]);
  const flat = Buffer.concat(tags); // TPID1 VID1 TPID2 VID2 ...
  return Buffer.concat([macs, flat, be16(type), ip]);
}

/** Linux cooked v1: packet type, ARPHRD_ETHER, address length 6, address (8), protocol. */
export function sll(ip: Buffer, protocol = ip[0] >> 4 === 6 ? 0x86dd : 0x0800): Buffer {
  return Buffer.concat([be16(0, 1, 6), Buffer.from('0200000000010000', 'hex'), be16(protocol), ip]);
}

/** Linux cooked v2: protocol, reserved, interface index, ARPHRD_ETHER, packet type, address length, address. */
export function sll2(ip: Buffer, protocol = ip[0] >> 4 === 6 ? 0x86dd : 0x0800): Buffer {
  return Buffer.concat([be16(protocol, 0), Buffer.from([0, 0, 0, 2]), be16(1), Buffer.from([0, 6]), Buffer.from('0200000000010000', 'hex'), ip]);
}

/** BSD null (host byte order) or OpenBSD loop (big-endian): a 4-byte address family. */
export function loopHeader(ip: Buffer, af: number, littleEndian: boolean): Buffer {
  const h = Buffer.alloc(4);
  if (littleEndian) h.writeUInt32LE(af);
  else h.writeUInt32BE(af);
  return Buffer.concat([h, ip]);
}

// ---- IP ------------------------------------------------------------------------------------

/** IPv4 header (no options) + payload; `offset` in bytes (a multiple of 8). */
export function ipv4(o: { src: string; dst: string; proto: number; payload: Buffer; id?: number; more?: boolean; offset?: number; totalLength?: number }): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x45; // version 4, IHL 5
  h.writeUInt16BE(o.totalLength ?? 20 + o.payload.length, 2);
  h.writeUInt16BE(o.id ?? 1, 4);
  h.writeUInt16BE((o.more ? 0x2000 : 0) | ((o.offset ?? 0) / 8), 6);
  h[8] = 64; // TTL
  h[9] = o.proto;
  parseIpv4(o.src)!.copy(h, 12);
  parseIpv4(o.dst)!.copy(h, 16);
  return Buffer.concat([h, o.payload]);
}

/** IPv6 header + extension headers ([nextHeader value they announce, body]) + payload. */
export function ipv6(o: { src: string; dst: string; next: number; payload: Buffer; ext?: { type: number; bytes: Buffer }[] }): Buffer {
  const ext = o.ext ?? [];
  const body = Buffer.concat([...ext.map((e) => e.bytes), o.payload]);
  const h = Buffer.alloc(40);
  h.writeUInt32BE(0x60000000, 0);
  h.writeUInt16BE(body.length, 4);
  h[6] = ext.length ? ext[0].type : o.next;
  h[7] = 64;
  parseIpv6(o.src)!.copy(h, 8);
  parseIpv6(o.dst)!.copy(h, 24);
  return Buffer.concat([h, body]);
}

/** An 8-byte-multiple options header (hop-by-hop or destination options) announcing `next`, padded with PadN. */
export function ipv6OptionsHeader(next: number): Buffer {
  return Buffer.from([next, 0, 1, 4, 0, 0, 0, 0]); // next, hdr ext len 0, PadN of 4
}

/** IPv6 fragment header (RFC 8200 §4.5) announcing `next`. */
export function ipv6FragmentHeader(next: number, offset: number, more: boolean, id: number): Buffer {
  const b = Buffer.alloc(8);
  b[0] = next;
  b.writeUInt16BE(offset | (more ? 1 : 0), 2);
  b.writeUInt32BE(id, 4);
  return b;
}

export function udp(srcPort: number, dstPort: number, payload: Buffer): Buffer {
  return Buffer.concat([be16(srcPort, dstPort, 8 + payload.length, 0), payload]);
}

/** TCP header without options; flags default PSH|ACK. Checksum left 0 (readers do not check it). */
export function tcp(o: { srcPort: number; dstPort: number; seq: number; payload?: Buffer; flags?: number }): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(o.srcPort, 0);
  h.writeUInt16BE(o.dstPort, 2);
  h.writeUInt32BE(o.seq >>> 0, 4);
  h[12] = 5 << 4;
  h[13] = o.flags ?? 0x18;
  h.writeUInt16BE(65535, 14);
  return Buffer.concat([h, o.payload ?? Buffer.alloc(0)]);
}

/** GRE (RFC 2784) with an optional key (RFC 2890). */
export function gre(protocol: number, inner: Buffer, key?: number): Buffer {
  const head = key === undefined ? be16(0, protocol) : Buffer.concat([be16(0x2000, protocol), Buffer.from([key >>> 24, (key >> 16) & 255, (key >> 8) & 255, key & 255])]);
  return Buffer.concat([head, inner]);
}

// ---- SIP -----------------------------------------------------------------------------------

/** A SIP request or response with a correct Content-Length; draw the headers you need with overrides. */
export function makeSip(o: { callId: string; method?: string; status?: number; body?: string; cseq?: number; extra?: string } = { callId: 'c1@test' }): string {
  const method = o.method ?? 'INVITE';
  const body = o.body ?? '';
  const first = o.status ? `SIP/2.0 ${o.status} ${o.status === 200 ? 'OK' : 'Other'}` : `${method} sip:bob@example.com SIP/2.0`;
  return [
    first,
    'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-' + o.callId.replace(/\W/g, ''),
    'From: <sip:alice@example.com>;tag=a1',
    'To: <sip:bob@example.com>',
    `Call-ID: ${o.callId}`,
    `CSeq: ${o.cseq ?? 1} ${method}`,
    ...(o.extra ? [o.extra] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

function be16(...vs: number[]): Buffer {
  const b = Buffer.alloc(vs.length * 2);
  vs.forEach((v, i) => b.writeUInt16BE(v, i * 2));
  return b;
}
