/** The stall benchmark's small groups: one call through the main proxy, set up and hung up (9 + 4 = 13 messages). */
import { opensipsTracer, ScenarioBuilder } from '../../server/scenarios/builder.ts';
import { Dialog } from '../../server/scenarios/dialog.ts';
import { AGENT, node, office } from '../../server/scenarios/nodes.ts';
import type { BenchGroup } from '../ui/groups.ts';

export const SMALL_GROUP_SIZE = 13;

export function shortCallGroup(base: number, seed: number): BenchGroup {
  const { alice, proxy } = office();
  const carrier = node('Carrier', '203.0.113.50', AGENT.carrier);
  const b = new ScenarioBuilder(base, seed, [opensipsTracer(proxy, 1)]);
  const d = new Dialog(b, { callId: b.callId(alice), path: [alice, proxy, carrier], sides: ['caller', 'callee'], from: { user: 'alice' }, to: { user: `short${seed}` } });
  d.establish(2000);
  b.wait(1000);
  d.hangup('fwd');
  const packets = b.sortedPackets();
  const last = packets[packets.length - 1];
  return { size: packets.length, callId: d.o.callId, packets, end: last.tsSec * 1_000_000 + last.tsUsec };
}
