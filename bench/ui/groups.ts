/**
 * Benchmark groups of an exact size, built with the scenario library's toolkit: one call
 * through the main proxy, one re-INVITE, then in-dialog OPTIONS keepalives a second apart.
 *   9 (establish) + 7 (re-INVITE) + 4 × pings + 4 (BYE) = size  →  pings = (size - 20) / 4
 */
import { opensipsTracer, ScenarioBuilder } from '../../server/scenarios/builder.ts';
import { Dialog } from '../../server/scenarios/dialog.ts';
import { AGENT, node, office } from '../../server/scenarios/nodes.ts';
import type { HepEncodeInput } from '../../server/hep/types.ts';

export interface BenchGroup {
  size: number;
  callId: string;
  packets: HepEncodeInput[];
  /** µs of the last packet, to place the next group after it. */
  end: number;
}

export function keepaliveGroup(size: number, base: number, seed: number): BenchGroup {
  if ((size - 20) % 4 !== 0 || size < 20) throw new Error(`size ${size} is not 20 + 4k`);
  const { alice, proxy } = office();
  const carrier = node('Carrier', '203.0.113.50', AGENT.carrier);
  const b = new ScenarioBuilder(base, seed, [opensipsTracer(proxy, 1)]);
  const d = new Dialog(b, { callId: b.callId(alice), path: [alice, proxy, carrier], sides: ['caller', 'callee'], from: { user: 'alice' }, to: { user: `bench${size}` } });
  d.establish(2000);
  b.wait(1000);
  const re = d.request('INVITE', 'fwd', { sdp: 'sendrecv' });
  d.respond(re, 200, 'OK', { sdp: 'sendrecv' });
  d.ack(re);
  for (let k = 0; k < (size - 20) / 4; k++) {
    b.wait(1000);
    d.respond(d.request('OPTIONS', 'fwd'), 200, 'OK');
  }
  d.hangup('fwd');
  const packets = b.sortedPackets();
  const last = packets[packets.length - 1];
  return { size, callId: d.o.callId, packets, end: last.tsSec * 1_000_000 + last.tsUsec };
}
