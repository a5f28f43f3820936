import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { StoredMessage } from '../store/types.ts';
import { A, B, hop, makeResponse, makeStored, T0 } from '../testing/correlate.ts';
import { PROBLEM_CODE_LIST, PROBLEM_CODES } from './codes.ts';
import { KPI_DEFAULTS, dispositionOf, kpiOf, newKpiState, updateKpi, type KpiMessage } from './state.ts';

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
