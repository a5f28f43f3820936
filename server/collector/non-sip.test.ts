import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHep } from '../hep/decode.ts';
import { encodeHep3 } from '../hep/encode.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../hep/chunks.ts';
import { encodeRtcp } from '../hep/rtcp.ts';
import type { HepEncodeInput, HepRecord } from '../hep/types.ts';
import {
  OPENSIPS_REST_REPLY, OPENSIPS_REST_REQUEST, OPENSIPS_TLS_ACCEPTED, OPENSIPS_XLOG, REST_REPLY_JSON, STORY_CALL_ID, TRANSPORT_JSON, XLOG_JSON,
} from '../testing/story-fixtures.ts';
import { nonSipPayload } from './non-sip.ts';

function record(buf: Buffer): HepRecord {
  const r = decodeHep(buf);
  if (!r.ok) throw new Error(r.reason);
  return r.record;
}

const classify = (rec: HepRecord) => nonSipPayload(rec, { captureId: '101', hepCorrelationId: rec.correlationId });

function make(over: Partial<HepEncodeInput>): HepRecord {
  return record(encodeHep3({
    ipProtocol: IP_PROTOCOL.udp, srcIp: '10.0.5.1', dstIp: '10.0.5.2', srcPort: 30001, dstPort: 40001,
    tsSec: 1764931200, tsUsec: 0, protoType: PROTO_TYPE.rtcp, correlationId: 'call-1', payload: '', ...over,
  }));
}

describe('nonSipPayload', () => {
  it('files an OpenSIPS xlog line under the Call-ID and keeps its JSON', () => {
    expect(classify(record(OPENSIPS_XLOG))).toEqual({ ok: true, callId: STORY_CALL_ID, text: XLOG_JSON, problems: [] });
  });

  it('files an OpenSIPS REST reply under the SIP Call-ID of its extra correlation, not its RESTCORR id', () => {
    expect(classify(record(OPENSIPS_REST_REPLY))).toMatchObject({ ok: true, callId: STORY_CALL_ID, text: REST_REPLY_JSON });
    expect(classify(record(OPENSIPS_REST_REQUEST))).toMatchObject({ ok: true, callId: STORY_CALL_ID });
  });

  it('marks an OpenSIPS transport event as filed under its connection id', () => {
    expect(classify(record(OPENSIPS_TLS_ACCEPTED))).toEqual({ ok: true, callId: '12', text: TRANSPORT_JSON, problems: [] });
  });

  it('stores binary RTCP as the JSON heplify writes', () => {
    const bytes = encodeRtcp([{ type: 'rr', ssrc: 7, reports: [{ ssrc: 9, fractionLost: 64, packetsLost: 12, highestSeq: 100, jitter: 80, lsr: 0, dlsr: 0 }] }]);
    const r = classify(make({ payload: bytes }));
    expect(r.ok && JSON.parse(r.text)).toEqual({
      type: 201, ssrc: 7, report_count: 1,
      report_blocks: [{ source_ssrc: 9, fraction_lost: 64, packets_lost: 12, highest_seq_no: 100, ia_jitter: 80, lsr: 0, dlsr: 0 }],
    });
  });

  it('names what is wrong with a report it cannot keep', () => {
    expect(classify(make({ payload: Buffer.from([0x81, 0xc9, 0x00, 0x07]) }))).toEqual({ ok: false, reason: 'rtcp-length-overrun' });
    expect(classify(make({ payload: '{"report_blocks": [' }))).toEqual({ ok: false, reason: 'rtcp-bad-json' });
    expect(classify(make({ protoType: PROTO_TYPE.mosFull, payload: '{"MOS":' }))).toEqual({ ok: false, reason: 'qos-bad-json' });
    expect(classify(make({ protoType: PROTO_TYPE.rest, payload: 'GET / HTTP/1.1' }))).toEqual({ ok: false, reason: 'rest-bad-json' });
    expect(classify(make({ protoType: PROTO_TYPE.net, payload: '[]' }))).toEqual({ ok: false, reason: 'transport-bad-json' });
    expect(classify(make({ protoType: PROTO_TYPE.log, correlationId: null, payload: 'x' }))).toEqual({ ok: false, reason: 'no-correlation-id' });
  });

  it('keeps a plain-text log (Kamailio hlog) and an RTCP-XR text report as they are', () => {
    expect(classify(make({ protoType: PROTO_TYPE.log, payload: 'routing to carrier B' }))).toMatchObject({ ok: true, callId: 'call-1', text: 'routing to carrier B' });
    const xr = 'VQSessionReport: CallTerm\r\nLocalMetrics:\r\nPacketLoss:NLR=5.0\r\n';
    expect(classify(make({ protoType: PROTO_TYPE.mosShort, payload: xr }))).toMatchObject({ ok: true, text: xr });
  });
});

describe('nonSipPayload on hostile input', () => {
  it('never throws on random payloads of any non-SIP type: each is kept or rejected by name', () => {
    const reasons = new Set(['no-correlation-id', 'rtcp-short', 'rtcp-bad-version', 'rtcp-length-overrun', 'rtcp-count-overrun', 'rtcp-not-report',
      'rtcp-bad-json', 'qos-bad-json', 'rest-bad-json', 'transport-bad-json']);
    const types = [PROTO_TYPE.rtcp, PROTO_TYPE.log, PROTO_TYPE.rest, PROTO_TYPE.net, PROTO_TYPE.mosFull, PROTO_TYPE.mosShort, 0x20, 99];
    fc.assert(fc.property(fc.constantFrom(...types), fc.uint8Array({ maxLength: 120 }), fc.option(fc.string({ maxLength: 8 })), (protoType, bytes, corr) => {
      const r = classify(make({ protoType, payload: Buffer.from(bytes), correlationId: corr || null }));
      if (!r.ok) expect(reasons.has(r.reason)).toBe(true);
    }), { numRuns: 1000 });
  });
});
