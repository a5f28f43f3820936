/**
 * Everything between a received frame and the store: decode HEP, parse SIP, find links, batch.
 * Transports (udp.ts, tcp.ts, the pcap importer) are thin callers of `hep()` and `sip()`.
 */
import { decodeHep } from '../hep/decode.ts';
import { IP_PROTOCOL, PROTO_TYPE, PROTO_TYPE_NAMES } from '../hep/chunks.ts';
import { parseSip } from '../sip/parse.ts';
import type { SipMessage } from '../sip/types.ts';
import { linksOf } from '../correlate/links.ts';
import { blindTransferLink, matchBlindTransfer, referRecordOf, type BlindInvite, type ReferCandidate } from '../correlate/blind.ts';
import { WindowMatcher } from '../correlate/window.ts';
import { InferredMatcher } from '../correlate/inferred.ts';
import type { Config } from '../config.ts';
import { noLog, type Log } from '../log.ts';
import type { DecodeOptions, HepRecord } from '../hep/types.ts';
import type { WireAddress } from '../hep/inet.ts';
import type { MessageInput, Store } from '../store/types.ts';
import type { Metrics } from './metrics.ts';
import { Batcher, type DropReason } from './batcher.ts';
import { touchedBy } from '../live/keys.ts';
import type { ChangeFeed } from '../live/feed.ts';
import { storableText } from './storable.ts';
import { natAddresses } from '../kpi/state.ts';
import { nonSipPayload } from './non-sip.ts';
import { ConnectionMatcher } from '../correlate/connections.ts';
import { CONNECTION_EVENT_WINDOW_MICROS, LIVE_BATCH_DELAY_MS, MAX_TRACKED_CONNECTIONS } from '../config.ts';

export interface FrameMeta {
  transport: 'udp' | 'tcp' | 'file';
  /** "ip:port" of the sender. */
  peer: string;
  /** When the frame arrived, µs since the epoch. */
  receivedAt: number;
}

/** A SIP message found outside HEP (a capture file). */
export interface CapturedSip extends WireAddress {
  ts: number;
  transport: string;
  payload: Buffer;
  captureId: string;
}

export interface IngestDeps {
  store: Store;
  config: Config;
  metrics: Metrics;
  log?: Log;
  /** Told what each batch touched once it is stored (live views, server/live/feed.ts). */
  feed?: Pick<ChangeFeed, 'publish' | 'wanted' | 'unread'>;
  /** Whether a live view is open: batches are then written after LIVE_BATCH_DELAY_MS at most. */
  watched?: () => boolean;
}

export class Ingest {
  private readonly batcher: Batcher;
  private readonly window: WindowMatcher;
  /** Links calls sharing no value through the configured B2BUAs/SBCs; null when none is configured. */
  private readonly inferred: InferredMatcher | null;
  /** Messages the window step has seen: a batch retried after a failed write is not fed twice. */
  private readonly windowSeen = new WeakSet<MessageInput>();
  /** The parse of the few messages the window step reads (INVITE, REFER, 3xx), so that it parses none again. */
  private readonly parsedForWindow = new WeakMap<MessageInput, SipMessage>();
  /** Files transport events under the call of their connection (fed every batch in linkByWindow). */
  private readonly connections = new ConnectionMatcher({
    windowMicros: CONNECTION_EVENT_WINDOW_MICROS, maxConnections: MAX_TRACKED_CONNECTIONS,
  });
  // Counter children resolved once: a labelled inc() hashes its labels on every call.
  private readonly receivedBy;
  private readonly decodedSip;
  private readonly decodedByType = new Map<number, ReturnType<Metrics['decoded']['labels']>>();
  /**
   * What every HEP packet is decoded with, here or by the capture importer (which decodes once and
   * calls hepRecord). The auth key is checked inside decodeHep, before a payload is inflated.
   */
  readonly hepDecodeOptions: DecodeOptions;

