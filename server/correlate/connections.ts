/**
 * Files OpenSIPS transport events (HEP type 89: TCP/TLS/WS connection accepted, connected, closed)
 * under a call. The event names its connection only (0x0011 = connection id), so it goes with the
 * call whose SIP messages use the same connection, that is the same pair of endpoints: the last
 * call seen on it within the window, else the next SIP message on it in the same batch (OpenSIPS
 * traces "ACCEPTED" as it reads the connection's first message). A connection carries many calls
 * over its life (a trunk), so the event is filed under one call rather than linking the calls to
 * each other; one with no call near it stays under its connection id. Pure state, fed batches in
 * the order received.
 */
import { LRUCache } from 'lru-cache';
import { PROTO_TYPE } from '../hep/chunks.ts';
import type { MessageInput } from '../store/types.ts';
import { detached } from '../strings.ts';

export interface ConnectionMatcherOptions {
  /** How far apart an event and a SIP message of its connection may be, µs. */
  windowMicros: number;
  /** Connections remembered at most (the least recently used forgotten first). */
  maxConnections: number;
}

type Addressed = Pick<MessageInput, 'srcIp' | 'srcPort' | 'dstIp' | 'dstPort'>;

/** The connection of a message: its two endpoints, in either direction. */
export function connectionKey(m: Addressed): string {
  const a = `${m.srcIp}|${m.srcPort}`;
  const b = `${m.dstIp}|${m.dstPort}`;
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** A transport event still filed under its connection id (no SIP Call-ID came with it). */
export function isUnfiledTransportEvent(m: MessageInput): boolean {
  return m.protoType === PROTO_TYPE.net && m.callId === m.hepCorrelationId;
}

export class ConnectionMatcher {
  /**
   * Connection → the last call seen on it, least recently used forgotten first. A Map re-ordered
   * by delete and set, once full, stepped over the holes earlier deletes left at its front for each
   * eviction: 1 s of the ingest thread's 10 s importing bench/pcap's 134 MB capture.
   */
  private readonly calls: LRUCache<string, { callId: string; ts: number }>;

  constructor(private readonly o: ConnectionMatcherOptions) {
    this.calls = new LRUCache({ max: o.maxConnections });
  }

  /**
   * Sets the `callId` of each transport event of `batch` (in received order) to its connection's
   * call, when one is near; answers how many found none.
   */
  fileBatch(batch: readonly MessageInput[]): number {
    let unfiled = 0;
    for (let i = 0; i < batch.length; i++) {
      const m = batch[i];
      if (m.protoType === PROTO_TYPE.sip) {
        if (m.transport !== 'udp') this.remember(m);
      } else if (isUnfiledTransportEvent(m)) {
        const callId = this.callOf(m) ?? this.nextCall(batch, i);
        if (callId !== null) m.callId = callId;
        else unfiled++;
      }
    }
    return unfiled;
  }

  private remember(m: MessageInput): void {
    const key = connectionKey(m);
    const known = this.calls.get(key);
    if (known === undefined) this.calls.set(detached(key), { callId: detached(m.callId), ts: m.ts });
    else {
      if (known.callId !== m.callId) known.callId = detached(m.callId);
      known.ts = m.ts;
    }
  }

  private callOf(e: MessageInput): string | null {
    const known = this.calls.peek(connectionKey(e));
    return known && Math.abs(e.ts - known.ts) <= this.o.windowMicros ? known.callId : null;
  }

  /** The Call-ID of the first SIP message after `i` on the event's connection, within the window. */
  private nextCall(batch: readonly MessageInput[], i: number): string | null {
    const e = batch[i];
    const key = connectionKey(e);
    for (let j = i + 1; j < batch.length; j++) {
      const m = batch[j];
      if (m.protoType !== PROTO_TYPE.sip || m.transport === 'udp') continue;
      if (Math.abs(m.ts - e.ts) > this.o.windowMicros) continue;
      if (connectionKey(m) === key) return m.callId;
    }
    return null;
  }
}
