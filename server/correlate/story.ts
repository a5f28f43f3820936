/**
 * The rest of a call's story beside its SIP, for the group view: the item fields of every message
 * (kind, text, log level, REST latency, report figures) and the media streams of each leg. Pure;
 * view.ts calls it with the payloads `storyPayloadIds` asks for.
 */
import { PROTO_TYPE } from '../hep/chunks.ts';
import { DEFAULT_RTP_CLOCK_HZ, audioOf, mediaStreams, reportStats, type LegReport, type LegSdp, type MediaStream, type ReportStats, type SdpMessageIds, type SdpSide } from '../media/streams.ts';
import type { MessageMeta } from '../store/types.ts';
import { itemOf, type ItemKind } from './items.ts';

/**
 * Ids whose payload the story reads: every non-SIP item, and per Call-ID the first SDP offer and
 * answer (addresses, codec) and the last ones (hold): at most four SIP payloads a leg, however
 * long the call. `messages` in time order.
 */
export function storyPayloadIds(messages: readonly MessageMeta[]): string[] {
  const out: string[] = [];
  const sdp = new SdpSteps<string>();
  for (const m of messages) {
    if (m.protoType !== PROTO_TYPE.sip) out.push(m.id);
    else if (m.hasSdp) sdp.step(m, m.id);
  }
  for (const s of sdp.byCall.values()) for (const id of [s.offer, s.answer, s.lastOffer, s.lastAnswer]) if (id !== null) out.push(id);
  return out;
}

/**
 * Offer/answer bookkeeping per Call-ID (RFC 3264): the first INVITE with SDP is the offer, the
 * first response with SDP after it the answer; a later INVITE with SDP (a re-INVITE) starts the
 * last pair. `T` is what is kept of each message.
 */
class SdpSteps<T> {
  readonly byCall = new Map<string, { offer: T | null; answer: T | null; lastOffer: T | null; lastAnswer: T | null }>();

  step(m: MessageMeta, v: T): void {
    let s = this.byCall.get(m.callId);
    if (!s) this.byCall.set(m.callId, (s = { offer: null, answer: null, lastOffer: null, lastAnswer: null }));
    if (m.method === 'INVITE') {
      if (s.offer === null) s.offer = v;
      else if (s.answer !== null) {
        s.lastOffer = v;
        s.lastAnswer = null;
      }
    } else if (m.status !== null && s.offer !== null) {
      if (s.answer === null) s.answer = v;
      else if (s.lastOffer !== null && s.lastAnswer === null) s.lastAnswer = v;
    }
  }
}

export interface ItemFields {
  kind: ItemKind;
  text: string | null;
  level: string | null;
  latencyMs: number | null;
  stats: ReportStats | null;
}

const SIP_FIELDS: ItemFields = { kind: 'sip', text: null, level: null, latencyMs: null, stats: null };

export interface Story {
  /** By message id. */
  items: Map<string, ItemFields>;
  media: MediaStream[];
}

/**
 * `messages` in time order with their leg; `payloads` holds at least `storyPayloadIds`' (a
 * missing payload shows the item without its details).
 */
export function buildStory(messages: readonly { m: MessageMeta; leg: number }[], payloads: ReadonlyMap<string, string>): Story {
  const legSdp = sdpByLeg(messages, payloads);
  const items = new Map<string, ItemFields>();
  const reports: LegReport[] = [];
  const restSent = new Map<string, number>(); // REST 0x0011 → request time, µs
  for (const { m, leg } of messages) {
    if (m.protoType === PROTO_TYPE.sip) {
      items.set(m.id, SIP_FIELDS);
      continue;
    }
    const info = itemOf(m.protoType, payloads.get(m.id));
    let latencyMs: number | null = null;
    if (info.kind === 'rest' && m.hepCorrelationId !== null) {
      // OpenSIPS traces request and reply with one "RESTCORR…" id (rest_methods.c trace_rest_message).
      const sent = restSent.get(m.hepCorrelationId);
      if (info.httpStatus === null) restSent.set(m.hepCorrelationId, m.ts);
      else if (sent !== undefined) latencyMs = Math.round((m.ts - sent) / 10) / 100;
    }
    let stats: ReportStats | null = null;
    if (info.report) {
      const media = legSdp.get(leg);
      const side = media?.answer ?? media?.offer ?? null;
      stats = reportStats(info.report, m.ts, side?.clockHz ?? DEFAULT_RTP_CLOCK_HZ, side?.codec ?? null);
    }
    // An SR or RR with no block has no figures, but says its sender received nothing (no-packets).
    if (stats || info.rtcp) reports.push({ leg, id: m.id, srcIp: m.srcIp, srcPort: m.srcPort, stats, rtcp: info.rtcp });
    items.set(m.id, { kind: info.kind, text: info.text, level: info.level, latencyMs, stats });
  }
  return { items, media: mediaStreams([...legSdp.values()], reports) };
}

/**
 * Each leg's first offer and answer, with the directions of its last ones (a hold re-INVITE), and
 * the messages each was read from.
 */
function sdpByLeg(messages: readonly { m: MessageMeta; leg: number }[], payloads: ReadonlyMap<string, string>): Map<number, LegSdp> {
  const steps = new SdpSteps<{ side: SdpSide; signalIp: string; id: string }>();
  const legOf = new Map<string, number>();
  for (const { m, leg } of messages) {
    if (m.protoType !== PROTO_TYPE.sip || !m.hasSdp) continue;
    const raw = payloads.get(m.id);
    const side = raw === undefined ? null : audioOf(raw, DEFAULT_RTP_CLOCK_HZ);
    if (!side) continue;
    if (!legOf.has(m.callId)) legOf.set(m.callId, leg);
    steps.step(m, { side, signalIp: m.srcIp, id: m.id });
  }
  const out = new Map<number, LegSdp>();
  for (const [callId, s] of steps.byCall) {
    const leg = legOf.get(callId)!;
    if (out.has(leg)) continue; // one SDP exchange a leg: the first Call-ID seen on it
    // The re-INVITE may come from either party: its offer is the caller's when the caller sent it.
    const sameWay = s.lastOffer === null || s.lastOffer.signalIp === s.offer?.signalIp;
    const callerLast = sameWay ? s.lastOffer : s.lastAnswer;
    const calleeLast = sameWay ? s.lastAnswer : s.lastOffer;
    const last = (first: SdpSide | undefined, later: { side: SdpSide } | null): SdpSide | null =>
      first ? { ...first, direction: later?.side.direction ?? first.direction } : null;
    const ids = (first: { id: string } | null, later: { id: string } | null): SdpMessageIds | null =>
      first ? { sdp: first.id, direction: later?.id ?? first.id } : null;
    out.set(leg, {
      leg,
      offer: last(s.offer?.side, callerLast), offerSignalIp: s.offer?.signalIp ?? null, offerIds: ids(s.offer, callerLast),
      answer: last(s.answer?.side, calleeLast), answerSignalIp: s.answer?.signalIp ?? null, answerIds: ids(s.answer, calleeLast),
    });
  }
  return out;
}
