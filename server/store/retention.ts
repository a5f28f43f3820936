/**
 * Retention by kind: calls are kept longer than REGISTER, OPTIONS and other non-call traffic.
 * A group is a call when one of its legs began with a request of an INVITE dialog; it goes only
 * as a whole, once it ended before the calls' cutoff, so that a call still within retention is
 * never cut. Other traffic goes message by message (a REGISTER refreshed for months under one
 * Call-ID must not live for ever). Pure: the sweeps are sqlite-purge.ts and homer/purge.ts.
 */
import type { Config } from '../config.ts';
import type { EpochMicros } from './types.ts';

/** Delete what is older than these, µs since the epoch; 0 keeps that kind for ever. */
export interface RetentionCutoffs {
  calls: EpochMicros;
  other: EpochMicros;
}

/**
 * First requests that make a leg a call: the methods of an INVITE dialog (RFC 3261 §12), as far as
 * a capture that began mid-call shows them. NOTIFY is left out: it mostly belongs to SUBSCRIBE
 * dialogs (presence, message waiting), which are other traffic.
 */
export const CALL_LEG_METHODS = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'UPDATE', 'PRACK', 'REFER', 'INFO'] as const;

const DAY_MICROS = 86_400_000_000;

/** The cutoffs at `now`; null when nothing is ever deleted. */
export function retentionCutoffs(c: Pick<Config, 'retentionDays' | 'retentionDaysCalls' | 'retentionDaysOther'>, now: EpochMicros): RetentionCutoffs | null {
  const cut = (days: number) => (days > 0 ? now - days * DAY_MICROS : 0);
  const calls = cut(c.retentionDaysCalls ?? c.retentionDays);
  const other = cut(c.retentionDaysOther ?? c.retentionDays);
  return calls || other ? { calls, other } : null;
}
