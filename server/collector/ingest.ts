/**
 * Everything between a received frame and the store: decode HEP, parse SIP, find links, batch.
 * Transports (udp.ts, tcp.ts, the pcap importer) are thin callers of `hep()` and `sip()`.
 */
import { decodeHep } from '../hep/decode.ts';
import { IP_PROTOCOL, PROTO_TYPE, PROTO_TYPE_NAMES } from '../hep/chunks.ts';
import { parseSip } from '../sip/parse.ts';
import { linksOf } from '../correlate/links.ts';
import { blindTransferLink, matchBlindTransfer, referRecordOf, type ReferCandidate } from '../correlate/blind.ts';
import type { Config } from '../config.ts';
import type { HepRecord } from '../hep/types.ts';
import type { MessageInput, Store } from '../store/types.ts';
import type { Metrics } from './metrics.ts';
import { Batcher } from './batcher.ts';

export interface FrameMeta {
  transport: 'udp' | 'tcp' | 'file';
  /** "ip:port" of the sender. */
  peer: string;
  /** When the frame arrived, µs since the epoch. */
  receivedAt: number;
}

/** A SIP message found outside HEP (a capture file). */
export interface CapturedSip {
  ts: number;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  transport: string;
  payload: Buffer;
  captureId: string;
}

export interface IngestDeps {
  store: Store;
  config: Config;
  metrics: Metrics;
  log?: (msg: string, fields?: object) => void;
}

/** REFERs kept in memory for blind-transfer matching, at most (one window's worth at high rates). */
const MAX_RECENT_REFERS = 10_000;

export class Ingest {
  private readonly batcher: Batcher;
  private readonly recentRefers: ReferCandidate[] = [];
  // Counter children resolved once: a labelled inc() hashes its labels on every call.
  private readonly receivedBy;
  private readonly decodedSip;

  constructor(private readonly d: IngestDeps) {
    const c = d.config;
    this.batcher = new Batcher({
      batchSize: c.batchSize, batchDelayMs: c.batchDelayMs, maxPending: c.maxPending, metrics: d.metrics,
      maxInFlight: d.store.writeDepth, writeRetries: d.store.retriesWrites,
      write: (batch, onRetry) => d.store.insert(batch, onRetry),
      prepare: (batch) => this.linkBlindTransfers(batch),
      log: d.log ?? (() => {}),
    });
    d.metrics.pendingSource = () => this.batcher.pending;
    const r = d.metrics.received;
    this.receivedBy = { udp: r.labels('udp'), tcp: r.labels('tcp'), file: r.labels('file') };
    this.decodedSip = d.metrics.decoded.labels('sip');
  }

  /**
   * One HEP packet (a UDP datagram, a TCP frame, a HEP packet found in a capture file). Answers
   * the Call-ID (or correlation id) it is filed under, null when it was skipped.
   */
  hep(buf: Buffer, meta: FrameMeta): string | null {
    const { metrics, config } = this.d;
    this.receivedBy[meta.transport].inc();
    // Past the backlog bound the message would be dropped after parsing: drop it before, so that
    // an overload leaves the CPU to the store catching up.
    if (this.batcher.full) return skip(metrics.dropped, 'buffer-full');
    if (buf.length > config.maxPacketBytes) return skip(metrics.rejected, 'too-large');
    const r = decodeHep(buf);
    if (!r.ok) return skip(metrics.rejected, r.reason);
    const rec = r.record;
    if (config.hepAuthKey !== null && rec.authKey !== config.hepAuthKey) return skip(metrics.rejected, 'bad-auth-key');
    if (rec.protoType === PROTO_TYPE.sip) this.decodedSip.inc();
    else metrics.decoded.inc({ proto: PROTO_TYPE_NAMES.get(rec.protoType) ?? String(rec.protoType) });
    const ts = rec.tsSec === 0 && rec.tsUsec === 0 ? meta.receivedAt : rec.tsSec * 1_000_000 + rec.tsUsec;
    const base = {
      ts, srcIp: rec.srcIp, srcPort: rec.srcPort, dstIp: rec.dstIp, dstPort: rec.dstPort,
      transport: transportName(rec.ipProtocol),
      captureId: rec.nodeName ?? (rec.captureId !== null ? String(rec.captureId) : meta.peer.replace(/:\d+$/, '')),
      hepCorrelationId: rec.correlationId, protoType: rec.protoType,
    };
    return rec.protoType === PROTO_TYPE.sip ? this.sipText(rec.payload.toString('utf8'), base) : this.other(rec, base);
  }

  /** One SIP message found outside HEP; answers its Call-ID, null when it was skipped. */
  sip(f: CapturedSip): string | null {
    this.receivedBy.file.inc();
    return this.sipText(f.payload.toString('utf8'), {
      ts: f.ts, srcIp: f.srcIp, srcPort: f.srcPort, dstIp: f.dstIp, dstPort: f.dstPort, transport: f.transport,
      captureId: f.captureId, hepCorrelationId: null, protoType: PROTO_TYPE.sip,
    });
  }

