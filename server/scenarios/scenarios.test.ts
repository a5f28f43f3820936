/**
 * Every scenario, end to end through the pure parts: HEP3 encode → decode → SIP parse → links
 * (linksOf, the window step, inferred matching) → groups (a plain union-find here; the store does it in
 * production) → buildGroupView, compared with the scenario's hand-written expectation.
 */
import { describe, expect, it } from 'vitest';
import { DEDUP_WINDOW_MICROS, duplicateCandidates } from '../correlate/dedup.ts';
import { linksOf } from '../correlate/links.ts';
import { WindowMatcher } from '../correlate/window.ts';
import { InferredMatcher } from '../correlate/inferred.ts';
import { defaults } from '../config.ts';
import { buildGroupView } from '../correlate/view.ts';
import { decodeHep } from '../hep/decode.ts';
import { encodeHep3 } from '../hep/encode.ts';
import { parseSip } from '../sip/parse.ts';
import type { SipMessage } from '../sip/types.ts';
import type { ApiGroup } from '../api/types.ts';
import type { GroupRecord, StoredLink, StoredMessage } from '../store/types.ts';
import { DISPOSITIONS, PROBLEM_CODE_LIST } from '../kpi/codes.ts';
import { KPI_DEFAULTS, natAddresses } from '../kpi/state.ts';
import { findScenario, layoutScenarios, SCENARIOS, scenarioInferredBoxes, scenarioPackets, scenarioRules } from './index.ts';
import type { ScenarioRun } from './types.ts';

const BASE = Date.UTC(2025, 2, 14, 9, 30, 0) * 1000; // µs
const OPTS = { correlationHeaders: ['X-CID', 'X-Call-ID'], correlationRules: scenarioRules(SCENARIOS) };
/** The library's boxes, the other inferred settings at their defaults, as collector/ingest.ts builds its matcher. */
const inferredMatcher = (): InferredMatcher => new InferredMatcher({
  boxes: scenarioInferredBoxes(SCENARIOS), aliases: {}, windowMicros: defaults.inferredWindowMs * 1000,
  digits: defaults.inferredDigits, stripPrefixes: defaults.inferredStripPrefixes,
});

interface Ingested {
  groups: GroupRecord[];
  parsed: SipMessage[];
}

/** What the collector and the store do, reduced to pure steps. */
function ingest(run: ScenarioRun): Ingested {
  const messages: StoredMessage[] = [];
  const links: StoredLink[] = [];
  const parsed: SipMessage[] = [];
  const window = new WindowMatcher();
  const inferred = inferredMatcher();
  run.packets.forEach((p, i) => {
    const r = decodeHep(encodeHep3(p));
    if (!r.ok) throw new Error(`packet ${i}: ${r.reason}`);
    const rec = r.record;
    const text = rec.payload.toString('utf8');
    const sip = parseSip(text, OPTS);
    parsed.push(sip);
    const ts = rec.tsSec * 1_000_000 + rec.tsUsec;
    const m: StoredMessage = {
      id: `m${i}`, ts, srcIp: rec.srcIp, srcPort: rec.srcPort, dstIp: rec.dstIp, dstPort: rec.dstPort, transport: 'udp',
      captureId: String(rec.captureId), hepCorrelationId: rec.correlationId, protoType: rec.protoType, callId: sip.callId!,
      method: sip.method, status: sip.status, reason: sip.reason, cseqNum: sip.cseq?.num ?? null, cseqMethod: sip.cseq?.method ?? null,
      fromUser: sip.from?.uri.user ?? null, fromTag: sip.from?.tag ?? null, toUser: sip.to?.uri.user ?? null, toTag: sip.to?.tag ?? null,
      ruriUser: sip.requestUri?.user ?? null, userAgent: sip.userAgent, viaBranch: sip.viaBranch, ...natAddresses(sip), hasSdp: sip.sdp !== null,
      raw: text, problems: sip.problems.length ? sip.problems.join('; ') : null,
    };
    messages.push(m);
    const own = linksOf(sip, rec.correlationId, OPTS);
    const timed = window.step({ ...m, links: own }).links;
    // After the window step, on the links found so far: a certain link takes the arrival it names.
    const guessed = inferred.step({ ...m, links: [...own, ...timed] });
    for (const l of [...own, ...timed, ...guessed ? [guessed] : []]) links.push({ callId: m.callId, ...l, messageId: m.id, ts });
  });
  return { groups: group(messages, links), parsed };
}

