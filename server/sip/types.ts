/** A SIP URI's parts that search and correlation need. */
export interface SipUri {
  /** The URI as written, without angle brackets or header parameters. */
  uri: string;
  scheme: string; // sip, sips, tel
  user: string | null;
  host: string | null;
  port: number | null;
  params: Record<string, string>;
  /** URI headers (after '?'), values percent-decoded. */
  headers: Record<string, string>;
}

/** name-addr / addr-spec with header parameters (From, To, Contact, Refer-To, Referred-By). */
export interface NameAddr {
  display: string | null;
  uri: SipUri;
  tag: string | null;
  params: Record<string, string>;
}

/** Replaces (RFC 3891) or Join (RFC 3911) value. */
export interface DialogRef {
  callId: string;
  toTag: string | null;
  fromTag: string | null;
  earlyOnly?: boolean;
}

export interface SdpMedia {
  type: string; // audio, video, ...
  port: number;
  proto: string;
  formats: string[];
  /** sendrecv, sendonly, recvonly, inactive (media-level, else session-level, else sendrecv). */
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
  connection: string | null;
}

export interface Sdp {
  /** Session-level c= address. */
  connection: string | null;
  media: SdpMedia[];
}

export interface SipHeader {
  /** Full canonical name, lower case ("call-id" for both "Call-ID" and "i"). */
  name: string;
  /** Value with folding undone and surrounding white space trimmed. */
  value: string;
}

export interface SipMessage {
  kind: 'request' | 'response';
  method: string | null; // requests
  requestUri: SipUri | null;
  status: number | null; // responses
  reason: string | null;
  headers: SipHeader[];
  callId: string | null;
  cseq: { num: number; method: string } | null;
  from: NameAddr | null;
  to: NameAddr | null;
  viaBranch: string | null;
  /** Host of the top Via's sent-by, as written (IPv6 without brackets): where the sender says it is. */
  viaHost: string | null;
  /** Via values in all (a proxy adds one): 1 means the request comes straight from the UA that wrote its Contact. */
  viaCount: number;
  contact: NameAddr | null;
  userAgent: string | null; // User-Agent, or Server for responses
  contentType: string | null;
  replaces: DialogRef | null;
  join: DialogRef | null;
  /** Refer-To; an embedded ?Replaces= is decoded into referTo.replaces. */
  referTo: (NameAddr & { replaces: DialogRef | null }) | null;
  referredBy: NameAddr | null;
  /** Reason header (RFC 3326) as written. */
  reasonHeader: string | null;
  /** RFC 7989 Session-ID, its nil UUIDs as null; null when absent or unusable. */
  sessionId: { local: string | null; remote: string | null } | null;
  /** P-Charging-Vector icid-value (RFC 7315), unquoted; null when absent. */
  icid: string | null;
  /** Values of the configured correlation headers (X-CID, X-Call-ID, ...) found in the message. */
  correlationHeaders: { name: string; value: string }[];
  body: string;
  /** Whether the body carries SDP (itself, or as a part of a multipart body). */
  hasSdp: boolean;
  /** That SDP, parsed; null when there is none, or when it was not asked for (SipParseOptions.sdp). */
  sdp: Sdp | null;
  /** Why the message is malformed, one entry a fault; empty when well formed. */
  problems: string[];
}

export interface SipParseOptions {
  /** Header names (any case) whose value names another leg's Call-ID. */
  correlationHeaders: string[];
  /** False: only say whether there is SDP (hasSdp), without parsing it; the collector stores no more. */
  sdp?: boolean;
}
