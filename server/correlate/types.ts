/**
 * Why two ids belong to one scenario. Each rule is a reason code; the text shown to the user
 * is built from it in correlate/explain.ts.
 */
export type LinkRule =
  | 'hep-correlation-id' // HEP3 chunk 0x0011 differs from the message's Call-ID
  | 'replaces' // INVITE with Replaces (RFC 3891)
  | 'join' // INVITE with Join (RFC 3911)
  | 'refer-replaces' // REFER whose Refer-To carries ?Replaces= (attended transfer)
  | 'blind-transfer' // new INVITE to a REFER's target, placed by the party that got the REFER
  | 'header' // a configured A-leg header (X-CID, X-Call-ID) names the other Call-ID
  | 'b2b-suffix' // "<callid>_b2b-1" convention
  | 'session-id' // RFC 7989 Session-ID: a UUID shared by the legs of one session
  | 'icid' // P-Charging-Vector icid-value (RFC 7315) shared by the legs of one IMS call
  | 'history-info' // new INVITE whose History-Info (RFC 7044) names an earlier call's target
  | 'diversion' // new INVITE whose Diversion (RFC 5806) names an earlier call's target
  | 'redirect' // new INVITE to the Contact of an earlier call's 3xx
  | 'inferred' // no shared value: leaves a configured B2BUA/SBC just after the other reached it, same numbers (inferred.ts)
  | 'user'; // a rule of the config file (correlationRules); `header` holds the rule's name

/** What a leg is in its scenario, as roles.ts infers it; the legend's text is built from it. */
export type LegRole =
  | 'original'
  | 'consultation'
  | 'replacement'
  | 'blind-transfer'
  | 'b2b-inbound'
  | 'b2b-outbound'
  | 'media-server'
  | 'pickup'
  | 'park'
  | 'retrieve'
  | 'leg';

/** A link found in one message: the message's Call-ID is linked to `target`. */
export interface LinkInput {
  /** The other id: a Call-ID, or a correlation id shared by several calls. */
  target: string;
  rule: LinkRule;
  /** The header or chunk that carried it ("Replaces", "X-CID", "0x0011"); for rule 'user', the rule's name. */
  header: string | null;
  /** The value as carried (for Replaces, the whole header value). */
  value: string;
}