/** Union-find over Call-IDs and link targets. */
function group(messages: StoredMessage[], links: StoredLink[]): GroupRecord[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    if (!parent.has(x)) parent.set(x, x);
    const p = parent.get(x)!;
    if (p === x) return x;
    const r = find(p);
    parent.set(x, r);
    return r;
  };
  for (const m of messages) find(m.callId);
  for (const l of links) parent.set(find(l.callId), find(l.target));
  const callIds = new Set(messages.map((m) => m.callId));
  const byRoot = new Map<string, GroupRecord>();
  for (const id of parent.keys()) {
    const root = find(id);
    let g = byRoot.get(root);
    if (!g) byRoot.set(root, (g = { groupId: '', callIds: [], correlationIds: [], messages: [], links: [] }));
    (callIds.has(id) ? g.callIds : g.correlationIds).push(id);
  }
  for (const m of messages) byRoot.get(find(m.callId))!.messages.push(m);
  for (const l of links) byRoot.get(find(l.callId))!.links.push(l);
  const out = [...byRoot.values()].filter((g) => g.messages.length);
  for (const g of out) {
    g.messages.sort((a, b) => a.ts - b.ts || Number(a.id.slice(1)) - Number(b.id.slice(1)));
    g.groupId = g.messages[0].callId;
  }
  return out;
}

const sortRules = (r: string[]): string[] => [...new Set(r)].sort();

/**
 * KPI times are written as the scenario's waits, ms: each hop adds up to 1.5 ms of wire and
 * processing, and Dialog.establish rings 20–80 ms before its 180.
 */
const KPI_SLACK_MS = 100;

/** The view as the API builds it (api/group-view.ts): with the payloads of dedup's candidates only. */
function viewOf(g: GroupRecord, aliases: Record<string, string>, nowMicros?: number): ApiGroup {
  const wanted = new Set(duplicateCandidates(g.messages, DEDUP_WINDOW_MICROS));
  const payloads = new Map(g.messages.filter((m) => wanted.has(m.id)).map((m) => [m.id, m.raw]));
  return buildGroupView({ ...g, complete: true }, { aliases, dedupWindowMicros: DEDUP_WINDOW_MICROS, payloads, nowMicros });
}

describe('scenario library', () => {
  it('has unique names and at least the scenarios the grouping rules need', () => {
    const names = SCENARIOS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of ['basic-call', 'rejected-486', 'cancelled-487', 'hold-resume', 'attended-transfer-opensips', 'blind-transfer', 'call-pickup',
      'park-retrieve', 'queue', 'b2b', 'media-server-loop', 'chain-partial', 'chain-full', 'attended-transfer-kamailio', 'long-call', 'hostile', 'large-20k']) {
      expect(findScenario(n), n).toBeDefined();
    }
  });

  it('gives every call of the library its own Call-ID, so that loading them together joins none by accident', () => {
    const owner = new Map<string, string>();
    for (const { scenario, run } of layoutScenarios(SCENARIOS, BASE)) {
      for (const id of new Set(run.expected.groups.flatMap((g) => g.callIds))) {
        expect(owner.get(id), `${id} of ${scenario.name}`).toBeUndefined();
        owner.set(id, scenario.name);
      }
    }
  });

  it('gives every inferred box to one scenario only, so that the runners\' union of them links no other scenario\'s calls', () => {
    for (const { scenario, run } of layoutScenarios(SCENARIOS, BASE)) {
      const own = new Set(scenario.inferredBoxes);
      const used = new Set(run.packets.flatMap((p) => [`${p.srcIp}:${p.srcPort}`, `${p.dstIp}:${p.dstPort}`]));
      const foreign = scenarioInferredBoxes(SCENARIOS).filter((box) => !own.has(box) && used.has(box));
      expect(foreign, scenario.name).toEqual([]);
    }
  });

  it('builds the same bytes every time, shifted by the base time', () => {
    const s = findScenario('attended-transfer-opensips')!;
    const a = scenarioPackets(s, BASE);
    expect(scenarioPackets(s, BASE)).toEqual(a);
    const later = s.build(BASE + 5_000_000).packets;
    const first = s.build(BASE).packets;
    expect(later[0].tsSec - first[0].tsSec).toBe(5);
    expect(later.map((p) => p.payload)).toEqual(first.map((p) => p.payload));
  });

  it('has a scenario with expected KPIs for every problem code and every disposition', () => {
    const kpis = SCENARIOS.flatMap((s) => s.build(BASE).expected.kpi ?? []);
    const codes = new Set(kpis.flatMap((k) => [...k.legs.flatMap((l) => l.problems.map((p) => p.code)), ...k.timedOut?.problems ?? []]));
    const dispositions = new Set(kpis.flatMap((k) => [...k.legs.map((l) => l.disposition), ...k.timedOut ? [k.timedOut.disposition] : []]));
    expect(PROBLEM_CODE_LIST.filter((c) => !codes.has(c)), 'codes without a scenario').toEqual([]);
    expect(DISPOSITIONS.filter((d) => !dispositions.has(d)), 'dispositions without a scenario').toEqual([]);
  });

  it('lays scenarios out one after another without overlap', () => {
    const small = SCENARIOS.filter((s) => !['long-call', 'large-20k'].includes(s.name));
    const laid = layoutScenarios(small, BASE);
    for (let i = 1; i < laid.length; i++) {
      const prev = laid[i - 1].run.packets.at(-1)!;
      expect(laid[i].base).toBeGreaterThan(prev.tsSec * 1_000_000 + prev.tsUsec);
    }
  });
});

