/**
 * Calls for the stats (bench/query's million, store/sqlite-stats.test.ts's): outcomes in the
 * shares a busy carrier trunk sees, PDDs spread over 0.1–3 s, 20 carriers as far ends, as the
 * stored messages a store's insert takes (the SIP fields the search rows fold; payloads left
 * short). Deterministic per call number.
 *
 *   n % 100:  0–69 answered (60–180 s) · 70–79 busy 486 · 80–84 no answer 480 · 85–89 cancelled
 *             · 90–94 503 from the carrier · 95–97 404 · 98–99 declined 603
 */
import type { MessageInput } from '../store/types.ts';

const CALLER = { ip: '10.1.0.10', port: 5060 };
const PROXY = { ip: '10.0.0.5', port: 5060 };
/** The far end of call `n`: one of 20 carriers (RFC 5737 documentation addresses). */
export const carrierOf = (n: number) => `198.51.100.${10 + (n % 20)}`;

/** The messages of call `n`, starting at `t0` (µs), caller → proxy → carrier, in time order. */
export function statsCall(n: number, t0: number): MessageInput[] {
  const callId = `stats-${n}@10.1.0.10`;
  const far = { ip: carrierOf(n), port: 5060 };
  const pddMs = 100 + ((n * 37) % 2900);
  const out: MessageInput[] = [];
  const msg = (dtMs: number, src: typeof CALLER, dst: typeof CALLER, o: Partial<MessageInput>): void => {
    out.push({
      ts: t0 + dtMs * 1000, srcIp: src.ip, srcPort: src.port, dstIp: dst.ip, dstPort: dst.port, transport: 'udp', captureId: '101',
      hepCorrelationId: callId, protoType: 1, callId, method: null, status: null, reason: null, cseqNum: 1, cseqMethod: 'INVITE',
      fromUser: `1${n % 1_000_000}`, fromTag: `f${n}`, toUser: `2${(n * 7) % 1_000_000}`, toTag: null, ruriUser: `2${(n * 7) % 1_000_000}`,
      userAgent: 'bench', viaBranch: `z9hG4bK${n}`, hasSdp: false, raw: `${callId} ${dtMs}`, problems: null, links: [], ...o,
    });
  };
  // The proxy relays each message within a ms: the carrier's copy is captured first for responses.
  const request = (dtMs: number, method: string, o: Partial<MessageInput> = {}) => {
    msg(dtMs, CALLER, PROXY, { method, cseqMethod: method, ...o });
    msg(dtMs + 1, PROXY, far, { method, cseqMethod: method, viaBranch: `z9hG4bK${n}p`, ...o });
  };
  const response = (dtMs: number, status: number, o: Partial<MessageInput> = {}) => {
    msg(dtMs, far, PROXY, { status, toTag: status > 100 ? `t${n}` : null, viaBranch: `z9hG4bK${n}p`, ...o });
    msg(dtMs + 1, PROXY, CALLER, { status, toTag: status > 100 ? `t${n}` : null, ...o });
  };
  const kind = n % 100;
  request(0, 'INVITE');
  response(5, 100);
  if (kind >= 90) {
    response(pddMs, kind < 95 ? 503 : kind < 98 ? 404 : 603);
    request(pddMs + 5, 'ACK', { cseqMethod: 'ACK', toTag: `t${n}` });
    return out;
  }
  response(pddMs, 180);
  if (kind < 70) {
    response(pddMs + 2000, 200);
    request(pddMs + 2010, 'ACK', { cseqMethod: 'ACK', toTag: `t${n}` });
    const bye = pddMs + 2010 + 60_000 + (n % 120_000);
    request(bye, 'BYE', { cseqNum: 2, toTag: `t${n}`, viaBranch: `z9hG4bK${n}b` });
    response(bye + 20, 200, { cseqNum: 2, cseqMethod: 'BYE', viaBranch: `z9hG4bK${n}b` });
  } else if (kind < 85) {
    response(pddMs + 8000, kind < 80 ? 486 : 480);
  } else {
    request(pddMs + 6000, 'CANCEL');
    response(pddMs + 6010, 487);
  }
  return out;
}
