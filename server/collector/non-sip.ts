/**
 * What the collector keeps of a non-SIP HEP payload and under which call: logs, OpenSIPS REST and
 * transport traces, RTCP, QoS reports. Pure: HEP record in, text to store (or a named rejection) out.
 *
 * Where each sender puts the call (from their sources):
 *   OpenSIPS xlog (type 100, 86 in older releases): 0x0011 = Call-ID, JSON {"Event": level, "text": line},
 *     extra correlation (chunk 101) {"sip": Call-ID}          (core xlog.c add_xlog_data)
 *   OpenSIPS rest_client (88): 0x0011 = "RESTCORR…" shared by request and reply, JSON
 *     {"first_line": …, "payload": …}, extra correlation {"sip": Call-ID}   (rest_methods.c)
 *   OpenSIPS transport (89): 0x0011 = the TCP/TLS connection id (decimal), JSON {"Protocol",
 *     "Event", "Status", "Message"}: no Call-ID; correlate/connections.ts files it with the call on that connection (net/trans_trace.c)
 *   Kamailio hlog (100): 0x0011 = the given id or the Call-ID, payload the plain text
 *   RTCP (5): binary compound (captagent, pcap) or heplify's JSON; 0x0011 = Call-ID (rtpengine --homer)
 *   QoS (32–35): JSON or RTCP-XR text; 0x0011 = Call-ID
 */
import { PROTO_TYPE, QOS_PROTO_TYPES } from '../hep/chunks.ts';
import { decodeRtcp, rtcpToJson } from '../hep/rtcp.ts';
import type { HepRecord } from '../hep/types.ts';
import { escapeNul, storableText, type HepTexts } from './storable.ts';

/** Why a non-SIP payload was not kept; counted under these names in hepflow_packets_rejected_total. */
export type NonSipRejection =
  | 'no-correlation-id'
  | 'rtcp-short' | 'rtcp-bad-version' | 'rtcp-length-overrun' | 'rtcp-count-overrun' | 'rtcp-not-report'
  | 'rtcp-bad-json' | 'qos-bad-json' | 'rest-bad-json' | 'transport-bad-json';

export type NonSipResult =
  | {
    ok: true;
    /** The id to file it under: the SIP Call-ID, else the HEP correlation id. */
    callId: string;
    text: string;
    problems: readonly string[];
  }
  | { ok: false; reason: NonSipRejection };

export function nonSipPayload(rec: HepRecord, texts: HepTexts): NonSipResult {
  const p = rec.protoType;
  // First: it escapes the NULs of `texts` in place, the correlation id among them.
  const { text, problems } = storableText(rec.payload, texts);
  // OpenSIPS names the SIP call in its extra correlation; the 0x0011 of a REST trace is not a call.
  const sip = rec.extraCorrelation?.sip;
  const callId = sip != null && sip !== '' ? escapeNul(sip) : texts.hepCorrelationId;
  if (!callId) return { ok: false, reason: 'no-correlation-id' };

  if (p === PROTO_TYPE.rtcp && !looksJson(rec.payload)) {
    const r = decodeRtcp(rec.payload);
    if (!r.ok) return { ok: false, reason: r.reason };
    // Stored as the JSON heplify writes for the same packet, so Homer's tables read alike.
    return { ok: true, callId, text: JSON.stringify(rtcpToJson(r.packets)), problems: [] };
  }
  const mustParse = jsonRejection(p);
  if (mustParse && (p !== PROTO_TYPE.mosShort || looksJson(rec.payload)) && !parsesAsObject(text)) return { ok: false, reason: mustParse };
  return { ok: true, callId, text, problems };
}

/** The rejection of a type whose payload must be a JSON object, null for types that may be text. */
function jsonRejection(p: number): NonSipRejection | null {
  if (p === PROTO_TYPE.rtcp) return 'rtcp-bad-json';
  if (p === PROTO_TYPE.rest) return 'rest-bad-json';
  if (p === PROTO_TYPE.net) return 'transport-bad-json';
  if (QOS_PROTO_TYPES.has(p)) return 'qos-bad-json';
  return null;
}

/** First non-blank byte is "{" (JSON object) rather than binary or text. */
function looksJson(b: Buffer): boolean {
  for (const c of b) {
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    return c === 0x7b;
  }
  return false;
}

function parsesAsObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}