describe.each(SCENARIOS.map((s) => [s.name, s] as const))('scenario %s', (_name, scenario) => {
  const run = scenario.build(BASE);
  const { groups, parsed } = ingest(run);
  const exp = run.expected;

  it('sends well-formed SIP in time order, starting at the base time', () => {
    expect(parsed.every((p) => p.problems.length === 0)).toBe(true);
    const ts = run.packets.map((p) => p.tsSec * 1_000_000 + p.tsUsec);
    expect(ts[0]).toBeGreaterThanOrEqual(BASE);
    for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeGreaterThanOrEqual(ts[i - 1]);
  });

  it('forms the expected groups, legs, roles and link reasons', () => {
    expect(groups.length).toBe(exp.groups.length);
    for (const eg of exp.groups) {
      const g = groups.find((x) => x.callIds.includes(eg.callIds[0]));
      expect(g, 'group of the first Call-ID').toBeDefined();
      expect([...g!.callIds].sort()).toEqual([...eg.callIds].sort());
      const view = viewOf(g!, run.aliases);
      expect(view.legs.map((l) => ({ callId: l.callId, role: l.role, linkRules: sortRules(l.links.map((k) => k.rule)) })))
        .toEqual(eg.legs.map((l) => ({ ...l, linkRules: sortRules(l.linkRules) })));
    }
  });

  it('folds duplicate captures to the expected message count, with one side per message', () => {
    const views = groups.map((g) => viewOf(g, run.aliases));
    const messages = views.flatMap((v) => v.messages);
    expect(messages.length).toBe(exp.messageCount);
    expect(exp.sides.length).toBe(exp.messageCount);
    expect(messages.filter((m) => m.retransmission).length).toBe(exp.retransmissions ?? 0);
    if (exp.labels) expect(messages.map((m) => m.label)).toEqual(exp.labels);
  });

  const kpi = exp.kpi;
  const first = groups.find((g) => g.callIds.includes(exp.groups[0].callIds[0]));

  // Defined only for the scenarios that carry expectations, rather than reported as skipped for the rest.
  if (kpi) it('gives each leg the expected disposition, final status, PDD, setup and problems, each on its message', () => {
    const view = viewOf(first!, run.aliases);
    const label = new Map(view.messages.map((m) => [m.id, m.label]));
    expect(view.legs.map((l) => ({
      disposition: l.kpi.disposition, finalStatus: l.kpi.finalStatus, problems: l.kpi.problems.map((p) => ({ code: p.code, at: label.get(p.messageId) })),
    }))).toEqual(kpi!.legs.map((l) => ({ disposition: l.disposition, finalStatus: l.finalStatus, problems: l.problems })));
    kpi!.legs.forEach((want, i) => {
      const got = view.legs[i].kpi;
      for (const key of ['pddMs', 'setupMs'] as const) {
        if (want[key] === undefined) continue;
        expect(got[key], `leg ${i} ${key}`).not.toBeNull();
        expect(Math.abs(got[key]! - want[key]!), `leg ${i} ${key} ${got[key]}`).toBeLessThanOrEqual(KPI_SLACK_MS);
      }
    });
  });

  if (kpi?.timedOut) it('times out what went unanswered when the view is read 64×T1 after the last message', () => {
    const timerB = 64 * KPI_DEFAULTS.t1Ms * 1000;
    const k = viewOf(first!, run.aliases, first!.messages.at(-1)!.ts + timerB + 1).legs[0].kpi;
    expect({ disposition: k.disposition, problems: k.problems.map((p) => p.code) }).toEqual(kpi!.timedOut);
  });
});

