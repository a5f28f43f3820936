/**
 * The JSON shapes of /api/v1, written once: routes answer with them as `schema.response` (Fastify
 * serialises with them, fast for a 20,000-message group, and drops anything not declared, so
 * nothing leaks by accident), server/api/types.ts derives the TypeScript types from them, and the
 * web app builds its response checks from them (web/src/api/schema.ts).
 * Times are microseconds since the epoch (EpochMicros) unless a name says otherwise.
 */
import type { LegRole, LinkRule } from '../correlate/types.ts';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const bool = { type: 'boolean' } as const;
const nstr = { type: ['string', 'null'] } as const;
const nint = { type: ['integer', 'null'] } as const;
const strs = { type: 'array', items: str } as const;

/** Every property required, none other allowed (the types below rely on both). */
function obj<const P extends Record<string, object>>(properties: P) {
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false } as const;
}

/** `obj`, or null. */
function nobj<const P extends Record<string, object>>(properties: P) {
  return { ...obj(properties), type: ['object', 'null'] } as const;
}

declare const tsType: unique symbol;
/** A string schema whose values TypeScript knows as a narrower union (reason codes); JSON Schema still says string. */
const strOf = <T extends string>() => str as typeof str & { readonly [tsType]?: T };

export const groupSummarySchema = obj({
  groupId: str, callIds: strs, correlationIds: strs, start: num,
  /** end - start, microseconds. */
  duration: num,
  caller: nstr, callee: nstr, legs: int, messages: int, method: nstr, status: nint,
});

export const callPageSchema = obj({
  items: { type: 'array', items: groupSummarySchema },
  /** Cursor for the next page, null on the last one. */
  next: nstr,
});

const linkSchema = obj({
  rule: strOf<LinkRule>(), header: nstr, value: str,
  /** The Call-ID or correlation id this leg is linked to. */
  target: str,
  /** The leg index (0-based) the target belongs to, null when the target is a shared correlation id only. */
  targetLeg: nint,
  messageId: str,
  /** Human sentence, e.g. "INVITE with Replaces naming leg 1". */
  text: str,
});

const legSchema = obj({
  index: int, callId: str, role: strOf<LegRole>(),
  /** Legend text, e.g. "Consultation call (attended transfer)" or "Leg 3". */
  roleText: str,
  /** How this leg joined the group; empty for the first leg. */
  links: { type: 'array', items: linkSchema },
  fromUser: nstr, toUser: nstr, start: num, messages: int,
  /** Final status of the leg's initial request. */
  status: nint,
});

const endpointSchema = obj({
  /** "ip:port" ("[v6]:port" for IPv6): the column key. */
  id: str,
  ip: str, port: int,
  /** Configured alias ("SBC", "Main proxy"), null when none. */
  alias: nstr,
});

const messageProps = {
  id: str, callId: str, leg: int, ts: num, srcIp: str, srcPort: int, dstIp: str, dstPort: int,
  /** Endpoint ids ("ip:port") of source and destination. */
  src: str, dst: str,
  transport: str, protoType: int, method: nstr, status: nint, reason: nstr,
  /** "1 INVITE" */
  cseq: nstr,
  cseqMethod: nstr,
  /** Arrow label: method, or "status reason". */
  label: str,
  hasSdp: bool,
  /** Capture points that saw this message (several when duplicates were folded). */
  captureIds: strs,
  /** Ids of the folded duplicate copies, beside `id`. */
  duplicateIds: strs,
  hepCorrelationId: nstr,
  /** Same message (same Call-ID, CSeq, branch, first line) sent again on the same hop. */
  retransmission: bool,
  /** Why the SIP is malformed, null when well formed. */
  malformed: nstr,
  fromUser: nstr, toUser: nstr,
} as const;

export const messageSchema = obj(messageProps);

export const groupSchema = obj({
  id: str, callIds: strs, correlationIds: strs,
  /**
   * False when `?limit=N` left later messages out: then legs, endpoints and messages are those of
   * the group's first N stored messages only.
   */
  complete: bool,
  legs: { type: 'array', items: legSchema },
  endpoints: { type: 'array', items: endpointSchema },
  messages: { type: 'array', items: messageSchema },
});

const mediaSchema = obj({
  type: str, port: int, proto: str, formats: strs, direction: str, connection: nstr,
});

export const messageDetailSchema = obj({
  ...messageProps,
  /** The raw message, cut to the server's bound (MAX_DETAIL_RAW_BYTES) when `truncated`. */
  raw: str,
  /** True when `raw` is only the start of the message: the whole is at /messages/{id}/raw. */
  truncated: bool,
  /** UTF-8 size of the whole raw message, bytes. */
  rawBytes: int,
  headers: { type: 'array', items: obj({ name: str, value: str }) },
  sdp: { anyOf: [{ type: 'null' }, obj({ connection: nstr, media: { type: 'array', items: mediaSchema } })] },
});

/** POST /import: the capture's summary (pcap/import.ts CaptureImport) plus the groups its Call-IDs fall in. */
export const importAnswerSchema = obj({
  fileName: str, captureId: str,
  format: { type: 'string', enum: ['pcap', 'pcapng'] },
  bytes: num, packets: num, sipMessages: num, hepPackets: num, calls: num,
  /** True when there were more Call-IDs than the importer tracks, so `calls` is a lower bound. */
  callsAtLeast: bool,
  callIds: strs, groups: num,
  /** True when the file had more Call-IDs than listed: `groups` counts the listed ones. */
  groupsAtLeast: bool,
  /** Packets left out, by reason. */
  skipped: { type: 'object', additionalProperties: num },
  /** Earliest and latest message time; null when no message was found. */
  timeRange: nobj({ from: num, to: num }),
  /** Where a truncated or corrupt file stopped; null when it was read whole. */
  stoppedAt: nobj({ offset: num, packet: num, reason: str }),
});

export const configSchema = obj({
  /** Display names for endpoints: "ip" or "ip:port" → alias. */
  aliases: { type: 'object', additionalProperties: str },
});

export const errorSchema = obj({ error: str, message: str });

/**
 * The TypeScript type of a schema above, for the subset they use: objects written with `obj`
 * (all properties required), maps (`additionalProperties`), arrays, `anyOf`, string `enum`, types
 * with "null", and `strOf` unions.
 */
export type Infer<S> = typeof tsType extends keyof S ? NonNullable<S[typeof tsType]>
  : S extends { readonly anyOf: readonly (infer U)[] } ? (U extends unknown ? Infer<U> : never)
  : S extends { readonly type: readonly (infer T)[] } ? (T extends unknown ? OfType<T, S> : never)
  : S extends { readonly type: infer T } ? OfType<T, S>
  : never;

interface Scalars { string: string; integer: number; number: number; boolean: boolean; null: null }

type OfType<T, S> = T extends 'object'
  ? S extends { readonly properties: infer P } ? { -readonly [K in keyof P]: Infer<P[K]> }
    : S extends { readonly additionalProperties: infer A } ? Record<string, Infer<A>> : never
  : T extends 'array' ? S extends { readonly items: infer I } ? Infer<I>[] : never
  : T extends 'string' ? S extends { readonly enum: readonly (infer E)[] } ? E : string
  : T extends keyof Scalars ? Scalars[T] : never;
