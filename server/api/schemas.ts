/**
 * The JSON shapes of /api/v1, written once: routes answer with them as `schema.response` (Fastify
 * serialises with them, fast for a 20,000-message group, and drops anything not declared, so
 * nothing leaks by accident), server/api/types.ts derives the TypeScript types from them, and the
 * web app builds its response checks from them (web/src/api/schema.ts).
 * Times are microseconds since the epoch (EpochMicros) unless a name says otherwise.
 */
import type { LegRole, LinkRule } from '../correlate/types.ts';
import type { Disposition, ProblemCode } from '../kpi/codes.ts';
import { SCENARIO_KINDS } from '../correlate/scenario-kind.ts';

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
/** `strOf`, or null. */
const nstrOf = <T extends string>() => nstr as typeof nstr & { readonly [tsType]?: T | null };

export const groupSummarySchema = obj({
  groupId: str, callIds: strs, correlationIds: strs, start: num,
  /** end - start, microseconds. */
  duration: num,
  caller: nstr, callee: nstr, legs: int, messages: int, method: nstr, status: nint,
  /**
   * The first leg's KPIs, as the group view's `legs[0].kpi` says them (server/kpi/state.ts, no
   * clock: "in-progress" until a final response), folded as messages are stored. Disposition is
   * null when the first leg has no initial INVITE (OPTIONS, REGISTER, ...); all are null when not
   * known (calls PostgreSQL stored before hepflow folded KPIs).
   */
  disposition: nstrOf<Disposition>(),
  /** Initial INVITE to the first 180/183, else to the final response; ms. */
  pddMs: nint,
  /** Initial INVITE to its 2xx, ms. */
  setupMs: nint,
  /** 2xx to the BYE, ms; null until a BYE. Not `duration`, the span of the whole group. */
  durationMs: nint,
  finalStatus: nint,
  /** Problem codes (server/kpi/codes.ts) raised on any leg of the group, in that table's order. */
  problems: { type: 'array', items: strOf<ProblemCode>() },
  /** What kind of scenario the group is, from its links and its calls' users (server/correlate/scenario-kind.ts). */
  scenario: { type: 'string', enum: SCENARIO_KINDS },
});

export const callPageSchema = obj({
  items: { type: 'array', items: groupSummarySchema },
  /** Cursor for the next page, null on the last one. */
  next: nstr,
});

/**
 * Request header of a live search list's GET /calls: the id of the live event (GET /live) that
 * made it fetch. The answer may then be one read for another list since that event (live/page-share.ts).
 */
export const LIVE_EVENT_HEADER = 'x-hepflow-live-event';

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

/** A problem of a leg (server/kpi/codes.ts PROBLEM_CODES) and the first message that showed it. */
const problemSchema = obj({ code: strOf<ProblemCode>(), messageId: str, count: int });

/** A leg's KPIs (server/kpi/state.ts), from its messages in the group view. */
const legKpiSchema = obj({
  disposition: strOf<Disposition>(),
  /** Initial INVITE to the first 180/183, else to the final response; ms. */
  pddMs: nint,
  /** Initial INVITE to its 2xx, ms. */
  setupMs: nint,
  /** 2xx to the BYE, ms; null until a BYE. */
  durationMs: nint,
  /** Final status of the initial INVITE (the first 2xx, across forks and a racing CANCEL). */
  finalStatus: nint,
  problems: { type: 'array', items: problemSchema },
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
  /** Per-call KPIs and problem codes; "in-progress" and no timeouts, as the view knows no clock. */
  kpi: legKpiSchema,
});

const endpointSchema = obj({
  /** "ip:port" ("[v6]:port" for IPv6): the column key. */
  id: str,
  ip: str, port: int,
  /** Configured alias ("SBC", "Main proxy"), null when none. */
  alias: nstr,
});

const nnum = { type: ['number', 'null'] } as const;

/** What an item is: a SIP message, a log line, a REST request or reply, a transport event, an RTCP or QoS report. */
export const ITEM_KIND_VALUES = ['sip', 'log', 'rest', 'transport', 'rtcp', 'qos', 'other'] as const;

/** Figures of an RTCP or QoS report (server/media/streams.ts reportStats). */
const statsSchema = nobj({
  /** SSRC of the stream reported on. */
  ssrc: nint,
  jitterMs: num,
  /** Loss over the report's interval, 0–1. */
  fractionLost: num,
  /** Cumulative packets lost, null when the report does not say. */
  packetsLost: nint,
  /** Round trip, ms, when the report allows it (LSR/DLSR, RTCP-XR). */
  rttMs: nnum,
  /** The reporter's MOS, else the G.107 E-model's from this interval's loss, jitter and delay. */
  mos: nnum,
});

