/**
 * One SIP dialog (one Call-ID) along a fixed path: caller, record-routing stateful proxies,
 * callee. It writes each hop's message as the nodes would (RFC 3261): each node pushes its Via
 * with a fresh branch, proxies add Record-Route on the initial INVITE and answer it with 100
 * Trying, in-dialog requests follow the route set, responses retrace the request's Vias, non-2xx
 * final responses to INVITE are ACKed hop by hop (§17.1.1.3) and CANCEL is hop by hop (§16.10).
 */
import type { Node, ScenarioBuilder, Sent, Side } from './builder.ts';
import { hostPort, requestText, responseText, routeEntry, sdpBody, viaValue, type Body, type Direction } from './sip-text.ts';

export interface DialogOptions {
  callId: string;
  /** Caller, proxies..., callee. */
  path: Node[];
  /** Expected side of each hop (path[i] ↔ path[i+1]) for the scenario's default pivot; written by hand. */
  sides: Side[];
  from: { user: string; display?: string; domain?: string };
  to: { user: string; domain?: string };
  /** Request-URI user of the initial INVITE; default `to.user`. */
  ruriUser?: string;
  /** Extra header lines on the initial INVITE ("Replaces: ...", "X-CID: ..."). */
  headers?: string[];
}

export interface Txn {
  method: string;
  cseq: number;
  /** 'fwd': caller → callee; 'rev': callee → caller. */
  dir: 'fwd' | 'rev';
  nodes: Node[];
  sides: Side[];
  /** Branch each sending node used, per hop. */
  branches: string[];
  ruris: string[];
  initial: boolean;
}

export interface SendOptions {
  sdp?: Direction;
  body?: Body;
  headers?: string[];
}

/** RTP session state per node: o= ids and version (RFC 4566 §5.2), port. */
const media = new WeakMap<ScenarioBuilder, Map<Node, { id: number; version: number; port: number }>>();

export class Dialog {
  readonly callId: string;
  readonly fromTag: string;
  toTag: string | null = null;
  private callerCseq: number;
  private calleeCseq: number;

  constructor(private readonly b: ScenarioBuilder, readonly o: DialogOptions) {
    if (o.sides.length !== o.path.length - 1) throw new RangeError(`${o.callId}: one side per hop`);
    this.callId = o.callId;
    this.fromTag = b.tag();
    this.callerCseq = b.int(1, 60);
    this.calleeCseq = b.int(100, 900);
  }

  get caller(): Node { return this.o.path[0]; }
  get callee(): Node { return this.o.path[this.o.path.length - 1]; }
  private domain(which: 'from' | 'to'): string { return this.o[which].domain ?? 'example.com'; }
  private callerUri(): string { return `sip:${this.o.from.user}@${this.domain('from')}`; }
  private calleeUri(): string { return `sip:${this.o.to.user}@${this.domain('to')}`; }
  private contact(n: Node): string { return `<sip:${n === this.caller ? this.o.from.user : this.o.to.user}@${hostPort(n)}>`; }

  private fromTo(dir: 'fwd' | 'rev', withToTag: boolean): { from: string; to: string } {
    const display = this.o.from.display !== undefined ? `"${this.o.from.display}" ` : '';
    const callerSide = `${display}<${this.callerUri()}>;tag=${this.fromTag}`;
    const calleeSide = `<${this.calleeUri()}>${withToTag && this.toTag ? `;tag=${this.toTag}` : ''}`;
    return dir === 'fwd' ? { from: callerSide, to: calleeSide } : { from: `<${this.calleeUri()}>;tag=${this.toTag}`, to: callerSide };
  }

  /** SDP of node `n`, a new version each time it offers or answers. */
  sdp(n: Node, direction: Direction): Body {
    let m = media.get(this.b);
    if (!m) media.set(this.b, (m = new Map()));
    let s = m.get(n);
    if (!s) m.set(n, (s = { id: this.b.int(1e6, 9e6), version: 0, port: 2 * this.b.int(5000, 15000) }));
    s.version++;
    return sdpBody({ ip: n.ip, port: s.port, sessionId: s.id, version: s.version, direction });
  }

  private body(sender: Node, opts: SendOptions): Body | null {
    return opts.body ?? (opts.sdp ? this.sdp(sender, opts.sdp) : null);
  }