describe('scenario details', () => {
  const view = (name: string) => {
    const run = findScenario(name)!.build(BASE);
    const { groups } = ingest(run);
    return { run, view: viewOf(groups[0], run.aliases) };
  };

  it('chain-full: the 7 SBC ↔ proxy messages are drawn once, seen at both capture points', () => {
    const { run, view: v } = view('chain-full');
    expect(run.packets.length).toBe(27);
    const both = v.messages.filter((m) => m.captureIds.length === 2);
    expect(both.map((m) => [m.src, m.dst].sort().join(' '))).toEqual(Array(7).fill('10.0.0.2:5060 10.0.0.5:5060'));
    expect(both.every((m) => [...m.captureIds].sort().join() === '10,20' && m.duplicateIds.length === 1)).toBe(true);
  });

  it('chain-partial: the proxy traces only its callee side, so every hop is captured once', () => {
    const { run, view: v } = view('chain-partial');
    expect(run.packets.length).toBe(20);
    const byCapture = (id: string) => new Set(v.messages.filter((m) => m.captureIds.includes(id)).map((m) => [m.src, m.dst].sort().join(' ')));
    expect([...byCapture('20')]).toEqual(['10.0.0.5:5060 203.0.113.50:5060']);
    expect([...byCapture('10')].sort()).toEqual(['10.0.0.2:5060 10.0.0.5:5060', '10.0.0.2:5060 198.51.100.20:5060']);
  });

  it('puts 0x0011 on every OpenSIPS packet and none on Kamailio trace_mode=1 packets', () => {
    expect(findScenario('attended-transfer-kamailio')!.build(BASE).packets.every((p) => p.correlationId === null)).toBe(true);
    const packets = findScenario('attended-transfer-opensips')!.build(BASE).packets;
    expect(packets.every((p) => typeof p.correlationId === 'string')).toBe(true);
    // The forced id (the first call's Call-ID) appears on the replacement call only.
    const forced = packets.filter((p) => !String(p.payload).includes(`Call-ID: ${p.correlationId}\r\n`));
    expect(new Set(forced.map((p) => /Call-ID: (.*)\r\n/.exec(String(p.payload))![1])).size).toBe(1);
    expect(forced.length).toBe(11);
  });

  it('hostile: the markup travels untouched in From, User-Agent and X-Note', () => {
    const { run } = view('hostile');
    const invite = String(run.packets[0].payload);
    expect(invite).toContain('From: "<script>window.__pwned=1</script>" <sip:alice@example.com>');
    expect(invite).toContain('User-Agent: <img src=x onerror="window.__pwned=1">');
    expect(invite).toContain('X-Note: <script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">');
  });

  it('call-pickup runs on IPv6 and shows bracketed endpoints', () => {
    const { view: v } = view('call-pickup');
    expect(v.endpoints.map((e) => e.id)).toEqual(['[2001:db8:10::10]:5060', '[2001:db8::5]:5060', '[2001:db8:10::20]:5060', '[2001:db8:10::30]:5060']);
  });

  it('long-call spans four hours in one dialog', () => {
    const packets = findScenario('long-call')!.build(BASE).packets;
    const span = packets.at(-1)!.tsSec - packets[0].tsSec;
    expect(span).toBeGreaterThanOrEqual(4 * 3600);
    expect(new Set(packets.map((p) => /Call-ID: (.*)\r\n/.exec(String(p.payload))![1])).size).toBe(1);
  });
});
