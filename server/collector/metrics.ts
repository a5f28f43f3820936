/**
 * Counters for /metrics (Prometheus text format). One registry per server instance, so tests can
 * run several servers in one process.
 */
import client from 'prom-client';
import type { KpiSink } from '../kpi/live-calls.ts';

export class Metrics {
  readonly registry = new client.Registry();
  readonly received = new client.Counter({
    name: 'hepflow_packets_received_total', help: 'HEP packets received, by transport',
    labelNames: ['transport'] as const, registers: [this.registry],
  });
  readonly decoded = new client.Counter({
    name: 'hepflow_packets_decoded_total', help: 'HEP packets decoded, by HEP protocol type',
    labelNames: ['proto'] as const, registers: [this.registry],
  });
  readonly rejected = new client.Counter({
    name: 'hepflow_packets_rejected_total', help: 'Packets or messages refused and skipped, by reason',
    labelNames: ['reason'] as const, registers: [this.registry],
  });
  readonly malformed = new client.Counter({
    name: 'hepflow_sip_malformed_total', help: 'SIP messages stored with a problem flag, by problem',
    labelNames: ['problem'] as const, registers: [this.registry],
  });
  readonly stored = new client.Counter({
    name: 'hepflow_messages_stored_total', help: 'Messages written to the store', registers: [this.registry],
  });
  readonly dropped = new client.Counter({
    name: 'hepflow_messages_dropped_total', help: 'Packets or messages lost for lack of room (receive queue, store backlog), by reason',
    labelNames: ['reason'] as const, registers: [this.registry],
  });
  readonly storeErrors = new client.Counter({
    name: 'hepflow_store_errors_total', help: 'Failed store writes (each is retried)', registers: [this.registry],
  });
  /** Read at scrape time (set by the collector), so the hot path does not update a gauge per message. */
  pendingSource: () => number = () => 0;
  readonly pending: client.Gauge = new client.Gauge({
    name: 'hepflow_pending_messages', help: 'Messages not yet stored: waiting to be written or being written', registers: [this.registry],
    collect: () => { this.pending.set(this.pendingSource()); },
  });
  /** Read at scrape time, like pendingSource. */
  pendingBytesSource: () => number = () => 0;
  readonly pendingBytes: client.Gauge = new client.Gauge({
    name: 'hepflow_pending_bytes', help: 'Payload bytes not yet stored: waiting to be written or being written', registers: [this.registry],
    collect: () => { this.pendingBytes.set(this.pendingBytesSource()); },
  });
  /** Read at scrape time, like pendingSource. */
  udpQueuedBytesSource: () => number = () => 0;
  readonly udpQueuedBytes: client.Gauge = new client.Gauge({
    name: 'hepflow_udp_queued_bytes', help: 'UDP datagrams received and not yet parsed, bytes: they wait while the store is behind',
    registers: [this.registry], collect: () => { this.udpQueuedBytes.set(this.udpQueuedBytesSource()); },
  });
  readonly setAside = new client.Counter({
    name: 'hepflow_messages_set_aside_total', help: 'Messages the store refused for their content, kept apart from the rest, by reason',
    labelNames: ['reason'] as const, registers: [this.registry],
  });
  readonly tcpConnections = new client.Gauge({
    name: 'hepflow_tcp_connections', help: 'Open HEP TCP connections', registers: [this.registry],
  });
  readonly tcpRefused = new client.Counter({
    name: 'hepflow_tcp_connections_refused_total', help: 'HEP TCP connections refused at accept, by reason',
    labelNames: ['reason'] as const, registers: [this.registry],
  });
  readonly tcpClosed = new client.Counter({
    name: 'hepflow_tcp_connections_closed_total', help: 'HEP TCP connections closed by hepflow, by reason',
    labelNames: ['reason'] as const, registers: [this.registry],
  });
  readonly tcpBytesDiscarded = new client.Counter({
    name: 'hepflow_tcp_bytes_discarded_total', help: 'HEP TCP bytes that were not part of a frame, by reason',
    labelNames: ['reason'] as const, registers: [this.registry],
  });
  readonly batchSeconds = new client.Histogram({
    name: 'hepflow_batch_write_seconds', help: 'Time to write one batch to the store',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5], registers: [this.registry],
  });
  // Live views (server/live).
  readonly liveClients = new client.Gauge({
    name: 'hepflow_live_clients', help: 'Open live streams (GET /api/v1/live)', registers: [this.registry],
  });
  readonly liveDropped = new client.Counter({
    name: 'hepflow_live_clients_dropped_total', help: 'Live streams closed by hepflow, by reason (slow, stalled, full)',
    labelNames: ['reason'] as const, registers: [this.registry],
  });
  readonly liveSearchPages = new client.Counter({
    name: 'hepflow_live_search_pages_total',
    help: 'Search pages asked for by live lists, by answer: shared (read for another list with the same filters) or read',
    labelNames: ['answer'] as const, registers: [this.registry],
  });
  // Logs, REST, transport events and RTCP (server/collector/non-sip.ts, correlate/connections.ts).
  readonly unfiled = new client.Counter({
    name: 'hepflow_items_unfiled_total', help: 'Non-SIP items stored under their own id for want of a call to file them with, by reason',
    labelNames: ['reason'] as const, registers: [this.registry],
  });

  // Per-call KPIs (server/kpi): fed by kpi/live-calls.ts when a call gets its final answer.
  readonly calls = new client.Counter({
    name: 'hepflow_calls_total', help: 'Calls whose initial INVITE got a final response, by disposition and status class (2xx..6xx)',
    labelNames: ['disposition', 'status_class'] as const, registers: [this.registry],
  });
  readonly callPdd = new client.Histogram({
    name: 'hepflow_call_pdd_seconds', help: 'Post-dial delay: initial INVITE to the first 180/183, else to the final response',
    buckets: [0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30], registers: [this.registry],
  });
  readonly callSetup = new client.Histogram({
    name: 'hepflow_call_setup_seconds', help: 'Initial INVITE to its 2xx, answered calls only',
    buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120], registers: [this.registry],
  });
  readonly callProblems = new client.Counter({
    name: 'hepflow_call_problems_total', help: 'Calls showing a problem (kpi/codes.ts), once per call and code',
    labelNames: ['code'] as const, registers: [this.registry],
  });
  readonly callsEvicted = new client.Counter({
    name: 'hepflow_calls_evicted_total', help: 'Calls no longer watched for Timer B before their end, to bound memory', registers: [this.registry],
  });
  /** The KpiSink of kpi/live-calls.ts over these counters. */
  readonly kpiSink: KpiSink = {
    call: (disposition, statusClass, pddMs, setupMs) => {
      this.calls.inc({ disposition, status_class: statusClass });
      if (pddMs !== null) this.callPdd.observe(pddMs / 1000);
      if (setupMs !== null) this.callSetup.observe(setupMs / 1000);
    },
    problem: (code) => { this.callProblems.inc({ code }); },
    evicted: () => { this.callsEvicted.inc(); },
  };
  /** Times out the calls the store follows (Store.followCalls) at a time, µs: set by the collector. */
  expireCalls: ((nowMicros: number) => Promise<void>) | null = null;

  constructor() {
    client.collectDefaultMetrics({ register: this.registry, prefix: 'hepflow_' });
  }

  async text(): Promise<string> {
    await this.expireCalls?.(Date.now() * 1000); // calls of a collector gone quiet time out too
    return this.registry.metrics();
  }

  contentType(): string {
    return this.registry.contentType;
  }
}