  constructor(private readonly d: IngestDeps) {
    const c = d.config;
    this.batcher = new Batcher({
      batchSize: c.batchSize, batchDelayMs: c.batchDelayMs,
      delayMs: d.watched && (() => (d.watched!() ? Math.min(c.batchDelayMs, LIVE_BATCH_DELAY_MS) : c.batchDelayMs)),
      maxPending: c.maxPending, maxPendingBytes: c.maxPendingBytes, metrics: d.metrics,
      maxInFlight: d.store.writeDepth, writeRetries: d.store.retriesWrites,
      write: (batch, onRetry) => {
        // Read before the store takes the batch (it may not keep it); told once the batch is stored.
        // Nobody to tell (no live view, no other process): only that a batch went by unread.
        const feed = d.feed;
        const wanted = feed?.wanted() ?? 'nothing';
        const touched = wanted === 'nothing' ? null : touchedBy(batch, wanted === 'terms');
        const written = d.store.insert(batch, onRetry, (reason, m, err) => this.setAside(reason, m, err));
        return feed ? written.then(() => (touched ? feed.publish(touched) : feed.unread())) : written;
      },
      prepare: (batch) => this.linkByWindow(batch),
      log: d.log ?? noLog,
    });
    d.metrics.pendingSource = () => this.batcher.unsettled;
    d.metrics.pendingBytesSource = () => this.batcher.pendingBytes;
    // Per-call KPIs for /metrics come from the store's fold, done once as it writes the search rows.
    d.metrics.expireCalls = d.store.followCalls(d.metrics.kpiSink);
    this.hepDecodeOptions = { authKey: c.hepAuthKey, maxDecompressedBytes: c.maxDecompressedBytes };
    this.window = new WindowMatcher({ blindTransferWindowMicros: c.blindTransferWindowMicros });
    const inferred = new InferredMatcher({
      boxes: c.inferredBoxes, aliases: c.aliases, windowMicros: c.inferredWindowMs * 1000, digits: c.inferredDigits, stripPrefixes: c.inferredStripPrefixes,
    });
    this.inferred = inferred.enabled ? inferred : null;
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
    const full = this.batcher.full;
    if (full) return skip(metrics.dropped, full);
    if (buf.length > config.maxPacketBytes) return skip(metrics.rejected, 'too-large');
    const r = decodeHep(buf, this.hepDecodeOptions);
    if (!r.ok) return skip(metrics.rejected, r.reason);
    return this.record(r.record, meta);
  }

  /**
   * One HEP packet already decoded with `hepDecodeOptions` (by the capture importer): the same
   * checks as hep() but the decode. `packet` is its bytes. Answers as hep() does.
   */
  hepRecord(packet: Buffer, rec: HepRecord, meta: FrameMeta): string | null {
    const { metrics, config } = this.d;
    this.receivedBy[meta.transport].inc();
    const full = this.batcher.full;
    if (full) return skip(metrics.dropped, full);
    if (packet.length > config.maxPacketBytes) return skip(metrics.rejected, 'too-large');
    return this.record(rec, meta);
  }

  /** The decoded counter of a HEP payload type other than SIP, resolved once per type (a labelled inc() hashes its labels). */
  private decodedOther(protoType: number): ReturnType<Metrics['decoded']['labels']> {
    let c = this.decodedByType.get(protoType);
    if (c === undefined) {
      c = this.d.metrics.decoded.labels(PROTO_TYPE_NAMES.get(protoType) ?? String(protoType));
      // Types are a byte wide: the map stays small whatever a sender makes up.
      this.decodedByType.set(protoType, c);
    }
    return c;
  }

