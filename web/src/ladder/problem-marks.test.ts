import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES } from '../../../server/kpi/codes.ts';
import { problemDefinition } from '../model/problems.ts';
import { problemMark, problemsByMessage, problemTitle } from './problem-marks.ts';

describe('problemsByMessage', () => {
  //  leg 0: 200 OK m4 retransmitted before its ACK (retransmissions, missing-ack); leg 1: 481 m9 on its BYE (two codes), 503 m2
  it('lists each message\'s codes once, in the problems\' order, whatever leg raised them', () => {
    const byMessage = problemsByMessage([
      { code: 'server-error-5xx', messageId: 'm2' },
      { code: 'retransmissions', messageId: 'm4' }, { code: 'missing-ack', messageId: 'm4' },
      { code: 'call-leg-481', messageId: 'm9' }, { code: 'bye-without-200', messageId: 'm9' }, { code: 'call-leg-481', messageId: 'm9' },
    ]);
    expect([...byMessage]).toEqual([['m2', ['server-error-5xx']], ['m4', ['retransmissions', 'missing-ack']], ['m9', ['call-leg-481', 'bye-without-200']]]);
  });

  it('answers an empty map for a group without problems', () => {
    expect(problemsByMessage([]).size).toBe(0);
  });
});

describe('problemMark and problemTitle', () => {
  it('mark a row with its codes, and no mark without one', () => {
    expect(problemMark(['glare-491'])).toBe(' ⚑glare-491');
    expect(problemMark(['call-leg-481', 'bye-without-200'])).toBe(' ⚑call-leg-481, bye-without-200');
    expect(problemMark([])).toBeNull();
    expect(problemMark(undefined)).toBeNull();
  });

  it('title each code with its definition from the one table, and an unknown code with itself', () => {
    expect(problemTitle(['timeout-408', 'future-code'], problemDefinition)).toBe(`timeout-408: ${PROBLEM_CODES['timeout-408']}\nfuture-code: future-code`);
  });
});
