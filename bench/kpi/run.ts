/**
 * `npm run bench -- kpi`: the per-call KPI fold a store runs on every SIP message it writes
 * (kpi/state.ts updateKpi) and the metrics' watch over it (server/kpi/live-calls.ts), alone, one
 * batch per message (the dearest case): answered calls of 7 messages (INVITE, 100, 180, 200, ACK, BYE,
 * 200), 20,000 calls in flight at once, counters in a real prom-client registry. Prints msgs/s.
 */
import { Metrics } from '../../server/collector/metrics.ts';
import { beforeOf, LiveCalls } from '../../server/kpi/live-calls.ts';
import { KPI_DEFAULTS, newKpiState, updateKpi, type KpiMessage, type KpiState } from '../../server/kpi/state.ts';

const CALLS = 200_000;
const IN_FLIGHT = 20_000;
const T0 = Date.UTC(2025, 0, 1) * 1000;

/** Message `step` (0..6) of call `i`. */
function message(i: number, step: number): KpiMessage & { callId: string } {
  const callId = `bench-${i}@10.0.0.1`;
  const ts = T0 + i * 1000 + step * 100_000;
  const base = { callId, ts, srcIp: '10.0.0.1', viaBranch: `z9hG4bK-${i}-${step >= 5 ? 'b' : 'i'}`, toTag: step === 0 || step === 1 ? null : 'tt' };
  const steps: [string | null, number | null, number, string][] = [
    ['INVITE', null, 1, 'INVITE'], [null, 100, 1, 'INVITE'], [null, 180, 1, 'INVITE'], [null, 200, 1, 'INVITE'],
    ['ACK', null, 1, 'ACK'], ['BYE', null, 2, 'BYE'], [null, 200, 2, 'BYE'],
  ];
  const [method, status, cseqNum, cseqMethod] = steps[step];
  return { ...base, method, status, cseqNum, cseqMethod };
}

// Interleave: call i's step s is sent with call (i + s·IN_FLIGHT/7)'s other steps, so ~IN_FLIGHT calls are open.
const msgs: (KpiMessage & { callId: string })[] = [];
const stride = Math.floor(IN_FLIGHT / 7);
for (let j = 0; j < CALLS + 7 * stride; j++) {
  for (let s = 0; s < 7; s++) {
    const i = j - s * stride;
    if (i >= 0 && i < CALLS) msgs.push(message(i, s));
  }
}

const metrics = new Metrics();
const live = new LiveCalls(metrics.kpiSink);
const start = process.hrtime.bigint();
const states = new Map<string, KpiState>();
for (const m of msgs) {
  let st = states.get(m.callId);
  if (st === undefined) states.set(m.callId, (st = newKpiState()));
  const before = beforeOf(st);
  updateKpi(st, m, KPI_DEFAULTS);
  live.settled(m.callId, st, before, m.ts);
  if (st.byeAnswered) states.delete(m.callId);
}
const secs = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`kpi fold: ${msgs.length} messages of ${CALLS} calls in ${secs.toFixed(2)} s = ${Math.round(msgs.length / secs)} msgs/s; ${live.size} calls held at the end`);
