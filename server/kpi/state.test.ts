import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { StoredMessage } from '../store/types.ts';
import { A, B, hop, makeResponse, makeStored, T0 } from '../testing/correlate.ts';
import { PROBLEM_CODE_LIST, PROBLEM_CODES, problemBits, problemCodesOf } from './codes.ts';
import { KPI_DEFAULTS, dispositionOf, kpiOf, natAddresses, newKpiState, packKpi, unpackKpi, updateKpi, type KpiMessage } from './state.ts';
import { parseSip } from '../sip/parse.ts';
import { invite as inviteText, makeMessage, RINGING } from '../testing/sip-messages.ts';

/** T0 + `ms` milliseconds, µs. */
const at = (ms: number): number => T0 + ms * 1000;

function kpiOfList(msgs: KpiMessage[], now?: number) {
  const st = newKpiState();
  for (const m of msgs) updateKpi(st, m, KPI_DEFAULTS);
  return kpiOf(st, KPI_DEFAULTS, now);
}

const codes = (k: ReturnType<typeof kpiOfList>) => k.problems.map((p) => p.code).sort();

/** A → B INVITE (cseq 1, branch b1) at T0. */
const invite = (o: Partial<StoredMessage> = {}) => makeStored({ ...hop(A, B), ts: T0, ...o });
/** The ACK or BYE of the dialog from A. */
const req = (method: string, ms: number, cseqNum: number, o: Partial<StoredMessage> = {}) =>
  makeStored({ ...hop(A, B), ts: at(ms), method, cseqNum, cseqMethod: method, toTag: 'tt1', viaBranch: `z9hG4bK-${method}${cseqNum}`, ...o });

