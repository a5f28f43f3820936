/**
 * Blind transfer (RFC 5589 §6): the transferor sends REFER with Refer-To: <target> and no
 * Replaces; the transferee then places a brand-new call to the target. Nothing in that new call
 * names the old one, so it is matched by who calls whom, and when. Pure functions.
 */
import type { NameAddr, SipMessage } from '../sip/types.ts';
import type { ReferRecord } from '../store/types.ts';
import type { LinkInput } from './types.ts';

/** Default matching window, µs: transferees place the new call within seconds of the REFER. */
export const BLIND_TRANSFER_WINDOW_MICROS = 30_000_000;

/** The fields of an initial INVITE (no To tag, no Replaces) that matching looks at. */
export interface BlindInvite {
  /** µs since the epoch. */
  ts: number;
  callId: string;
  fromUser: string | null;
  toUser: string | null;
  ruriUser: string | null;
  /** Referred-By (RFC 3892) of the INVITE, null when absent. */
  referredBy: NameAddr | null;
}

/**
 * A REFER as the store keeps it. `referrerUser` (the REFER's From user) is optional because the
 * store's ReferRecord does not carry it yet; when present, a Referred-By must name that user.
 */
export type ReferCandidate = ReferRecord & { referrerUser?: string | null };

/**
 * The REFER whose transfer `invite` carries out, or null. A REFER matches when:
 * - it precedes the INVITE by at most `windowMicros` (0 ≤ invite.ts − refer.ts ≤ window);
 * - its Refer-To user is the INVITE's Request-URI user or To user (the call goes to the target);
 * - the INVITE comes from the party that received the REFER (its From user is the REFER's To
 *   user), or carries a Referred-By naming the referrer (any Referred-By when the referrer is
 *   unknown);
 * - it is not on the INVITE's own Call-ID.
 * Of several matches the latest REFER wins; equal times are broken by Call-ID so the answer never
 * depends on the order of `refers`.
 */
export function matchBlindTransfer(
  invite: BlindInvite,
  refers: readonly ReferCandidate[],
  windowMicros: number = BLIND_TRANSFER_WINDOW_MICROS,
): { refer: ReferCandidate } | null {
  let best: ReferCandidate | null = null;
  for (const r of refers) {
    if (!matches(invite, r, windowMicros)) continue;
    if (!best || r.ts > best.ts || (r.ts === best.ts && r.callId < best.callId)) best = r;
  }
  return best ? { refer: best } : null;
}

function matches(invite: BlindInvite, r: ReferCandidate, windowMicros: number): boolean {
  if (r.callId === invite.callId) return false;
  const age = invite.ts - r.ts;
  if (age < 0 || age > windowMicros) return false;
  const target = r.targetUser;
  if (!target || (target !== invite.ruriUser && target !== invite.toUser)) return false;
  const fromTransferee = r.transfereeUser !== null && r.transfereeUser === invite.fromUser;
  return fromTransferee || referredByNamesReferrer(invite.referredBy, r);
}

function referredByNamesReferrer(referredBy: NameAddr | null, r: ReferCandidate): boolean {
  if (!referredBy) return false;
  if (r.referrerUser == null) return true;
  return referredBy.uri.user === r.referrerUser;
}

/**
 * The REFER record of a blind-transfer REFER (no Replaces in Refer-To), null for any other
 * message. `ts` is the message's capture time, µs.
 */
export function referRecordOf(sip: SipMessage, ts: number): ReferCandidate | null {
  if (sip.kind !== 'request' || sip.method !== 'REFER' || !sip.callId || !sip.referTo || sip.referTo.replaces) return null;
  return {
    callId: sip.callId,
    ts,
    targetUser: sip.referTo.uri.user,
    targetUri: sip.referTo.uri.uri,
    transfereeUser: sip.to?.uri.user ?? null,
    referrerUser: sip.from?.uri.user ?? null,
  };
}

/** The link a matched blind-transfer INVITE gets: to the REFER's Call-ID, named by its Refer-To. */
export function blindTransferLink(refer: ReferRecord): LinkInput {
  return { target: refer.callId, rule: 'blind-transfer', header: 'Refer-To', value: refer.targetUri };
}
