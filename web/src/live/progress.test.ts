import { describe, expect, it } from 'vitest';
import { legsInProgress, type ProgressMessage } from './progress.ts';

const req = (callId: string, method: string): ProgressMessage => ({ callId, method, status: null, cseq: `1 ${method}` });
const res = (callId: string, status: number, method = 'INVITE'): ProgressMessage => ({ callId, method: null, status, cseq: `1 ${method}` });

describe('legsInProgress', () => {
  it('a call is in progress from its INVITE until a final failure, or from its 2xx until BYE', () => {
    expect(legsInProgress([req('a', 'INVITE'), res('a', 180)])).toEqual(new Set(['a']));
    expect(legsInProgress([req('a', 'INVITE'), res('a', 200)])).toEqual(new Set(['a']));
    expect(legsInProgress([req('a', 'INVITE'), res('a', 200), req('a', 'ACK'), req('a', 'BYE')])).toEqual(new Set());
    expect(legsInProgress([req('a', 'INVITE'), res('a', 486)])).toEqual(new Set());
    expect(legsInProgress([req('a', 'INVITE'), req('a', 'CANCEL'), res('a', 200, 'CANCEL'), res('a', 487)])).toEqual(new Set());
  });

  it('a re-INVITE keeps an established call up, and only INVITE answers settle the set-up', () => {
    const up = [req('a', 'INVITE'), res('a', 200), req('a', 'ACK')];
    expect(legsInProgress([...up, req('a', 'INVITE'), res('a', 491)])).toEqual(new Set(['a']));
    expect(legsInProgress([req('a', 'INVITE'), res('a', 200, 'PRACK')])).toEqual(new Set(['a']));
  });

  it('follows each leg apart (a transfer: the first call ends, the new one is up)', () => {
    const msgs = [req('a', 'INVITE'), res('a', 200), req('b', 'INVITE'), res('b', 200), req('a', 'BYE'), res('a', 200, 'BYE')];
    expect(legsInProgress(msgs)).toEqual(new Set(['b']));
  });

  it('a leg with only other requests (OPTIONS, logs) is not a call', () => {
    expect(legsInProgress([req('o', 'OPTIONS'), res('o', 200, 'OPTIONS'), { callId: 'l', method: null, status: null, cseq: null }])).toEqual(new Set());
  });
});