  private record(rec: HepRecord, meta: FrameMeta): string | null {
    if (rec.protoType === PROTO_TYPE.sip) this.decodedSip.inc();
    else this.decodedOther(rec.protoType).inc();
    const ts = rec.tsSec === 0 && rec.tsUsec === 0 ? meta.receivedAt : rec.tsSec * 1_000_000 + rec.tsUsec;
    const base = {
      ts, srcIp: rec.srcIp, srcPort: rec.srcPort, dstIp: rec.dstIp, dstPort: rec.dstPort,
      transport: transportName(rec.ipProtocol),
      captureId: rec.nodeName ?? (rec.captureId !== null ? String(rec.captureId) : meta.peer.replace(/:\d+$/, '')),
      hepCorrelationId: rec.correlationId, protoType: rec.protoType,
    };
    return rec.protoType === PROTO_TYPE.sip ? this.sipText(rec.payload, base) : this.other(rec, base);
  }

  /** One SIP message found outside HEP; answers its Call-ID, null when it was skipped. */
  sip(f: CapturedSip): string | null {
    this.receivedBy.file.inc();
    return this.sipText(f.payload, {
      ts: f.ts, srcIp: f.srcIp, srcPort: f.srcPort, dstIp: f.dstIp, dstPort: f.dstPort, transport: f.transport,
      captureId: f.captureId, hepCorrelationId: null, protoType: PROTO_TYPE.sip,
    });
  }

  private sipText(payload: Buffer, base: Base): string | null {
    const { metrics, config } = this.d;
    // Before parsing, so that no field taken from the text or from `base` carries what a store refuses.
    const { text, problems: textProblems } = storableText(payload, base);
    const sip = parseSip(text, { correlationHeaders: config.correlationHeaders, sdp: false });
    // Cannot be placed in any call: count and skip (a message that names a Call-ID is kept, flagged).
    if (!sip.callId) return skip(metrics.rejected, 'sip-no-call-id');
    const problems = textProblems.length ? [...sip.problems, ...textProblems] : sip.problems;
    for (const p of problems) metrics.malformed.inc({ problem: p });
    const nat = natAddresses(sip);
    // Fields copied one by one: spreading `base` here cost ~25 µs a message (the hot path).
    const m: MessageInput = {
      ts: base.ts, srcIp: base.srcIp, srcPort: base.srcPort, dstIp: base.dstIp, dstPort: base.dstPort,
      transport: base.transport, captureId: base.captureId, hepCorrelationId: base.hepCorrelationId, protoType: base.protoType,
      callId: sip.callId,
      method: sip.method, status: sip.status, reason: sip.reason,
      cseqNum: sip.cseq?.num ?? null, cseqMethod: sip.cseq?.method ?? null,
      fromUser: sip.from?.uri.user ?? null, fromTag: sip.from?.tag ?? null,
      toUser: sip.to?.uri.user ?? null, toTag: sip.to?.tag ?? null,
      ruriUser: sip.requestUri?.user ?? null, userAgent: sip.userAgent, viaBranch: sip.viaBranch, viaIp: nat.viaIp, contactIp: nat.contactIp,
      hasSdp: sip.hasSdp, raw: text,
      problems: problems.length ? problems.join('; ') : null,
      links: linksOf(sip, base.hepCorrelationId, { correlationHeaders: config.correlationHeaders, correlationRules: config.correlationRules }),
    };
    if (m.method === 'INVITE' || m.method === 'REFER' || (m.status !== null && m.status >= 300 && m.status < 400)) this.parsedForWindow.set(m, sip);
    this.batcher.add(m);
    return m.callId;
  }

