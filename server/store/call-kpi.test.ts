import { describe, expect, it } from 'vitest';
import { CallKpis } from './call-kpi.ts';
import { newCall, settleKpi, updateCall, type CallSummary } from './summary.ts';
import { makeMessage } from '../testing/store-suite.ts';
import type { MessageInput } from './types.ts';

const T0 = 1_700_000_000_000_000;
/** The INVITE of call `id` at T0 + `ms`: sent again 1 s later it is a retransmission. */
const invite = (ms: number, id = 'c1'): MessageInput => makeMessage({ callId: id, ts: T0 + ms * 1000 });

/** One batch as a store writes it: open, fold, settle, (write,) close. Returns the row written. */
function write(kpis: CallKpis, row: CallSummary, batch: MessageInput[], commit = true): CallSummary {
  const c = { ...row };
  const st = kpis.open(c);
  for (const m of batch) updateCall(c, m, st);
  if (st !== null) settleKpi(c, st);
  if (commit && st !== null) kpis.close(c, st);
  return c;
}

describe('KPI windows of the calls a store writes', () => {
  it('finds a retransmission that comes in a later batch', () => {
    const kpis = new CallKpis();
    const row = write(kpis, newCall(invite(0)), [invite(0)]);
    expect(write(kpis, row, [invite(1000)]).problems).not.toBe(0);
  });

  it('goes on from the stored row, without the window, after a restart', () => {
    const row = write(new CallKpis(), newCall(invite(0)), [invite(0)]);
    const after = write(new CallKpis(), row, [invite(1000)]);
    expect([after.problems, after.disposition, after.messages]).toEqual([0, 'in-progress', 2]);
  });

  it('holds no window of a batch that was rolled back: a retry goes on from the row as stored', () => {
    const kpis = new CallKpis();
    const row = write(kpis, newCall(invite(0)), [invite(0)]);
    const bye = makeMessage({ callId: 'c1', ts: T0 + 2_000_000, method: 'BYE', cseqNum: 2, cseqMethod: 'BYE', viaBranch: 'b2' });
    const copy = { ...bye, ts: bye.ts + 1_000_000 };
    write(kpis, row, [bye, copy], false); // the transaction failed: the row stays as it was
    // Written again, the batch is folded once: from the row, the copy a retransmission of the BYE.
    expect(write(kpis, row, [bye, copy])).toEqual(write(new CallKpis(), row, [bye, copy]));
  });

  it('does not take the window for a row another process wrote since', () => {
    const kpis = new CallKpis();
    const row = write(kpis, newCall(invite(0)), [invite(0)]);
    const other = write(new CallKpis(), row, [makeMessage({ callId: 'c1', ts: T0 + 500_000, method: null, status: 180, toTag: 't' })]);
    expect(kpis.open(other)).not.toBe(null);
    expect(write(kpis, other, [invite(1000)]).problems).toBe(0); // window dropped: the copy is not seen
  });

  it('keeps at most its bound of windows, dropping the calls begun first', () => {
    const kpis = new CallKpis(4);
    const rows = ['a', 'b', 'c', 'd', 'e'].map((id) => write(kpis, newCall(invite(0, id)), [invite(0, id)]));
    expect(kpis.size).toBe(4); // 5 then the oldest quarter (1) dropped
    expect(write(kpis, rows[0], [invite(1000, 'a')]).problems).toBe(0); // a's window went
    expect(write(kpis, rows[4], [invite(1000, 'e')]).problems).not.toBe(0);
  });

  it('drops the window of a call whose BYE was answered', () => {
    const kpis = new CallKpis();
    const row = write(kpis, newCall(invite(0)), [invite(0)]);
    const bye = { callId: 'c1', cseqNum: 2, cseqMethod: 'BYE', viaBranch: 'b2', toTag: 't' };
    write(kpis, row, [makeMessage({ ...bye, ts: T0 + 2e6, method: 'BYE' }), makeMessage({ ...bye, ts: T0 + 2.01e6, method: null, status: 200 })]);
    expect(kpis.size).toBe(0);
  });

  it('holds no window for an answered OPTIONS or REGISTER: pings do not push out a call still ringing', () => {
    const kpis = new CallKpis(4);
    const row = write(kpis, newCall(invite(0)), [invite(0)]);
    for (const [i, method] of ['OPTIONS', 'REGISTER', 'OPTIONS', 'OPTIONS', 'MESSAGE', 'OPTIONS'].entries()) {
      const tx = { callId: `ping-${i}`, cseqNum: 1, cseqMethod: method, viaBranch: `p${i}`, toTag: 't' };
      const request = makeMessage({ ...tx, ts: T0 + i * 1000, method });
      write(kpis, newCall(request), [request, makeMessage({ ...tx, ts: T0 + i * 1000 + 500, method: null, status: 200 })]);
    }
    expect(kpis.size).toBe(1);
    expect(write(kpis, row, [invite(1000)]).problems).not.toBe(0); // the INVITE sent again is seen as a copy
  });

  it('keeps the window of a SUBSCRIBE answered, and of an OPTIONS not answered yet', () => {
    const kpis = new CallKpis();
    for (const method of ['SUBSCRIBE', 'OPTIONS']) {
      const tx = { callId: method, cseqNum: 1, cseqMethod: method, viaBranch: 'b1', toTag: 't' };
      const request = makeMessage({ ...tx, ts: T0, method });
      write(kpis, newCall(request), method === 'SUBSCRIBE' ? [request, makeMessage({ ...tx, ts: T0 + 500, method: null, status: 202 })] : [request]);
    }
    expect(kpis.size).toBe(2);
  });

  it('leaves the KPIs of a call unknown when its row has none', () => {
    const legacy = { ...newCall(invite(0)), messages: 3 };
    const c = write(new CallKpis(), legacy, [invite(1000)]);
    expect([c.kpi, c.disposition, c.messages]).toEqual([null, null, 4]);
  });
});
