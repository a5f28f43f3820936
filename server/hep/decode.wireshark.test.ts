/**
 * Decodes the 8 HEP3 packets of sipcapture/hep-wireshark pcap/hep.pcap (hepgen.js output: an
 * INVITE / 100 / 407 flow, OPTIONS, a log line, PUBLISH and an RTCP report, all UDP to :9060).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IP_PROTOCOL, PROTO_TYPE } from './chunks.ts';
import { decodeHep } from './decode.ts';
import type { HepRecord } from './types.ts';
import { noSharedFixtures, sharedFixture } from '../testing/shared-fixtures.ts';

const PCAP = sharedFixture('hep-wireshark-hep.pcap');

/**
 * UDP payloads of a classic little-endian pcap with Ethernet link type, read just far enough:
 *   global header  24 bytes: magic d4 c3 b2 a1, version, tz, sigfigs, snaplen, linktype 1 (Ethernet)
 *   record header  16 bytes: ts_sec, ts_usec, incl_len, orig_len (u32 LE each)
 *   Ethernet       14 bytes: dst MAC, src MAC, ethertype 0x0800 (IPv4)
 *   IPv4           IHL × 4 bytes (low nibble of the first byte), protocol 17 at offset 9
 *   UDP             8 bytes: ports, length, checksum; then the HEP packet
 */
function udpPayloads(file: Buffer): Buffer[] {
  expect(file.readUInt32LE(0)).toBe(0xa1b2c3d4); // microsecond pcap, written little-endian
  expect(file.readUInt32LE(20)).toBe(1); // LINKTYPE_ETHERNET
  const out: Buffer[] = [];
  for (let off = 24; off < file.length; ) {
    const inclLen = file.readUInt32LE(off + 8);
    const frame = file.subarray(off + 16, off + 16 + inclLen);
    off += 16 + inclLen;
    expect(frame.readUInt16BE(12)).toBe(0x0800);
    const ip = frame.subarray(14);
    expect(ip[9]).toBe(IP_PROTOCOL.udp);
    const ihl = (ip[0] & 0x0f) * 4;
    const udpLength = ip.readUInt16BE(ihl + 4); // includes the 8-byte UDP header
    out.push(Buffer.from(ip.subarray(ihl + 8, ihl + udpLength)));
  }
  return out;
}

describe.skipIf(noSharedFixtures)('decodeHep on the hep-wireshark sample capture', () => {
  const records: HepRecord[] = noSharedFixtures ? [] : udpPayloads(readFileSync(PCAP)).map((packet, i) => {
    const result = decodeHep(packet);
    if (!result.ok) throw new Error(`packet ${i + 1}: ${result.reason} ${result.detail ?? ''}`);
    return result.record;
  });
  const callIdOf = (r: HepRecord) => /^Call-ID:[ \t]*(\S+)/im.exec(r.payload.toString('utf8'))?.[1];

  it('decodes all 8 packets', () => {
    expect(records).toHaveLength(8);
    expect(records.map((r) => r.protoType)).toEqual([
      PROTO_TYPE.sip, PROTO_TYPE.sip, PROTO_TYPE.sip, PROTO_TYPE.sip,
      PROTO_TYPE.log, PROTO_TYPE.sip, PROTO_TYPE.sip, PROTO_TYPE.rtcp,
    ]);
  });

  it('reads the header fields of the first INVITE', () => {
    expect(records[0]).toMatchObject({
      version: 3, family: 'ipv4', ipProtocol: IP_PROTOCOL.udp, srcIp: '192.168.1.1', dstIp: '192.168.1.2',
      srcPort: 5060, dstPort: 5060, tsSec: 1481455196, tsUsec: 100, captureId: 2001, compressed: false,
    });
    expect(records[0].payload.toString().startsWith('INVITE sip:nodejs@127.0.0.1 SIP/2.0\n')).toBe(true);
  });

  it('finds the auth key "myHep" on every packet', () => {
    expect(records.every((r) => r.authKey === 'myHep')).toBe(true);
  });

  it('finds the Call-ID of each SIP message in its correlation id chunk 0x0011', () => {
    const sip = records.filter((r) => r.protoType === PROTO_TYPE.sip);
    expect(sip).toHaveLength(6);
    for (const r of sip) expect(r.correlationId).toBe(callIdOf(r));
  });

  it('ties the log line and the RTCP report to a Call-ID of the capture', () => {
    const callIds = new Set(records.map(callIdOf).filter(Boolean));
    for (const r of records.filter((r) => r.protoType !== PROTO_TYPE.sip)) {
      expect(callIds.has(r.correlationId ?? '')).toBe(true);
    }
  });

  it('keeps the bare LF line endings of the SIP text (hepgen only appends one CRLF CRLF at the end)', () => {
    for (const r of records.filter((r) => r.protoType === PROTO_TYPE.sip)) {
      const text = r.payload.toString('utf8');
      expect(text.endsWith('\r\n\r\n')).toBe(true);
      const lines = text.slice(0, -4);
      expect(lines.split('\n').length).toBeGreaterThan(5);
      expect(lines).not.toContain('\r');
    }
  });
});
