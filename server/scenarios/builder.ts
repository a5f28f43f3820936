/**
 * Scenario toolkit: network nodes, the tracers that capture their traffic (as OpenSIPS and
 * Kamailio really do: OpenSIPS tracer's scopes and C/c side flags, Kamailio siptrace's mirror mode), a
 * clock and a seeded random source, and `emit`, which turns one message sent on one hop into
 * the HEP packets the tracers would send. Dialog-level SIP lives in dialog.ts.
 */
import { IP_PROTOCOL, PROTO_TYPE } from '../hep/chunks.ts';
import type { HepEncodeInput } from '../hep/types.ts';

export type Side = 'caller' | 'callee';

/** One SIP element on the network. */
export interface Node {
  /** Human name ("Alice", "Main proxy"), for comments and aliases. */
  name: string;
  ip: string;
  port: number;
  /** User-Agent (requests) / Server (responses) value. */
  agent: string;
}

/** A SIP server that sends what it receives and sends as HEP. */
export interface Tracer {
  node: Node;
  /** HEP3 chunk 0x000c (OpenSIPS hep_capture_id, Kamailio hep_capture_id). */
  captureId: number;
  /** HEP3 chunk 0x0011 for a message of `callId`; null sends no chunk. */
  correlation(callId: string): string | null;
  /** Whether the hop from → to is traced (trace() flags C/c trace one side only). */
  traces(from: Node, to: Node, callId: string): boolean;
}

export interface TracerOptions {
  /** OpenSIPS trace(..., correlation_id): the forced id for a Call-ID, or null/undefined for none. */
  forced?: (callId: string) => string | null | undefined;
  traces?: (from: Node, to: Node, callId: string) => boolean;
}

/**
 * OpenSIPS tracer + proto_hep: every traced message carries 0x0011 = the forced correlation id,
 * else the message's own Call-ID (tracer.c send_trace_proto_duplicate).
 */
export function opensipsTracer(node: Node, captureId: number, opts: TracerOptions = {}): Tracer {
  return {
    node,
    captureId,
    correlation: (callId) => opts.forced?.(callId) ?? callId,
    traces: opts.traces ?? (() => true),
  };
}

/** Kamailio siptrace with trace_mode=1 (core callbacks): no 0x0011 at all ([VERIFIED] §3.2). */
export function kamailioTracer(node: Node, captureId: number, opts: Pick<TracerOptions, 'traces'> = {}): Tracer {
  return { node, captureId, correlation: () => null, traces: opts.traces ?? (() => true) };
}

/** Network and processing delays, µs, drawn uniformly per message. */
export interface Timing {
  /** Time on the wire between two nodes (the receiver traces this much after the sender). */
  wire: [number, number];
  /** Time a node takes before its next message (a proxy relaying, a UA answering at once). */
  proc: [number, number];
}

/** A LAN/WAN mix: 0.15–0.9 ms on the wire, 40–600 µs of processing. */
export const DEFAULT_TIMING: Timing = { wire: [150, 900], proc: [40, 600] };

/** mulberry32: a tiny seeded PRNG, so a scenario is the same bytes on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One logical message as sent on one hop (before tracers copy it). */
export interface Sent {
  from: Node;
  to: Node;
  text: string;
  callId: string;
  side: Side;
}

export class ScenarioBuilder {
  /** µs since `base`. */
  private t = 0;
  private readonly random: () => number;
  readonly packets: HepEncodeInput[] = [];
  /** The expected side of every logical message, in send order (given per hop by the scenario). */
  readonly sides: Side[] = [];

  /** `base`: µs since the epoch at which the scenario starts. */
  constructor(
    readonly base: number,
    seed: number,
    readonly tracers: Tracer[],
    readonly timing: Timing = DEFAULT_TIMING,
  ) {
    this.random = mulberry32(seed);
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  hex(chars: number): string {
    let s = '';
    while (s.length < chars) s += Math.floor(this.random() * 0x100000000).toString(16).padStart(8, '0');
    return s.slice(0, chars);
  }

  callId(host: Node): string {
    return `${this.hex(24)}@${host.ip.includes(':') ? `[${host.ip}]` : host.ip}`;
  }

  tag(): string {
    return this.hex(10);
  }

  /** RFC 3261 §8.1.1.7: branches start with the magic cookie z9hG4bK. */
  branch(): string {
    return `z9hG4bK${this.hex(12)}`;
  }

  /** Current scenario time, µs since base. */
  now(): number {
    return this.t;
  }

  /** Lets `ms` milliseconds (fractions allowed) pass. */
  wait(ms: number): void {
    this.t += Math.round(ms * 1000);
  }

  /** Sends one message on one hop: every tracer on either end that traces the hop captures it. */
  emit(s: Sent): void {
    const wire = this.int(...this.timing.wire);
    for (const tr of this.tracers) {
      const atSender = tr.node === s.from;
      if ((!atSender && tr.node !== s.to) || !tr.traces(s.from, s.to, s.callId)) continue;
      const ts = this.base + this.t + (atSender ? 0 : wire);
      this.packets.push({
        ipProtocol: IP_PROTOCOL.udp,
        srcIp: s.from.ip,
        srcPort: s.from.port,
        dstIp: s.to.ip,
        dstPort: s.to.port,
        tsSec: Math.floor(ts / 1_000_000),
        tsUsec: ts % 1_000_000,
        protoType: PROTO_TYPE.sip,
        captureId: tr.captureId,
        correlationId: tr.correlation(s.callId),
        payload: s.text,
      });
    }
    this.sides.push(s.side);
    this.t += wire + this.int(...this.timing.proc);
  }

  /** The packets in capture-time order (stable: equal times keep send order). */
  sortedPackets(): HepEncodeInput[] {
    const key = (p: HepEncodeInput): number => p.tsSec * 1_000_000 + p.tsUsec;
    return this.packets.map((p, i) => ({ p, i })).sort((a, b) => key(a.p) - key(b.p) || a.i - b.i).map((x) => x.p);
  }
}