describe('per-call KPIs', () => {
  /*
   * A → B  INVITE          0 ms
   * B → A  100 Trying     10 ms
   * B → A  180 Ringing   400 ms
   * B → A  200 OK       3400 ms
   * A → B  ACK          3410 ms
   * A → B  BYE         63400 ms
   * B → A  200 OK      63420 ms
   */
  it('gives an answered call its PDD, setup time, duration and no problems', () => {
    const inv = invite();
    const bye = req('BYE', 63_400, 2);
    const k = kpiOfList([
      inv, makeResponse(inv, 100, 'Trying', { ts: at(10), toTag: null }), makeResponse(inv, 180, 'Ringing', { ts: at(400) }),
      makeResponse(inv, 200, 'OK', { ts: at(3400) }), req('ACK', 3410, 1), bye, makeResponse(bye, 200, 'OK', { ts: at(63_420) }),
    ]);
    expect(k).toEqual({ disposition: 'answered', pddMs: 400, setupMs: 3400, durationMs: 60_000, finalStatus: 200, problems: [] });
  });

  it('measures PDD to the final response when no 180/183 came', () => {
    const inv = invite();
    const k = kpiOfList([inv, makeResponse(inv, 486, 'Busy Here', { ts: at(700) })]);
    expect([k.disposition, k.pddMs, k.setupMs, k.finalStatus]).toEqual(['busy', 700, null, 486]);
  });

  it('calls a CANCEL answered 487 cancelled', () => {
    const inv = invite();
    const cancel = makeStored({ ...hop(A, B), ts: at(5000), method: 'CANCEL', cseqMethod: 'CANCEL' });
    const k = kpiOfList([inv, makeResponse(inv, 180, 'Ringing', { ts: at(200) }), cancel, makeResponse(cancel, 200, 'OK', { ts: at(5010) }),
      makeResponse(inv, 487, 'Request Terminated', { ts: at(5020) })]);
    expect([k.disposition, k.finalStatus, k.pddMs]).toEqual(['cancelled', 487, 200]);
  });

  it('counts a call answered while its CANCEL was on the way as answered (the 2xx wins the race)', () => {
    const inv = invite();
    const cancel = makeStored({ ...hop(A, B), ts: at(5000), method: 'CANCEL', cseqMethod: 'CANCEL' });
    const k = kpiOfList([inv, makeResponse(inv, 100, 'Trying', { ts: at(10), toTag: null }), cancel, makeResponse(inv, 200, 'OK', { ts: at(5001) }), makeResponse(cancel, 481, 'No Transaction', { ts: at(5005) }), req('ACK', 5006, 1)]);
    expect([k.disposition, k.setupMs, k.finalStatus]).toEqual(['answered', 5001, 200]);
    expect(codes(k)).toEqual(['call-leg-481']);
  });

  /* Forked INVITE: two early dialogs ring (tags f1, f2); f2 answers, f1 is ended with 487. */
  it('takes the answering fork of a forked INVITE and PDD from the first early dialog', () => {
    const inv = invite();
    const k = kpiOfList([
      inv, makeResponse(inv, 183, 'Session Progress', { ts: at(300), toTag: 'f1' }), makeResponse(inv, 180, 'Ringing', { ts: at(350), toTag: 'f2' }),
      makeResponse(inv, 200, 'OK', { ts: at(2000), toTag: 'f2' }), makeResponse(inv, 487, 'Request Terminated', { ts: at(2010), toTag: 'f1' }),
      req('ACK', 2020, 1, { toTag: 'f2' }),
    ]);
    expect([k.disposition, k.pddMs, k.setupMs, k.finalStatus]).toEqual(['answered', 300, 2000, 200]);
  });

  /* 302 to a new target, ACK, then a new INVITE (cseq 2) in the same Call-ID that is answered. */
  it('follows a 3xx redirect to the new INVITE, keeping PDD and setup from the first INVITE', () => {
    const inv = invite();
    const inv2 = invite({ ts: at(1000), cseqNum: 2, viaBranch: 'z9hG4bK-2' });
    const k = kpiOfList([inv, makeResponse(inv, 302, 'Moved', { ts: at(100) }), req('ACK', 110, 1, { viaBranch: 'z9hG4bK-1' }),
      inv2, makeResponse(inv2, 180, 'Ringing', { ts: at(1500) }), makeResponse(inv2, 200, 'OK', { ts: at(4000) }), req('ACK', 4010, 2)]);
    expect([k.disposition, k.pddMs, k.setupMs, k.finalStatus]).toEqual(['answered', 1500, 4000, 200]);
  });

  it('treats a re-INVITE (with a To tag) as part of the call, not a new one, and flags its 491', () => {
    const inv = invite();
    const reinv = req('INVITE', 10_000, 2);
    const k = kpiOfList([inv, makeResponse(inv, 200, 'OK', { ts: at(1000) }), req('ACK', 1001, 1), reinv, makeResponse(reinv, 491, 'Request Pending', { ts: at(10_010) })]);
    expect([k.disposition, k.setupMs, k.finalStatus]).toEqual(['answered', 1000, 200]);
    expect(k.problems).toEqual([{ code: 'glare-491', messageId: expect.any(String), count: 1 }]);
  });

  it('keeps a call without a final response in progress, and failed with no-final-response after 64×T1', () => {
    const inv = invite();
    const msgs = [inv, makeResponse(inv, 180, 'Ringing', { ts: at(100) })];
    expect(kpiOfList(msgs).disposition).toBe('in-progress');
    expect(kpiOfList(msgs, at(31_000)).disposition).toBe('in-progress');
    const late = kpiOfList(msgs, at(33_000));
    expect(late.disposition).toBe('failed');
    expect(late.problems).toEqual([{ code: 'no-final-response', messageId: inv.id, count: 1 }]);
  });

  it('flags a 2xx retransmitted before its ACK as missing-ack, pointing at the copy', () => {
    const inv = invite();
    const copy = makeResponse(inv, 200, 'OK', { ts: at(1500) });
    const k = kpiOfList([inv, makeResponse(inv, 200, 'OK', { ts: at(1000) }), copy, req('ACK', 1600, 1)]);
    expect(k.problems.find((p) => p.code === 'missing-ack')).toEqual({ code: 'missing-ack', messageId: copy.id, count: 1 });
    expect(k.problems.find((p) => p.code === 'retransmissions')?.count).toBe(1);
  });

  it('counts copies within 64×T1 as retransmissions, and a later copy as none', () => {
    const inv = invite();
    const k = kpiOfList([inv, invite({ ts: at(500) }), invite({ ts: at(1500) }), invite({ ts: at(40_000) }), makeResponse(inv, 200, 'OK', { ts: at(40_100) }), req('ACK', 40_110, 1)]);
    expect(k.problems.find((p) => p.code === 'retransmissions')?.count).toBe(2);
    expect(k.setupMs).toBe(40_100);
  });

  it('ignores a second capture of one message (sooner than T1), which is no retransmission', () => {
    const inv = invite();
    const ok = makeResponse(inv, 200, 'OK', { ts: at(1000) });
    const k = kpiOfList([inv, invite({ ts: at(0.3) }), ok, { ...ok, id: 'second-capture', ts: at(1000.3) }, req('ACK', 1010, 1)]);
    expect(k.problems).toEqual([]);
  });

  it('names the status problems by their response', () => {
    const cases: [number, string][] = [[408, 'timeout-408'], [481, 'call-leg-481'], [488, 'sdp-rejected-488'], [503, 'server-error-5xx'], [603, 'call-failure-6xx']];
    for (const [status, code] of cases) {
      const inv = invite();
      const resp = makeResponse(inv, status, 'x', { ts: at(100) });
      expect(kpiOfList([inv, resp]).problems).toEqual([{ code, messageId: resp.id, count: 1 }]);
    }
  });

  it('flags a BYE answered with an error, or unanswered for 64×T1, as bye-without-200', () => {
    const inv = invite();
    const start = [inv, makeResponse(inv, 200, 'OK', { ts: at(100) }), req('ACK', 110, 1)];
    const bye = req('BYE', 10_000, 2);
    expect(codes(kpiOfList([...start, bye, makeResponse(bye, 481, 'x', { ts: at(10_010) })]))).toEqual(['bye-without-200', 'call-leg-481']);
    expect(codes(kpiOfList([...start, bye], at(20_000)))).toEqual([]);
    expect(kpiOfList([...start, bye], at(43_000)).problems).toEqual([{ code: 'bye-without-200', messageId: bye.id, count: 1 }]);
    expect(kpiOfList([...start, bye]).durationMs).toBe(9900);
  });

  it('flags a request first answered after longGapMs as long-gap, not a quiet answered call', () => {
    const inv = invite();
    const late = makeResponse(inv, 100, 'Trying', { ts: at(6000), toTag: null });
    const bye = req('BYE', 100_000, 2);
    const k = kpiOfList([inv, late, makeResponse(inv, 200, 'OK', { ts: at(60_000) }), req('ACK', 60_010, 1), bye, makeResponse(bye, 200, 'OK', { ts: at(100_010) })]);
    expect(k.problems).toEqual([{ code: 'long-gap', messageId: late.id, count: 1 }]);
  });

  it('flags a request whose Via or Contact address is not its packet source as nat-mismatch', () => {
    const inv: KpiMessage = { ...invite(), viaIp: '192.168.1.20', contactIp: '192.168.1.20' };
    expect(codes(kpiOfList([inv]))).toEqual(['nat-mismatch']);
    expect(codes(kpiOfList([{ ...invite(), viaIp: A.ip, contactIp: A.ip }]))).toEqual([]);
  });

  it('reads the addresses to compare from the request: the top Via, and the Contact only of a request straight from its UA', () => {
    const opts = { correlationHeaders: [] };
    // Relayed by the proxy 192.0.2.1 with Alice's Contact: the Contact is no NAT evidence.
    expect(natAddresses(parseSip(inviteText(), opts))).toEqual({ viaIp: '192.0.2.1', contactIp: null });
    const direct = (via: string, contact: string) => parseSip(makeMessage('INVITE sip:bob@203.0.113.5 SIP/2.0', [
      `Via: ${via}`, 'From: <sip:alice@example.com>;tag=1', 'To: <sip:bob@example.com>', 'Call-ID: n1', 'CSeq: 1 INVITE', `Contact: ${contact}`,
    ], ''), opts);
    expect(natAddresses(direct('SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK1;rport', '<sip:alice@192.168.1.20:5060>')))
      .toEqual({ viaIp: '192.168.1.20', contactIp: '192.168.1.20' });
    expect(natAddresses(direct('SIP/2.0/TLS [2001:db8::7]:5061;branch=z9hG4bK1', '<sip:alice@[2001:db8::7]:5061;transport=tls>')))
      .toEqual({ viaIp: '2001:db8::7', contactIp: '2001:db8::7' });
    // Host names cannot be compared with a packet source; two Via values in one line are a relayed request.
    expect(natAddresses(direct('SIP/2.0/UDP pbx.example.com;branch=z9hG4bK1', '<sip:alice@pbx.example.com>'))).toEqual({ viaIp: null, contactIp: null });
    expect(natAddresses(direct('SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK2, SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK1', '<sip:alice@10.0.0.9>')))
      .toEqual({ viaIp: '192.0.2.1', contactIp: null });
    expect(natAddresses(parseSip(RINGING, opts))).toEqual({ viaIp: null, contactIp: null });
  });

  it('maps final statuses to dispositions', () => {
    expect([200, 486, 600, 480, 408, 487, 404, 403, 503, 604].map((s) => dispositionOf(s, false)))
      .toEqual(['answered', 'busy', 'busy', 'no-answer', 'no-answer', 'cancelled', 'rejected', 'rejected', 'failed', 'rejected']);
    expect(dispositionOf(null, true)).toBe('in-progress');
  });

  it('does not change the state a KPI was read from', () => {
    const st = newKpiState();
    const inv = invite();
    updateKpi(st, inv, KPI_DEFAULTS);
    const k = kpiOf(st, KPI_DEFAULTS, at(40_000));
    expect(k.problems.map((p) => p.code)).toEqual(['no-final-response']);
    expect(kpiOf(st, KPI_DEFAULTS).problems).toEqual([]);
    expect(PROBLEM_CODE_LIST).toContain(k.problems[0].code);
  });
});

