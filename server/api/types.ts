/**
 * The JSON shapes of /api/v1: a contract shared by the server, the web app and other tools.
 * Times are microseconds since the epoch (EpochMicros) unless a name says otherwise.
 */
import type { LinkRule } from '../correlate/types.ts';

export interface ApiGroupSummary {
  groupId: string;
  callIds: string[];
  correlationIds: string[];
  start: number;
  /** end - start, microseconds. */
  duration: number;
  caller: string | null;
  callee: string | null;
  legs: number;
  messages: number;
  method: string | null;
  status: number | null;
}

export interface ApiCallPage {
  items: ApiGroupSummary[];
  /** Cursor for the next page, null on the last one. */
  next: string | null;
}

export interface ApiLink {
  rule: LinkRule;
  header: string | null;
  value: string;
  /** The Call-ID or correlation id this leg is linked to. */
  target: string;
  /** The leg index (0-based) the target belongs to, null when the target is a shared correlation id only. */
  targetLeg: number | null;
  messageId: string;
  /** Human sentence, e.g. "INVITE with Replaces naming leg 1". */
  text: string;
}

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

export interface ApiLeg {
  index: number;
  callId: string;
  role: LegRole;
  /** Legend text, e.g. "Consultation call (attended transfer)" or "Leg 3". */
  roleText: string;
  /** How this leg joined the group; empty for the first leg. */
  links: ApiLink[];
  fromUser: string | null;
  toUser: string | null;
  start: number;
  messages: number;
  /** Final status of the leg's initial request. */
  status: number | null;
}

export interface ApiEndpoint {
  /** "ip:port" ("[v6]:port" for IPv6): the column key. */
  id: string;
  ip: string;
  port: number;
  /** Configured alias ("SBC", "Main proxy"), null when none. */
  alias: string | null;
}

export interface ApiMessage {
  id: string;
  callId: string;
  leg: number;
  ts: number;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  /** Endpoint ids ("ip:port") of source and destination. */
  src: string;
  dst: string;
  transport: string;
  protoType: number;
  method: string | null;
  status: number | null;
  reason: string | null;
  /** "1 INVITE" */
  cseq: string | null;
  cseqMethod: string | null;
  /** Arrow label: method, or "status reason". */
  label: string;
  hasSdp: boolean;
  /** Capture points that saw this message (several when duplicates were folded). */
  captureIds: string[];
  /** Ids of the folded duplicate copies, beside `id`. */
  duplicateIds: string[];
  hepCorrelationId: string | null;
  /** Same message (same Call-ID, CSeq, branch, first line) sent again on the same hop. */
  retransmission: boolean;
  /** Why the SIP is malformed, null when well formed. */
  malformed: string | null;
  fromUser: string | null;
  toUser: string | null;
}

export interface ApiGroup {
  id: string;
  callIds: string[];
  correlationIds: string[];
  /**
   * False when `?limit=N` left later messages out: then legs, endpoints and messages are those of
   * the group's first N stored messages only.
   */
  complete: boolean;
  legs: ApiLeg[];
  endpoints: ApiEndpoint[];
  messages: ApiMessage[];
}

export interface ApiMessageDetail extends ApiMessage {
  /** The raw message, cut to the server's bound (MAX_DETAIL_RAW_BYTES) when `truncated`. */
  raw: string;
  /** True when `raw` is only the start of the message: the whole is at /messages/{id}/raw. */
  truncated: boolean;
  /** UTF-8 size of the whole raw message, bytes. */
  rawBytes: number;
  headers: { name: string; value: string }[];
  sdp: {
    connection: string | null;
    media: { type: string; port: number; proto: string; formats: string[]; direction: string; connection: string | null }[];
  } | null;
}

export interface ApiError {
  error: string;
  message: string;
}