  private emit(from: Node, to: Node, text: string, side: Side): Sent {
    const s = { from, to, text, callId: this.callId, side };
    this.b.emit(s);
    return s;
  }

  /** The initial INVITE, hop by hop; each proxy answers 100 Trying before relaying. */
  invite(opts: SendOptions = {}): Txn {
    const nodes = this.o.path;
    const user = this.o.ruriUser ?? this.o.to.user;
    const t: Txn = { method: 'INVITE', cseq: this.callerCseq, dir: 'fwd', nodes, sides: this.o.sides, branches: [], ruris: [], initial: true };
    const body = this.body(nodes[0], opts);
    const { from, to } = this.fromTo('fwd', false);
    for (let i = 0; i < nodes.length - 1; i++) {
      t.branches.push(this.b.branch());
      t.ruris.push(i === nodes.length - 2 ? `sip:${user}@${hostPort(nodes[i + 1])}` : `sip:${user}@${this.domain('to')}`);
      const text = requestText({
        method: 'INVITE', ruri: t.ruris[i], vias: this.vias(t, i), recordRoute: nodes.slice(1, i + 1).reverse().map(routeEntry),
        maxForwards: 70 - i, from, to, callId: this.callId, cseq: t.cseq, contact: this.contact(nodes[0]),
        agent: i === 0 ? nodes[0].agent : null, extra: [...(this.o.headers ?? []), ...(opts.headers ?? [])], body,
      });
      this.emit(nodes[i], nodes[i + 1], text, t.sides[i]);
      if (i + 1 < nodes.length - 1) this.trying(t, i);
    }
    return t;
  }

  /** An in-dialog request along the route set ('fwd' from the caller, 'rev' from the callee). */
  request(method: string, dir: 'fwd' | 'rev', opts: SendOptions = {}, cseq?: number): Txn {
    const nodes = dir === 'fwd' ? this.o.path : [...this.o.path].reverse();
    const sides = dir === 'fwd' ? this.o.sides : [...this.o.sides].reverse();
    const num = cseq ?? (dir === 'fwd' ? ++this.callerCseq : ++this.calleeCseq);
    const t: Txn = { method, cseq: num, dir, nodes, sides, branches: [], ruris: [], initial: false };
    const target = nodes[nodes.length - 1];
    const ruri = `sip:${target === this.caller ? this.o.from.user : this.o.to.user}@${hostPort(target)}`;
    const { from, to } = this.fromTo(dir, true);
    const refresh = ['INVITE', 'UPDATE', 'REFER', 'NOTIFY', 'SUBSCRIBE'].includes(method);
    const body = this.body(nodes[0], opts);
    for (let i = 0; i < nodes.length - 1; i++) {
      t.branches.push(this.b.branch());
      t.ruris.push(ruri);
      const text = requestText({
        method, ruri, vias: this.vias(t, i), route: nodes.slice(i + 1, -1).map(routeEntry), maxForwards: 70 - i,
        from, to, callId: this.callId, cseq: num, contact: refresh ? this.contact(nodes[0]) : null,
        agent: nodes[0].agent, extra: opts.headers, body,
      });
      this.emit(nodes[i], nodes[i + 1], text, t.sides[i]);
      if (method === 'INVITE' && i + 1 < nodes.length - 1) this.trying(t, i);
    }
    return t;
  }

  /** ACK for a 2xx: end to end along the route set, same CSeq number (RFC 3261 §13.2.2.4). */
  ack(invite: Txn, opts: SendOptions = {}): Txn {
    return this.request('ACK', invite.dir, opts, invite.cseq);
  }

  /** The Via stack of hop i: the senders so far, newest on top. */
  private vias(t: Txn, i: number): string[] {
    const out: string[] = [];
    for (let k = i; k >= 0; k--) out.push(viaValue(t.nodes[k], t.branches[k], k === 0));
    return out;
  }

  private trying(t: Txn, i: number): void {
    const { from, to } = this.fromTo(t.dir, !t.initial);
    const text = responseText({ status: 100, reason: 'Trying', vias: this.vias(t, i), from, to, callId: this.callId, cseq: t.cseq, cseqMethod: t.method, agent: t.nodes[i + 1].agent });
    this.emit(t.nodes[i + 1], t.nodes[i], text, t.sides[i]);
  }