describe('problem codes table', () => {
  it('is written out in README "Problems and KPIs" with the same definitions', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\| `([a-z0-9-]+)` \| (.+) \|$/gm)].filter(([, code]) => code in PROBLEM_CODES);
    expect(Object.fromEntries(rows.map(([, code, text]) => [code, text]))).toEqual(PROBLEM_CODES);
  });
});

describe('the packed fold state a store keeps per call', () => {
  /*
   * A → B  INVITE        0 ms       then, packed and unpacked:
   * B → A  180 Ringing 300 ms       B → A  200 OK  900 ms,  A → B ACK,  A → B BYE 5 s (answered 481)
   * A → B  CANCEL      500 ms
   */
  it('goes on folding after a pack and unpack as it would have without', () => {
    const inv = invite();
    const before = [inv, makeResponse(inv, 180, 'Ringing', { ts: at(300) }),
      makeStored({ ...hop(A, B), ts: at(500), method: 'CANCEL', cseqMethod: 'CANCEL' })];
    const bye = req('BYE', 5000, 2);
    const after = [makeResponse(inv, 200, 'OK', { ts: at(900) }), req('ACK', 910, 1), bye, makeResponse(bye, 481, 'No Dialog', { ts: at(5010) })];
    const whole = newKpiState();
    for (const m of [...before, ...after]) updateKpi(whole, m, KPI_DEFAULTS);
    const half = newKpiState();
    for (const m of before) updateKpi(half, m, KPI_DEFAULTS);
    const resumed = unpackKpi(packKpi(half))!;
    for (const m of after) updateKpi(resumed, m, KPI_DEFAULTS);
    const strip = (k: ReturnType<typeof kpiOf>) => ({ ...k, problems: k.problems.map((p) => p.code) });
    expect(strip(kpiOf(resumed, KPI_DEFAULTS))).toEqual(strip(kpiOf(whole, KPI_DEFAULTS)));
    expect(strip(kpiOf(resumed, KPI_DEFAULTS))).toMatchObject({ disposition: 'answered', pddMs: 300, setupMs: 900, problems: ['call-leg-481', 'bye-without-200'] });
    expect(unpackKpi(packKpi(newKpiState()))).toEqual(newKpiState());
  });

  it('is a short text: the copy window and the problems\' message ids stay out', () => {
    const st = newKpiState();
    const inv = invite();
    for (let i = 0; i < 20; i++) updateKpi(st, { ...inv, ts: at(600 * i) }, KPI_DEFAULTS);
    expect(st.firstSeen.size).toBeGreaterThan(0);
    expect(packKpi(st).length).toBeLessThan(80);
    expect(unpackKpi(packKpi(st))!.problems.get('retransmissions')).toEqual({ code: 'retransmissions', messageId: '', count: 1 });
  });

  it('refuses a text that is not one it wrote', () => {
    for (const bad of ['', 'null', '[2]', '{"a":1}', '[2,2,3]', '[1,1,1,null,null,null,null,null,0,[],null,null,0]']) expect(unpackKpi(bad)).toBeNull();
  });
});

describe('problem codes as bits', () => {
  it('round-trips any set of codes in table order', () => {
    expect(problemCodesOf(problemBits(['long-gap', 'missing-ack']))).toEqual(['missing-ack', 'long-gap']);
    expect(problemCodesOf(problemBits(PROBLEM_CODE_LIST))).toEqual(PROBLEM_CODE_LIST);
    expect(problemBits([])).toBe(0);
    expect(PROBLEM_CODE_LIST.length).toBeLessThanOrEqual(31); // a PostgreSQL integer
  });
});
