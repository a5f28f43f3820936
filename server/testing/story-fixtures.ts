/**
 * HEP packets as OpenSIPS 3.x sends them for `trace(..., "sip|xlog|rest", ...)` and transport
 * tracing, byte for byte: proto_hep build_hep3_buf writes the generic chunks (struct hep_generic),
 * the IPv4 addresses, the payload (cJSON_Print of the payload parts: tab-indented, one key a line),
 * the extra correlation (vendor 0, type 101, cJSON_Print too), then the chunk list (0x0011).
 * Imported by tests only.
 */
import { hexTable } from './hep.ts';

export const STORY_CALL_ID = 'a84b4c76e66710@10.0.1.10';

/** xlog("L_ERR", "no route to bob: 404\n") in a traced dialog (core xlog.c add_xlog_data). */
export const XLOG_JSON = '{\n\t"Event":\t"ERROR",\n\t"text":\t"no route to bob: 404\\n"\n}';
const EXTRA_SIP = `{\n\t"sip":\t"${STORY_CALL_ID}"\n}`;

export const OPENSIPS_XLOG = Buffer.concat([
  hexTable(`
48 45 50 33                    | "HEP3"
00 e5                          | total length 229
00 00 00 01 00 07 02           | 0x0001 IP family 2 (AF_INET)
00 00 00 02 00 07 06           | 0x0002 IP protocol 6: xlog.c passes IPPROTO_TCP
00 00 00 07 00 08 13 c4        | 0x0007 source port 5060: the receiving socket
00 00 00 08 00 08 13 c4        | 0x0008 destination port 5060: the same socket
00 00 00 09 00 0a 69 32 b6 80  | 0x0009 seconds 1764931200
00 00 00 0a 00 0a 00 03 d2 20  | 0x000a microseconds 250400
00 00 00 0b 00 07 64           | 0x000b protocol type 100 (log)
00 00 00 0c 00 0a 00 00 00 65  | 0x000c capture id 101 (hep_capture_id)
00 00 00 03 00 0a 0a 00 01 0a  | 0x0003 source 10.0.1.10
00 00 00 04 00 0a 0a 00 01 0a  | 0x0004 destination 10.0.1.10
00 00 00 0f 00 3e              | 0x000f payload, 6 + 56 bytes
`),
  Buffer.from(XLOG_JSON),
  hexTable('00 00 00 65 00 2c            | type 101 extra correlation, 6 + 38 bytes'),
  Buffer.from(EXTRA_SIP),
  hexTable('00 00 00 11 00 1e            | 0x0011 correlation id, 6 + 24 bytes: the Call-ID'),
  Buffer.from(STORY_CALL_ID),
]);

/** rest_get("http://10.0.3.30:8080/lookup?user=bob", ...): request and reply (rest_methods.c trace_rest_message). */
export const REST_CORRELATION = 'RESTCORRBD4AAEnQMmgAAAAAAZGd5GcqwU0=';
export const REST_REQUEST_JSON = '{\n\t"first_line":\t"GET /lookup?user=bob HTTP/1.1"\n}';
export const REST_REPLY_JSON = '{\n\t"first_line":\t"HTTP/1.1 200 OK",\n\t"payload":\t"{\\"target\\":\\"sip:bob@10.0.2.20\\"}"\n}';

/**
 * rest_methods.c copies curl's host-order ports into sin_port without htons, so on a
 * little-endian host they arrive byte-swapped: local 41000 as 10400, remote 8080 as 36895.
 */
function restPacket(request: boolean): Buffer {
  const json = request ? REST_REQUEST_JSON : REST_REPLY_JSON;
  const local = '0a 00 01 0a';
  const remote = '0a 00 03 1e';
  return Buffer.concat([
    hexTable(`
48 45 50 33                    | "HEP3"
${request ? '00 eb' : '01 0f'}                          | total length ${request ? 235 : 271}
00 00 00 01 00 07 02           | IP family 2
00 00 00 02 00 07 06           | IP protocol 6 (TCP)
00 00 00 07 00 08 ${request ? '28 a0' : '90 1f'}        | source port (byte-swapped)
00 00 00 08 00 08 ${request ? '90 1f' : '28 a0'}        | destination port (byte-swapped)
00 00 00 09 00 0a 69 32 b6 80  | seconds 1764931200
00 00 00 0a 00 0a 00 04 c6 44  | microseconds 312900: both sent once the reply is in
00 00 00 0b 00 07 58           | protocol type 0x58 = 88 (rest)
00 00 00 0c 00 0a 00 00 00 65  | capture id 101
00 00 00 03 00 0a ${request ? local : remote}  | source
00 00 00 04 00 0a ${request ? remote : local}  | destination
00 00 00 0f 00 ${request ? '38' : '5c'}              | payload, 6 + ${request ? 50 : 86} bytes
`),
    Buffer.from(json),
    hexTable('00 00 00 65 00 2c            | type 101 extra correlation {"sip": Call-ID}'),
    Buffer.from(EXTRA_SIP),
    hexTable('00 00 00 11 00 2a            | 0x0011, 6 + 36 bytes: generate_hep_guid("RESTCORR")'),
    Buffer.from(REST_CORRELATION),
  ]);
}
export const OPENSIPS_REST_REQUEST = restPacket(true);
export const OPENSIPS_REST_REPLY = restPacket(false);

/** proto_tls accepting a connection (net/trans_trace.c trace_message_atonce, connection id 12). */
export const TRANSPORT_JSON = '{\n\t"Protocol":\t"TLS",\n\t"Event":\t"ACCEPTED",\n\t"Status":\t"SUCCESS",\n\t"Message":\t"Connection accepted..."\n}';
export const OPENSIPS_TLS_ACCEPTED = Buffer.concat([
  hexTable(`
48 45 50 33                    | "HEP3"
00 d3                          | total length 211
00 00 00 01 00 07 02           | IP family 2
00 00 00 02 00 07 16           | IP protocol 22: OpenSIPS's mark for TLS (IPPROTO_IDP)
00 00 00 07 00 08 d4 31        | source port 54321 (the client)
00 00 00 08 00 08 13 c5        | destination port 5061
00 00 00 09 00 0a 69 32 b6 80  | seconds 1764931200
00 00 00 0a 00 0a 00 03 d0 90  | microseconds 250000
00 00 00 0b 00 07 59           | protocol type 0x59 = 89 (transport)
00 00 00 0c 00 0a 00 00 00 65  | capture id 101
00 00 00 03 00 0a 0a 00 00 05  | source 10.0.0.5
00 00 00 04 00 0a 0a 00 01 0a  | destination 10.0.1.10
00 00 00 0f 00 6e              | payload, 6 + 104 bytes
`),
  Buffer.from(TRANSPORT_JSON),
  hexTable('00 00 00 11 00 08 31 32      | 0x0011, 6 + 2 bytes: connection id "12"'),
]);

/** The HEP type 5 payload rtpengine 10.5 (--homer) sent for a forwarded RR + SDES, as captured by rtpengine.test.ts. */
export const RTPENGINE_RTCP_JSON = '{ "ssrc":1432778632,"type":201,"report_count":1,"report_blocks":[{"source_ssrc":287454020,"highest_seq_no":9,'
  + '"fraction_lost":64,"ia_jitter":80,"packets_lost":3,"lsr":0,"dlsr":0}],"sdes_report_count":1,"sdes_information": '
  + '[ {"sdes_chunk_ssrc":1432778632,"type":1,"text":"callee@127.0.0.1"}] }';
