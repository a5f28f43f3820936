/**
 * Calls through one B2BUA for the inferred-link benchmark, with the truth of which B-leg belongs
 * to which A-leg. Seeded, so a run is repeatable.
 *
 *   caller ──INVITE a<i> (+49…caller → callee)──▶ SBC 10.0.0.5:5060          Poisson arrivals at `cps`
 *   SBC ──INVITE b<i> (0049…caller → callee)──▶ carrier 10.0.2.<n>:5060       50–1500 ms later, or never
 */
import type { InferredMessage } from '../../server/correlate/inferred.ts';
import { mulberry32 } from '../../server/scenarios/builder.ts';

export const SBC = { ip: '10.0.0.5', port: 5060 };

export interface TrafficOptions {
  calls: number;
  /** New calls per second through the box. */
  cps: number;
  /** Share of calls the box rejects itself (no B-leg), [0, 1]. */
  noBLeg: number;
  /** Share of calls that repeat a call placed 1–10 s earlier between the same numbers (a redial), [0, 1]. */
  redial: number;
  /** Share of calls from "anonymous" to one of `hotlines` numbers (a withheld caller calling a service number), [0, 1]. */
  anonymous: number;
  hotlines: number;
  /** Share of INVITEs captured twice (a Timer A retransmission 500 ms later), [0, 1]. */
  retransmit: number;
  seed: number;
}

export interface Traffic {
  /** Initial INVITEs in capture (= receive) order. */
  messages: InferredMessage[];
  /** B-leg Call-ID → its A-leg's Call-ID. */
  truth: Map<string, string>;
}

export function generateCalls(o: TrafficOptions): Traffic {
  const rand = mulberry32(o.seed);
  const subscriber = () => `30${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`; // a 10-digit German number
  const messages: InferredMessage[] = [];
  const truth = new Map<string, string>();
  const recent: { ts: number; caller: string; callee: string }[] = [];
  const t0 = Date.UTC(2026, 0, 1) * 1000;
  let ts = t0;
  const invite = (callId: string, at: number, from: { ip: string; port: number }, to: { ip: string; port: number }, caller: string, callee: string): void => {
    const m: InferredMessage = {
      ts: at, callId, method: 'INVITE', toTag: null, srcIp: from.ip, srcPort: from.port, dstIp: to.ip, dstPort: to.port,
      fromUser: caller, toUser: callee, ruriUser: callee, links: [],
    };
    messages.push(m);
    if (rand() < o.retransmit) messages.push({ ...m, ts: at + 500_000 });
  };
  for (let i = 0; i < o.calls; i++) {
    ts += Math.round((-Math.log(1 - rand()) / o.cps) * 1e6); // exponential gaps: Poisson arrivals
    let caller = subscriber();
    let callee = subscriber();
    const r = rand();
    if (r < o.anonymous) {
      caller = 'anonymous';
      callee = `800${String(Math.floor(rand() * o.hotlines)).padStart(4, '0')}`;
    } else if (r < o.anonymous + o.redial) {
      const earlier = recent.filter((c) => ts - c.ts >= 1_000_000 && ts - c.ts <= 10_000_000);
      const pick = earlier[Math.floor(rand() * earlier.length)];
      if (pick) ({ caller, callee } = pick);
    }
    recent.push({ ts, caller, callee });
    while (recent.length && ts - recent[0].ts > 10_000_000) recent.shift();
    const phone = { ip: `10.0.1.${1 + Math.floor(rand() * 250)}`, port: 5060 };
    invite(`a${i}`, ts, phone, SBC, caller === 'anonymous' ? caller : `+49${caller}`, callee);
    if (rand() < o.noBLeg) continue;
    const carrier = { ip: `10.0.2.${1 + Math.floor(rand() * 4)}`, port: 5060 };
    const delay = Math.round((50 + rand() * 1450) * 1000);
    invite(`b${i}`, ts + delay, SBC, carrier, caller === 'anonymous' ? caller : `0049${caller}`, callee);
    truth.set(`b${i}`, `a${i}`);
  }
  // Captured and received in time order (one capture agent on the box).
  messages.sort((a, b) => a.ts - b.ts);
  return { messages, truth };
}
