/**
 * `npm run bench -- inferred [--calls 100000] [--cps 200] [--seed 1] [--store]`: precision of
 * inferred links (server/correlate/inferred.ts) on calls through one B2BUA. Prints, per traffic
 * profile, wrong links and missed links per 10,000 calls, for the default tie rule (an ambiguous
 * departure stays unlinked) and for first-in-first-out pairing. With --store the
 * profile with redials and 1 % anonymous callers also goes through the real collector (HEP over TCP on 127.0.0.1) into a SQLite file, and the
 * stored links are counted. Goal: 0 wrong, < 0.1 % (10 per 10,000) missed at 200 calls/s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { InferredMatcher, type InferredMessage } from '../../server/correlate/inferred.ts';
import { encodeHep3 } from '../../server/hep/encode.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../../server/hep/chunks.ts';
import { sendPackets } from '../../server/replay/sender.ts';
import { startTestServer, waitFor } from '../../server/testing/harness.ts';
import { generateCalls, SBC, type TrafficOptions } from './traffic.ts';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '100000' }, cps: { type: 'string', default: '200' }, seed: { type: 'string', default: '1' },
    store: { type: 'boolean', default: false },
  },
});
const calls = Number(values.calls);
const cps = Number(values.cps);
const base: TrafficOptions = { calls, cps, noBLeg: 0.1, redial: 0, anonymous: 0, hotlines: 20, retransmit: 0.05, seed: Number(values.seed) };

/** Traffic profiles: how often two calls in progress carry the same numbers. */
const PROFILES: [string, Partial<TrafficOptions>][] = [
  ['distinct numbers', {}],
  ['0.5 % redials within 10 s', { redial: 0.005 }],
  ['+ 1 % anonymous to 20 hotlines', { redial: 0.005, anonymous: 0.01 }],
  ['+ 5 % anonymous to 20 hotlines', { redial: 0.005, anonymous: 0.05 }],
];
const SETTINGS = { boxes: ['SBC'], aliases: { [SBC.ip]: 'SBC' }, windowMicros: 2_000_000, digits: 9, stripPrefixes: ['+', '00'] };

interface Score { wrong: number; missed: number; linked: number; msPerCall: number }

function score(found: ReadonlyMap<string, string>, truth: ReadonlyMap<string, string>): { wrong: number; missed: number } {
  let wrong = 0;
  for (const [b, a] of found) if (truth.get(b) !== a) wrong++;
  let missed = 0;
  for (const b of truth.keys()) if (!found.has(b)) missed++;
  return { wrong, missed };
}

function runPure(messages: readonly InferredMessage[], truth: ReadonlyMap<string, string>, ties: 'skip' | 'earliest'): Score {
  const m = new InferredMatcher({ ...SETTINGS, ties });
  const found = new Map<string, string>();
  const t0 = performance.now();
  for (const msg of messages) {
    const link = m.step(msg);
    if (link) found.set(msg.callId, link.target);
  }
  const ms = performance.now() - t0;
  return { ...score(found, truth), linked: found.size, msPerCall: ms / calls };
}

const per10k = (n: number) => ((n / calls) * 10_000).toFixed(2).padStart(8);

console.log(`${calls} calls at ${cps} calls/s through one SBC (${base.noBLeg * 100} % without B-leg, ${base.retransmit * 100} % INVITEs retransmitted), window 2 s, B-leg 50–1500 ms after the A-leg`);
console.log(`${'profile'.padEnd(34)} ${'ties'.padEnd(9)} ${'wrong/10k'.padStart(9)} ${'missed/10k'.padStart(10)}  µs/call`);
for (const [name, o] of PROFILES) {
  const { messages, truth } = generateCalls({ ...base, ...o });
  for (const ties of ['skip', 'earliest'] as const) {
    const r = runPure(messages, truth, ties);
    console.log(`${name.padEnd(34)} ${ties.padEnd(9)} ${per10k(r.wrong)}  ${per10k(r.missed)}  ${(r.msPerCall * 1000).toFixed(2).padStart(7)}`);
  }
}

if (values.store) await throughStore();

/** The third profile (skip ties, as the server runs) through the real collector into SQLite: the links the store keeps. */
async function throughStore(): Promise<void> {
  const [name, o] = PROFILES[2];
  const { messages, truth } = generateCalls({ ...base, ...o });
  const dir = mkdtempSync(join(tmpdir(), 'hepflow-bench-inferred-'));
  const file = join(dir, 'hepflow.db');
  const s = await startTestServer({ store: file, aliases: SETTINGS.aliases, inferredBoxes: SETTINGS.boxes });
  try {
    const packets = messages.map(hepOf);
    const t0 = performance.now();
    await sendPackets({ transport: 'tcp', host: '127.0.0.1', port: s.hepTcp!.port }, packets, { rate: 0 });
    await waitFor(async () => (await s.store.counts()).messages >= packets.length, 'all INVITEs stored', 600_000);
    const secs = (performance.now() - t0) / 1000;
    const db = new Database(file, { readonly: true });
    const rows = db.prepare(`SELECT call_id AS b, target AS a FROM links WHERE rule = 'inferred'`).all() as { b: string; a: string }[];
    db.close();
    const r = score(new Map(rows.map((x) => [x.b, x.a])), truth);
    console.log(`"${name}" through the collector into SQLite (${packets.length} INVITEs in ${secs.toFixed(1)} s): wrong/10k ${per10k(r.wrong).trim()}, missed/10k ${per10k(r.missed).trim()}`);
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function hepOf(m: InferredMessage): Buffer {
  const sip = [
    `INVITE sip:${m.ruriUser}@${m.dstIp} SIP/2.0`, `Via: SIP/2.0/UDP ${m.srcIp}:${m.srcPort};branch=z9hG4bK-${m.callId}`,
    `From: <sip:${m.fromUser}@${m.srcIp}>;tag=f-${m.callId}`, `To: <sip:${m.toUser}@${m.dstIp}>`, `Call-ID: ${m.callId}`, 'CSeq: 1 INVITE',
    'Max-Forwards: 70', `Contact: <sip:${m.fromUser}@${m.srcIp}:${m.srcPort}>`, 'Content-Length: 0', '', '',
  ].join('\r\n');
  return encodeHep3({
    ipProtocol: IP_PROTOCOL.udp, srcIp: m.srcIp, dstIp: m.dstIp, srcPort: m.srcPort, dstPort: m.dstPort,
    tsSec: Math.floor(m.ts / 1e6), tsUsec: m.ts % 1e6, protoType: PROTO_TYPE.sip, captureId: 2001, payload: sip,
  });
}