/** The fields of non-SIP items, null on SIP messages (logs, REST, transport events, reports). */
function storyProps() {
  return {
    kind: { type: 'string', enum: ITEM_KIND_VALUES },
    /** Log line, REST first line, transport "TLS ACCEPTED SUCCESS: …"; null for SIP and reports. */
    text: nstr,
    /** Log level, lower case: alert, critical, error, warning, notice, info, debug; null when unknown. */
    level: nstr,
    /** REST reply: ms since its request (same 0x0011); null otherwise. */
    latencyMs: nnum,
    stats: statsSchema,
  } as const;
}

/** server/media/streams.ts MediaStream. */
function mediaStreamSchema() {
  return obj({
    leg: int,
    direction: strOf<'caller-to-callee' | 'callee-to-caller' | 'unknown'>(),
    ssrc: nint,
    /** "ip:port" of the RTP sender and receiver from the SDP. */
    src: nstr, dst: nstr,
    /** Negotiated codec (the answer's first format). */
    codec: nstr,
    reports: int, packetsLost: nint, jitterMaxMs: nnum, jitterMeanMs: nnum, rttMs: nnum,
    /** Mean of the reports' MOS. */
    mos: nnum,
    /** no-rtcp, no-packets, sendonly, recvonly, inactive, private-sdp, codec-mismatch. */
    flags: strs,
    /**
     * One per flag, in the same order: the message that shows it (the SDP for private-sdp, hold and
     * codec-mismatch, the RTCP report for no-packets); null for no-rtcp, which no message shows.
     */
    causes: { type: 'array', items: obj({ flag: str, messageId: nstr }) },
  });
}

const messageProps = {
  id: str, callId: str, leg: int, ts: num, srcIp: str, srcPort: int, dstIp: str, dstPort: int,
  /** Endpoint ids ("ip:port") of source and destination; a log line's `dst` is its `src` (a note on that lifeline). */
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
  ...storyProps(),
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
  /** One entry per RTP stream, from each leg's SDP offer/answer and the RTCP/QoS reports filed on it. */
  media: { type: 'array', items: mediaStreamSchema() },
  /** The group's kind, as its search item says it (whole group, even when `complete` is false). */
  scenario: { type: 'string', enum: SCENARIO_KINDS },
});

/** `props` with only `keys`: a narrower shape written from the same fields. */
function pick<P extends Record<string, object>, const K extends keyof P>(props: P, keys: readonly K[]): Pick<P, K> {
  return Object.fromEntries(keys.map((k) => [k, props[k]])) as Pick<P, K>;
}

/**
 * A message as the app draws its ladder row and detail header (`?fields=lean`): the first page of
 * a large group, so that it is smaller to build, send, parse and check. Leaves out what the app
 * reads from the message detail instead (addresses apart from `src`/`dst`, `reason`, ...).
 */
export const leanMessageSchema = obj(pick(messageProps, [
  'id', 'callId', 'leg', 'ts', 'src', 'dst', 'transport', 'method', 'status', 'cseq', 'label', 'hasSdp',
  'captureIds', 'duplicateIds', 'hepCorrelationId', 'retransmission', 'malformed', 'kind', 'text', 'level', 'latencyMs', 'stats',
]));

/** GET /groups/{id}?fields=lean: the group with lean messages. */
export const leanGroupSchema = obj({ ...groupSchema.properties, messages: { type: 'array', items: leanMessageSchema } });

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

/** GET /api/v1/stats (server/kpi/stats.ts CallStats, where each figure is defined): ratios 0–1, durations ms. */
const countOf = <const K extends Record<string, object>>(key: K) => ({ type: 'array', items: obj({ ...key, calls: int }) } as const);
export const callStatsSchema = obj({
  /** The range counted (as asked, else the stored calls' span); null when nothing is stored. */
  from: nnum, to: nnum,
  bucketMicros: int,
  /** Calls (and of them answered) started in each bucket, every bucket of the range. */
  series: { type: 'array', items: obj({ start: num, calls: int, answered: int }) },
  calls: int, attempts: int, answered: int, inProgress: int,
  asr: nnum, ner: nnum, acdMs: nint, pddP50Ms: nint, pddP95Ms: nint,
  dispositions: countOf({ disposition: strOf<Disposition>() }),
  statusClasses: countOf({ statusClass: str }),
  statuses: countOf({ status: int }),
  failureCodes: countOf({ status: int }),
  failingPeers: countOf({ ip: str, alias: nstr }),
});

export const errorSchema = obj({ error: str, message: str });

/**
 * The TypeScript type of a schema above, for the subset they use: objects written with `obj`
 * (all properties required), maps (`additionalProperties`), arrays, `anyOf`, string `enum`, types
 * with "null", and `strOf` unions.
 */
export type Infer<S> = typeof tsType extends keyof S ? Exclude<S[typeof tsType], undefined>
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
