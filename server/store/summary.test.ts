import { describe, it, expect } from 'vitest';
import { groupFailPeer, newCall, updateCall } from './summary.ts';
import { newKpiState } from '../kpi/state.ts';
import { makeMessage } from '../testing/store-suite.ts';
import type { MessageInput } from './types.ts';

const T0 = 1_700_000_000_000_000;

/** The far end a call's messages name (summary.ts fail_peer), folded in order as a store does. */
function failPeer(messages: Partial<MessageInput>[]): string | null {
  const c = newCall(makeMessage({ ts: T0 }));
  const kpi = newKpiState();
  messages.forEach((o, i) => updateCall(c, makeMessage({ ts: T0 + i * 10_000, ...o }), kpi));
  return c.fail_peer;
}

const response = (status: number, srcIp: string, o: Partial<MessageInput> = {}): Partial<MessageInput> =>
  ({ method: null, status, srcIp, toTag: 'tt', viaBranch: `z9hG4bK-${srcIp}`, ...o });

describe('fail_peer: the far end that failed a call', () => {
  it('is the source of the first final rejection: the box that sent it, not the hops that relayed it', () => {
    // INVITE A → proxy → carrier; 503 carrier → proxy, then proxy → A
    expect(failPeer([{ srcIp: '10.0.0.1' }, { srcIp: '10.0.0.5', viaBranch: 'z9hG4bK-p' },
      response(503, '198.51.100.7'), response(503, '10.0.0.5')])).toBe('198.51.100.7');
  });

  it('starts over with the new INVITE after a 3xx, and ignores provisional answers and re-INVITE failures', () => {
    expect(failPeer([{ srcIp: '10.0.0.1' }, response(302, '10.0.0.9'), { srcIp: '10.0.0.1', cseqNum: 2, viaBranch: 'z9hG4bK2' },
      response(180, '10.0.0.20', { cseqNum: 2 }), response(486, '10.0.0.20', { cseqNum: 2 })])).toBe('10.0.0.20');
    expect(failPeer([{ srcIp: '10.0.0.1' }, response(200, '10.0.0.20'),
      { srcIp: '10.0.0.1', cseqNum: 2, toTag: 'tt', viaBranch: 'z9hG4bK2' }, response(491, '10.0.0.20', { cseqNum: 2 })])).toBeNull();
  });

  it('of a group, is the latest leg\'s that has one (the B-leg behind a B2BUA)', () => {
    expect(groupFailPeer([{ fail_peer: '10.0.0.5' }, { fail_peer: '198.51.100.7' }, { fail_peer: null }])).toBe('198.51.100.7');
    expect(groupFailPeer([{ fail_peer: null }])).toBeNull();
  });
});
