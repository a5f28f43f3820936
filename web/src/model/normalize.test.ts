import { describe, expect, it } from 'vitest';
import type { ApiLeg } from '../../../server/api/types.ts';
import type { Problem } from '../../../server/kpi/codes.ts';
import { problemsOf, type FlowMessage } from './normalize.ts';

function makeLeg(index: number, problems: Problem[]): ApiLeg {
  return {
    index, callId: `leg-${index}`, role: 'original', roleText: `Leg ${index + 1}`, links: [], fromUser: 'alice', toUser: 'bob', start: 0, messages: 0,
    status: 200, kpi: { disposition: 'answered', pddMs: 40, setupMs: 2540, durationMs: null, finalStatus: 200, problems },
  };
}
const messages = ['m1', 'm2', 'm3', 'm4'].map((id, index) => ({ id, index }) as FlowMessage);
const problem = (code: Problem['code'], messageId: string): Problem => ({ code, messageId, count: 1 });

describe('problemsOf', () => {
  /*
   * leg 0 (server index 0): retransmissions and missing-ack on m3, long-gap on m9 (not loaded yet)
   * leg 1 (server index 4): server-error-5xx on m2, glare-491 on m3
   */
  it('lists every leg\'s problems in the order of their messages, ties by leg, with the leg\'s position and the message\'s index', () => {
    const legs = [makeLeg(0, [problem('retransmissions', 'm3'), problem('missing-ack', 'm3'), problem('long-gap', 'm9')]), makeLeg(4, [problem('server-error-5xx', 'm2'), problem('glare-491', 'm3')])];
    expect(problemsOf(legs, messages).map((p) => [p.code, p.leg, p.legPosition, p.messageId, p.messageIndex])).toEqual([
      ['server-error-5xx', 4, 1, 'm2', 1],
      ['retransmissions', 0, 0, 'm3', 2],
      ['missing-ack', 0, 0, 'm3', 2],
      ['glare-491', 4, 1, 'm3', 2],
      ['long-gap', 0, 0, 'm9', -1],
    ]);
  });

  it('answers no problems for legs without any', () => {
    expect(problemsOf([makeLeg(0, [])], messages)).toEqual([]);
  });
});
