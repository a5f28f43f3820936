import { describe, expect, it } from 'vitest';
import { IP_PROTOCOL, PROTO_TYPE } from './chunks.ts';
import { decodeHep } from './decode.ts';
import { encodeHep1, encodeHep2 } from './encode.ts';
import { hexTable } from '../testing/hep.ts';

const SIP = 'ACK sip:bob@10.0.0.2 SIP/2.0\r\n\r\n';

/** HEPv2 over IPv4 as Kamailio siptrace (hep_version 2) writes it on a little-endian host. */
const HEP2_IPV4 = Buffer.concat([
  hexTable(`
    02            | hp_v: version 2
    10            | hp_l: 16 = hep_hdr (8) + hep_iphdr (8); the time header is not counted
    02            | hp_f: AF_INET
    11            | hp_p: 17 UDP
    13 c4         | hp_sport 5060, big-endian
    13 ce         | hp_dport 5070, big-endian
    0a 00 00 01   | source 10.0.0.1
    0a 00 00 02   | destination 10.0.0.2
    5c 36 4d 58   | tv_sec 0x584d365c = 1481455196, LITTLE-endian (Kamailio to_le)
    40 e2 01 00   | tv_usec 0x0001e240 = 123456, little-endian
    d1 07         | captid 0x07d1 = 2001, host order (little-endian)
    00 00         | struct padding: hep_timehdr is 12 bytes, not packed
  `),
  Buffer.from(SIP),
]);

/** HEPv1 over IPv6 (no time header). */
const HEP1_IPV6 = Buffer.concat([
  hexTable(`
    01            | hp_v: version 1
    28            | hp_l: 40 = hep_hdr (8) + hep_ip6hdr (32)
    0a            | hp_f: AF_INET6
    06            | hp_p: 6 TCP
    13 c4         | hp_sport 5060
    16 2e         | hp_dport 5678
    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01 | source 2001:db8::1
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 | destination ::1
  `),
  Buffer.from(SIP),
]);

describe('decodeHep on HEPv1 and HEPv2', () => {
  it('reads a HEPv2 time header little-endian, as Kamailio writes it', () => {
    const result = decodeHep(HEP2_IPV4);
    expect(result).toEqual({
      ok: true,
      record: {
        version: 2, family: 'ipv4', ipProtocol: IP_PROTOCOL.udp, srcIp: '10.0.0.1', dstIp: '10.0.0.2',
        srcPort: 5060, dstPort: 5070, tsSec: 1481455196, tsUsec: 123456, protoType: PROTO_TYPE.sip,
        captureId: 2001, authKey: null, payload: Buffer.from(SIP), compressed: false, correlationId: null,
        vlan: null, nodeName: null, extraCorrelation: null,
      },
    });
  });

  it('reads a HEPv1 IPv6 packet, which has no time and no capture id', () => {
    const result = decodeHep(HEP1_IPV6);
    expect(result).toMatchObject({
      ok: true,
      record: {
        version: 1, family: 'ipv6', ipProtocol: IP_PROTOCOL.tcp, srcIp: '2001:db8::1', dstIp: '::1',
        srcPort: 5060, dstPort: 5678, tsSec: 0, tsUsec: 0, captureId: null,
      },
    });
    if (result.ok) expect(result.record.payload.toString()).toBe(SIP);
  });

  it('encodes HEPv2 byte for byte as the Kamailio table above', () => {
    const packet = encodeHep2({
      ipProtocol: IP_PROTOCOL.udp, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060, dstPort: 5070,
      tsSec: 1481455196, tsUsec: 123456, captureId: 2001, payload: SIP,
    });
    expect(packet.equals(HEP2_IPV4)).toBe(true);
  });

  it('encodes HEPv1 byte for byte as the table above', () => {
    const packet = encodeHep1({
      ipProtocol: IP_PROTOCOL.tcp, srcIp: '2001:db8::1', dstIp: '::1', srcPort: 5060, dstPort: 5678, payload: SIP,
    });
    expect(packet.equals(HEP1_IPV6)).toBe(true);
  });

  it.each([
    ['a header shorter than 8 bytes', HEP2_IPV4.subarray(0, 7), 'short-header'],
    ['a HEPv2 packet cut inside its time header', HEP2_IPV4.subarray(0, 20), 'short-header'],
    ['hp_l that does not fit the family', patch(HEP2_IPV4, 1, 40), 'length-mismatch'],
    ['hp_f 7', patch(HEP2_IPV4, 2, 7), 'bad-family'],
    ['nothing after the headers', HEP2_IPV4.subarray(0, 28), 'missing-payload'],
  ])('refuses %s as %s', (_name, packet, reason) => {
    expect(decodeHep(packet)).toMatchObject({ ok: false, reason });
  });
});

function patch(packet: Buffer, offset: number, value: number): Buffer {
  const copy = Buffer.from(packet);
  copy[offset] = value;
  return copy;
}