  /**
   * Logs, REST and transport traces, RTCP and QoS reports (non-sip.ts): filed under the call their
   * correlation names; a transport event under its connection's call (correlate/connections.ts).
   * A call not stored yet needs no wait: the store groups by Call-ID whatever arrives first.
   */
  private other(rec: HepRecord, base: Base): string | null {
    const r = nonSipPayload(rec, base);
    if (!r.ok) return skip(this.d.metrics.rejected, r.reason);
    for (const p of r.problems) this.d.metrics.malformed.inc({ problem: p });
    // The same fields in the same order as sipText's: one object shape for every message keeps the
    // code that reads them monomorphic (a spread of `base` here cost 10 µs a message in the RTCP mix).
    const m: MessageInput = {
      ts: base.ts, srcIp: base.srcIp, srcPort: base.srcPort, dstIp: base.dstIp, dstPort: base.dstPort,
      transport: base.transport, captureId: base.captureId, hepCorrelationId: base.hepCorrelationId, protoType: base.protoType,
      callId: r.callId,
      method: null, status: null, reason: null,
      cseqNum: null, cseqMethod: null,
      fromUser: null, fromTag: null,
      toUser: null, toTag: null,
      ruriUser: null, userAgent: null, viaBranch: null, viaIp: null, contactIp: null,
      hasSdp: false, raw: r.text,
      problems: r.problems.length ? r.problems.join('; ') : null,
      links: [],
    };
    this.batcher.add(m); // a transport event gets its call in linkByWindow, where SIP and events pass in order
    return m.callId;
  }

  /** A message the store refused for its content even alone and escaped: not stored, counted and logged. */
  private setAside(reason: string, m: MessageInput, err: Error): void {
    this.d.metrics.setAside.inc({ reason });
    this.d.log?.('message set aside: the store refused it', { reason, error: err.message, callId: m.callId.slice(0, 200), ts: m.ts });
  }

  /**
   * Links no header carries (blind transfer, forward, redirect, inferred): each message is matched to the
   * recent ones the window step remembers, in the order received. A blind-transfer INVITE left
   * unmatched is also matched to the REFERs in the store (another collector may have seen one).
   */
  private async linkByWindow(batch: MessageInput[]): Promise<void> {
    const open: { m: MessageInput; invite: BlindInvite }[] = [];
    const unfiled = this.connections.fileBatch(batch.filter((m) => !this.windowSeen.has(m)));
    if (unfiled) this.d.metrics.unfiled.inc({ reason: 'transport-no-call' }, unfiled);
    // Before any await: batches are prepared in the order they were received.
    for (const m of batch) {
      if (this.windowSeen.has(m)) continue;
      this.windowSeen.add(m);
      const r = this.window.step(m, this.parsedForWindow.get(m));
      for (const l of r.links) m.links.push(l);
      const inferred = this.inferred?.step(m);
      if (inferred) m.links.push(inferred);
      if (r.blind) open.push({ m, invite: r.blind });
    }
    if (!open.length) return;
    const window = this.d.config.blindTransferWindowMicros;
    const since = Math.min(...open.map((o) => o.m.ts)) - window;
    const until = Math.max(...open.map((o) => o.m.ts));
    const refers: ReferCandidate[] = [];
    for (const msg of await this.d.store.findRequests('REFER', since, until)) {
      const r = referRecordOf(parseSip(msg.raw, { correlationHeaders: [] }), msg.ts);
      if (r) refers.push(r);
    }
    if (!refers.length) return;
    for (const { m, invite } of open) {
      const match = matchBlindTransfer(invite, refers, window);
      if (match) m.links.push(blindTransferLink(match.refer));
    }
  }

  get pending(): number {
    return this.batcher.pending;
  }

  /** Messages not yet stored, those being written included. */
  get unsettled(): number {
    return this.batcher.unsettled;
  }

  /** Resolves once everything handed in so far is stored. */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /** Resolves once at most `max` messages wait to be stored. */
  settle(max: number): Promise<void> {
    return this.batcher.settle(max);
  }

  /** Whether a message handed in now would be dropped, the store being behind (why), or null. */
  get full(): DropReason | null {
    return this.batcher.full;
  }

  /** Resolves once a message handed in would be kept again. */
  room(): Promise<void> {
    return this.batcher.room();
  }

  close(): Promise<void> {
    return this.batcher.close();
  }

  /** Stops storing at once: drops what has not been handed to the store yet, counted under `reason`; answers how many. */
  abandon(reason: string): number {
    return this.batcher.abandon(reason);
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