  /**
   * A response from the transaction's last node back to its first, hop by hop. A non-2xx final
   * response to INVITE is ACKed on each hop by the node that receives it. Returns what was sent
   * (to retransmit it with `resend`).
   */
  respond(t: Txn, status: number, reason: string, opts: SendOptions = {}): Sent[] {
    if (t.initial && status > 100 && !this.toTag) this.toTag = this.b.tag();
    const n = t.nodes.length;
    const responder = t.nodes[n - 1];
    const dialogForming = t.method === 'INVITE' && status > 100 && status < 300;
    const { from, to } = this.fromTo(t.dir, true);
    const body = this.body(responder, opts);
    const sent: Sent[] = [];
    for (let j = n - 2; j >= 0; j--) {
      const text = responseText({
        status, reason, vias: this.vias(t, j), recordRoute: t.initial && dialogForming ? t.nodes.slice(1, -1).reverse().map(routeEntry) : [],
        from, to, callId: this.callId, cseq: t.cseq, cseqMethod: t.method,
        contact: dialogForming || (status < 300 && ['UPDATE', 'SUBSCRIBE', 'REFER'].includes(t.method)) ? this.contact(responder) : null,
        agent: responder.agent, extra: opts.headers, body,
      });
      sent.push(this.emit(t.nodes[j + 1], t.nodes[j], text, t.sides[j]));
      if (t.method === 'INVITE' && status >= 300) this.hopAck(t, j, from, to);
    }
    return sent;
  }

  /** ACK of a non-2xx final response on hop j: same branch and Request-URI as the INVITE there. */
  private hopAck(t: Txn, j: number, from: string, to: string): void {
    const text = requestText({
      method: 'ACK', ruri: t.ruris[j], vias: [viaValue(t.nodes[j], t.branches[j], j === 0)], maxForwards: 70,
      from, to, callId: this.callId, cseq: t.cseq, agent: t.nodes[j].agent,
    });
    this.emit(t.nodes[j], t.nodes[j + 1], text, t.sides[j]);
  }

  /** CANCEL of a pending INVITE, hop by hop, each answered 200 (RFC 3261 §9, §16.10); then 487. */
  cancel(t: Txn): void {
    const { from, to } = this.fromTo('fwd', false);
    for (let j = 0; j < t.nodes.length - 1; j++) {
      const via = [viaValue(t.nodes[j], t.branches[j], j === 0)];
      this.emit(t.nodes[j], t.nodes[j + 1], requestText({
        method: 'CANCEL', ruri: t.ruris[j], vias: via, maxForwards: 70, from, to, callId: this.callId, cseq: t.cseq, agent: t.nodes[j].agent,
      }), t.sides[j]);
      this.emit(t.nodes[j + 1], t.nodes[j], responseText({
        status: 200, reason: 'OK', vias: via, from, to: `${to};tag=${this.toTag ?? this.b.tag()}`, callId: this.callId, cseq: t.cseq, cseqMethod: 'CANCEL', agent: t.nodes[j + 1].agent,
      }), t.sides[j]);
    }
    this.respond(t, 487, 'Request Terminated');
  }

  /** Sends the same bytes again on the same hops (a retransmission, RFC 3261 §17). */
  resend(sent: Sent[]): void {
    for (const s of sent) this.b.emit(s);
  }

  /** Convenience: INVITE, 180, 200 with SDP, ACK. `ringMs`: time ringing before the answer. */
  establish(ringMs = 3000, opts: SendOptions = {}): Txn {
    const inv = this.invite({ sdp: 'sendrecv', ...opts });
    this.b.wait(this.b.int(20, 80));
    this.respond(inv, 180, 'Ringing');
    this.b.wait(ringMs);
    this.respond(inv, 200, 'OK', { sdp: 'sendrecv' });
    this.ack(inv);
    return inv;
  }

  /** Convenience: BYE from one side and its 200. */
  hangup(dir: 'fwd' | 'rev'): void {
    const bye = this.request('BYE', dir);
    this.respond(bye, 200, 'OK');
  }
}