  private sipText(text: string, base: Base): string | null {
    const { metrics, config } = this.d;
    const sip = parseSip(text, { correlationHeaders: config.correlationHeaders, sdp: false });
    // Cannot be placed in any call: count and skip (a message that names a Call-ID is kept, flagged).
    if (!sip.callId) return skip(metrics.rejected, 'sip-no-call-id');
    for (const p of sip.problems) metrics.malformed.inc({ problem: p });
    // Fields copied one by one: spreading `base` here cost ~25 µs a message (the hot path).
    const m: MessageInput = {
      ts: base.ts, srcIp: base.srcIp, srcPort: base.srcPort, dstIp: base.dstIp, dstPort: base.dstPort,
      transport: base.transport, captureId: base.captureId, hepCorrelationId: base.hepCorrelationId, protoType: base.protoType,
      callId: sip.callId,
      method: sip.method, status: sip.status, reason: sip.reason,
      cseqNum: sip.cseq?.num ?? null, cseqMethod: sip.cseq?.method ?? null,
      fromUser: sip.from?.uri.user ?? null, fromTag: sip.from?.tag ?? null,
      toUser: sip.to?.uri.user ?? null, toTag: sip.to?.tag ?? null,
      ruriUser: sip.requestUri?.user ?? null, userAgent: sip.userAgent, viaBranch: sip.viaBranch,
      hasSdp: sip.hasSdp, raw: text,
      problems: sip.problems.length ? sip.problems.join('; ') : null,
      links: linksOf(sip, base.hepCorrelationId, { correlationHeaders: config.correlationHeaders }),
    };
    const refer = referRecordOf(sip, base.ts);
    if (refer) this.rememberRefer(refer);
    this.batcher.add(m);
    return m.callId;
  }

  /** Logs, RTCP reports and other HEP payloads: kept under the correlation id they carry. */
  private other(rec: HepRecord, base: Base): string | null {
    const callId = rec.correlationId ?? rec.extraCorrelation?.sip ?? null;
    if (!callId) return skip(this.d.metrics.rejected, 'no-correlation-id');
    this.batcher.add({
      ...base, hepCorrelationId: rec.correlationId, callId, method: null, status: null, reason: null,
      cseqNum: null, cseqMethod: null, fromUser: null, fromTag: null, toUser: null, toTag: null, ruriUser: null,
      userAgent: null, viaBranch: null, hasSdp: false, raw: rec.payload.toString('utf8'), problems: null, links: [],
    });
    return callId;
  }

  private rememberRefer(r: ReferCandidate): void {
    this.recentRefers.push(r);
    if (this.recentRefers.length > MAX_RECENT_REFERS) this.recentRefers.splice(0, this.recentRefers.length - MAX_RECENT_REFERS);
  }

  /**
   * A blind transfer leaves no id in the new call: match each initial INVITE without links to a
   * recent REFER: those of this batch (not stored yet) and the store's (another collector may have seen it).
   */
  private async linkBlindTransfers(batch: MessageInput[]): Promise<void> {
    const candidates = batch.filter((m) => m.method === 'INVITE' && m.toTag === null && m.links.length === 0);
    if (!candidates.length) return;
    const window = this.d.config.blindTransferWindowMicros;
    const since = Math.min(...candidates.map((m) => m.ts)) - window;
    const until = Math.max(...candidates.map((m) => m.ts));
    const refers = new Map<string, ReferCandidate>();
    for (const r of this.recentRefers) if (r.ts >= since && r.ts <= until) refers.set(`${r.callId}@${r.ts}`, r);
    for (const msg of await this.d.store.findRequests('REFER', since, until)) {
      const r = referRecordOf(parseSip(msg.raw, { correlationHeaders: [] }), msg.ts);
      if (r) refers.set(`${r.callId}@${r.ts}`, r);
    }
    if (!refers.size) return;
    const list = [...refers.values()];
    for (const m of candidates) {
      const sip = parseSip(m.raw, { correlationHeaders: [] });
      const match = matchBlindTransfer({ ts: m.ts, callId: m.callId, fromUser: m.fromUser, toUser: m.toUser,
        ruriUser: m.ruriUser, referredBy: sip.referredBy }, list, window);
      if (match) m.links.push(blindTransferLink(match.refer));
    }
  }

  get pending(): number {
    return this.batcher.pending;
  }

  /** Resolves once everything handed in so far is stored. */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /** Resolves once at most `max` messages wait to be stored. */
  settle(max: number): Promise<void> {
    return this.batcher.settle(max);
  }

  close(): Promise<void> {
    return this.batcher.close();
  }
}

/** Counts a skipped packet or message under `reason`; null is what hep() and sip() answer for it. */
function skip(counter: Metrics['rejected'], reason: string): null {
  counter.inc({ reason });
  return null;
}

type Base = Pick<MessageInput, 'ts' | 'srcIp' | 'srcPort' | 'dstIp' | 'dstPort' | 'transport' | 'captureId' | 'hepCorrelationId' | 'protoType'>;

/**
 * IP protocol number → transport name. OpenSIPS and Kamailio send fake numbers: 22 (IPPROTO_IDP)
 * for TLS (Kamailio also for WS), 50 (IPPROTO_ESP) for WS (OpenSIPS tracer.c pipport2su).
 */
export function transportName(ipProtocol: number): string {
  switch (ipProtocol) {
    case IP_PROTOCOL.udp: return 'udp';
    case IP_PROTOCOL.tcp: return 'tcp';
    case IP_PROTOCOL.sctp: return 'sctp';
    case IP_PROTOCOL.idp: return 'tls';
    case IP_PROTOCOL.esp: return 'ws';
    default: return `ip-${ipProtocol}`;
  }
}
