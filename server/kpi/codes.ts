/**
 * Problem codes of a call: one table, the single source of the names and their definitions
 * (README "Problems and KPIs" repeats it). kpi/state.ts raises them.
 */
export const PROBLEM_CODES = {
  'missing-ack': 'a 2xx to the INVITE was retransmitted before any ACK for it (RFC 3261 §13.3.1.4)',
  retransmissions: 'copies of a request or response within 64×T1 of the original (RFC 3261 §17.1.1.2); later copies are not counted',
  'no-final-response': 'the initial INVITE got no final response within 64×T1 (Timer B, RFC 3261 §17.1.1.2)',
  'timeout-408': 'a request was answered 408 Request Timeout',
  'server-error-5xx': 'a request was answered with a 5xx',
  'call-failure-6xx': 'a request was answered with a 6xx (global failure)',
  'call-leg-481': 'a request was answered 481 Call/Transaction Does Not Exist',
  'glare-491': 'a request was answered 491 Request Pending (re-INVITE glare, RFC 3261 §14.1)',
  'sdp-rejected-488': 'a request was answered 488 Not Acceptable Here (SDP offer refused)',
  'long-gap': 'the first response to a request came more than longGapMs after it (5 s by default)',
  'nat-mismatch': 'the top Via of a request, or the Contact of one sent straight by its UA (one Via), names an IP address other than the packet source',
  'bye-without-200': 'a BYE got a non-2xx final response, or none within 64×T1',
} as const satisfies Record<string, string>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

export const PROBLEM_CODE_LIST = Object.keys(PROBLEM_CODES) as ProblemCode[];

/**
 * A set of codes as an integer, bit i for PROBLEM_CODE_LIST[i]: the stores keep each call's and
 * group's problems so (one column, filtered with `&`). The bits are stored, so the order of
 * PROBLEM_CODES is fixed: a new code goes at the end (31 at most, a PostgreSQL integer).
 */
export function problemBits(codes: Iterable<ProblemCode>): number {
  let bits = 0;
  for (const c of codes) {
    const i = PROBLEM_CODE_LIST.indexOf(c);
    if (i >= 0) bits |= 1 << i;
  }
  return bits;
}

/** The codes of `bits` (problemBits), in table order. */
export function problemCodesOf(bits: number): ProblemCode[] {
  return bits === 0 ? [] : PROBLEM_CODE_LIST.filter((_, i) => (bits & (1 << i)) !== 0);
}

/** How a call (or one leg) ended, or that it has not. */
export type Disposition = 'answered' | 'busy' | 'no-answer' | 'cancelled' | 'rejected' | 'failed' | 'in-progress';

export const DISPOSITIONS: readonly Disposition[] = ['answered', 'busy', 'no-answer', 'cancelled', 'rejected', 'failed', 'in-progress'];

/** A problem and the message it points at (the first one that showed it). */
export interface Problem {
  code: ProblemCode;
  messageId: string;
  /** How many times it was seen (retransmitted copies for `retransmissions`). */
  count: number;
}
