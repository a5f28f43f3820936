/**
 * HEPv1 / HEPv2 decoding, as Kamailio 5.6 writes and reads them (src/modules/sipcapture/hep.h,
 * hep.c hep_msg_received; siptrace_hep.c trace_send_hep2_duplicate). UDP only, SIP only.
 *
 *   offset  size  field
 *   0       1     hp_v      version, 1 or 2
 *   1       1     hp_l      header length: 16 (IPv4) or 40 (IPv6); the time header is not counted
 *   2       1     hp_f      family: 2 AF_INET, 10 AF_INET6
 *   3       1     hp_p      IP protocol
 *   4       2     hp_sport  big-endian
 *   6       2     hp_dport  big-endian
 *   8       4|16  source address
 *   12|24   4|16  destination address
 *   hp_l    12    v2 only, struct hep_timehdr: tv_sec u32 LE, tv_usec u32 LE, captid u16 LE, 2 pad
 *   ...           payload (the raw SIP message) to the end of the datagram
 *
 * Kamailio writes tv_sec/tv_usec with to_le() and captid in host order, i.e. little-endian on
 * every host it runs on; heplify-server reads them big-endian, which is wrong for Kamailio.
 */
import {
  ADDRESS_FAMILY,
  HEP2_TIME_HDR_BYTES,
  HEP_LEGACY_HDR_BYTES,
  HEP_LEGACY_HDR_LEN_IPV4,
  HEP_LEGACY_HDR_LEN_IPV6,
  HEP_LEGACY_VERSIONS,
  PROTO_TYPE,
} from './chunks.ts';
import { formatIpv4, formatIpv6 } from './inet.ts';
import { normalizeTime, reject } from './payload.ts';
import type { HepDecodeResult } from './types.ts';

/** Decodes a packet whose first byte is 1 or 2. */
export function decodeHepLegacy(buf: Buffer): HepDecodeResult {
  if (buf.length < HEP_LEGACY_HDR_BYTES) return reject('short-header', `${buf.length} bytes`);
  if (!HEP_LEGACY_VERSIONS.has(buf[0])) return reject('bad-version', `hp_v ${buf[0]}`);
  const version = buf[0] as 1 | 2;
  const headerLength = buf[1];
  const familyCode = buf[2];

  let family: 'ipv4' | 'ipv6';
  let expectedLength: number;
  let addressBytes: number;
  if (familyCode === ADDRESS_FAMILY.ipv4) {
    [family, expectedLength, addressBytes] = ['ipv4', HEP_LEGACY_HDR_LEN_IPV4, 4];
  } else if (familyCode === ADDRESS_FAMILY.ipv6) {
    [family, expectedLength, addressBytes] = ['ipv6', HEP_LEGACY_HDR_LEN_IPV6, 16];
  } else {
    return reject('bad-family', `hp_f ${familyCode}`);
  }
  if (headerLength !== expectedLength) {
    return reject('length-mismatch', `hp_l ${headerLength}, ${family} needs ${expectedLength}`);
  }
  const payloadStart = headerLength + (version === 2 ? HEP2_TIME_HDR_BYTES : 0);
  if (buf.length < payloadStart) return reject('short-header', `${buf.length} bytes, headers need ${payloadStart}`);

  const format = family === 'ipv4' ? formatIpv4 : formatIpv6;
  const srcAt = HEP_LEGACY_HDR_BYTES;
  const dstAt = srcAt + addressBytes;

  let tsSec = 0;
  let tsUsec = 0;
  let captureId: number | null = null;
  if (version === 2) {
    tsSec = buf.readUInt32LE(headerLength);
    tsUsec = buf.readUInt32LE(headerLength + 4);
    captureId = buf.readUInt16LE(headerLength + 8);
  }

  const payload = Buffer.from(buf.subarray(payloadStart)); // a copy, not a view of the datagram
  if (payload.length === 0) return reject('missing-payload', 'nothing after the headers');

  return {
    ok: true,
    record: {
      version,
      family,
      ipProtocol: buf[3],
      srcIp: format(buf.subarray(srcAt, srcAt + addressBytes)),
      dstIp: format(buf.subarray(dstAt, dstAt + addressBytes)),
      srcPort: buf.readUInt16BE(4),
      dstPort: buf.readUInt16BE(6),
      ...normalizeTime(tsSec, tsUsec),
      protoType: PROTO_TYPE.sip, // v1/v2 carry only SIP
      captureId,
      authKey: null,
      payload,
      compressed: false,
      correlationId: null, // v1/v2 have no room for it (OpenSIPS add_hep_chunk skips version < 3)
      vlan: null,
      nodeName: null,
      extraCorrelation: null,
    },
  };
}
