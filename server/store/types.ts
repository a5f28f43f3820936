import type { LinkInput, LinkRule } from '../correlate/types.ts';
import type { WireAddress } from '../hep/inet.ts';
import type { RetentionCutoffs } from './retention.ts';
import type { Disposition, ProblemCode } from '../kpi/codes.ts';
import type { StatsQuery, StatsRows } from '../kpi/stats.ts';
import type { KpiSink } from '../kpi/live-calls.ts';
import type { ScenarioKind } from '../correlate/scenario-kind.ts';

/** Microseconds since the Unix epoch. */
export type EpochMicros = number;

/** One captured message as the collector hands it to a store. */
export interface MessageInput extends WireAddress {
  ts: EpochMicros;
  /** udp, tcp, tls, ws, sctp, or "ip-N" for an unknown IP protocol number. */
  transport: string;
  /** Capture point: the HEP node name, else the decimal capture id, else "file:<name>" for imports. */
  captureId: string;
  /** HEP3 chunk 0x0011 as sent, null when absent. */
  hepCorrelationId: string | null;
  /** HEP protocol type: 1 SIP, 5 RTCP, 100 log, ... */
  protoType: number;
  /** SIP Call-ID; for non-SIP payloads, the HEP correlation id they were sent with. */
  callId: string;
  method: string | null;
  status: number | null;
  reason: string | null;
  cseqNum: number | null;
  cseqMethod: string | null;
  fromUser: string | null;
  fromTag: string | null;
  toUser: string | null;
  toTag: string | null;
  ruriUser: string | null;
  userAgent: string | null;
  viaBranch: string | null;
  /** Of a request, the addresses nat-mismatch compares with srcIp (kpi/state.ts natAddresses); absent or null when none. */
  viaIp?: string | null;
  contactIp?: string | null;
  hasSdp: boolean;
  /** The payload as text (SIP message, log line, RTCP JSON). */
  raw: string;
  /** Why the SIP is malformed ("; "-joined), null when well formed. */
  problems: string | null;
  /** Links to other ids that this message carries (computed by correlate/links.ts). */
  links: LinkInput[];
}

/**
 * Told of a message a store refused for its content even alone and in its safe form: it is not
 * stored. `reason` is short and stable (a SQLSTATE condition name, an SQLite code), for counting.
 */
export type OnSetAside = (reason: string, message: MessageInput, err: Error) => void;

/** A stored message without its payload: what the group view reads (it never sends payloads). */
export interface MessageMeta extends Omit<MessageInput, 'links' | 'raw'> {
  /** Store-specific id, opaque to callers. */
  id: string;
}

/** A message as stored: the input plus its id. */
export interface StoredMessage extends MessageMeta {
  raw: string;
}

/** A link as stored, with the message that carried it. */
export interface StoredLink {
  callId: string;
  target: string;
  rule: LinkRule;
  header: string | null;
  value: string;
  messageId: string;
  ts: EpochMicros;
}

export interface CallQuery {
  from?: EpochMicros;
  to?: EpochMicros;
  callId?: string;
  correlationId?: string;
  /** From or To user (exact). */
  user?: string;
  /** Source or destination address. */
  ip?: string;
  method?: string;
  status?: number;
  /** Free text: any Call-ID, correlation id, user, or address. */
  q?: string;
  /** The first leg's disposition. */
  disposition?: Disposition;
  /** Groups with any of these problems (on any leg). */
  problems?: ProblemCode[];
  /** The first leg's PDD at least this, ms. */
  minPddMs?: number;
  /** The first leg's durationMs (2xx to BYE) within these bounds, ms; a call without one does not match. */
  minDurationMs?: number;
  maxDurationMs?: number;
  limit: number;
  /** Opaque cursor from a previous page's `next`. */
  cursor?: string;
}

/** One correlation group in a search result. */
export interface GroupSummary {
  /** The group's id: the Call-ID of its first leg. */
  groupId: string;
  callIds: string[];
  /** Correlation ids (HEP 0x0011 values and other link targets) that are not Call-IDs of the group. */
  correlationIds: string[];
  start: EpochMicros;
  end: EpochMicros;
  caller: string | null;
  callee: string | null;
  /** Final status of the first leg's initial INVITE (or first request), null when none. */
  status: number | null;
  /** Method of the first leg's first request. */
  method: string | null;
  messages: number;
  /**
   * The first leg's KPIs as the group view's `legs[0].kpi` (kpi/state.ts, no clock), folded at
   * insert; disposition null when that leg has no initial INVITE, all null when not known.
   */
  disposition: Disposition | null;
  pddMs: number | null;
  setupMs: number | null;
  durationMs: number | null;
  finalStatus: number | null;
  /** Problem codes raised on any leg, in kpi/codes.ts order. */
  problems: ProblemCode[];
  /** What kind of scenario the group is (correlate/scenario-kind.ts), from its calls' rows and links. */
  scenario: ScenarioKind;
}

export interface GroupPage {
  items: GroupSummary[];
  next: string | null;
}

/** Everything stored for one group (pcap export, replay); `M` without payloads for the group view. */
export interface GroupRecord<M extends MessageMeta = StoredMessage> {
  groupId: string;
  callIds: string[];
  correlationIds: string[];
  /** In time order (ts, then id). */
  messages: M[];
  links: StoredLink[];
  /**
   * The group's kind as its search row says it (GroupSummary.scenario), from all its calls even
   * when `messages` is a slice. A record built by hand (tests) may leave it out: the view then
   * names it from the messages (store/summary.ts foldCalls).
   */
  scenario?: ScenarioKind;
}

/** The raw material of the group view: a group's messages without payloads, all or the earliest. */
export interface GroupSlice extends GroupRecord<MessageMeta> {
  /** False when a limit left later messages out. */
  complete: boolean;
}

/** A REFER seen earlier, used to find the call a blind transfer places (built by the collector). */
export interface ReferRecord {
  callId: string;
  ts: EpochMicros;
  targetUser: string | null;
  targetUri: string;
  /** The user the REFER was sent to (its To user): the one who will place the new call. */
  transfereeUser: string | null;
}

export interface StoreCounts {
  messages: number;
  calls: number;
  groups: number;
}

/**
 * The storage port. The SQLite store (default) and the PostgreSQL store both implement it and
 * pass the same suite (testing/store-suite.ts).
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Batches that may be handed to insert() before the previous one is stored (default 1). */
  readonly writeDepth?: number;
  /**
   * True when insert() retries a failed write itself and settles only once the batch is stored
   * (rejecting only when the store is gone): the caller then keeps no copy for a retry.
   */
  readonly retriesWrites?: boolean;
  /**
   * Stores a batch atomically, with its links; groups merge as links arrive, in any order. A store
   * that retries writes itself calls `onRetry` for each failed attempt. A batch refused for its
   * content is split (store/split.ts): the rest is stored and each message that cannot be stored
   * even in its safe form goes to `onSetAside` instead.
   */
  insert(batch: MessageInput[], onRetry?: (err: Error) => void, onSetAside?: OnSetAside): Promise<void>;
  /**
   * From now on, reports the KPIs of the calls it stores to `sink` (/metrics; kpi/live-calls.ts),
   * folded once, as it writes their search rows. Answers how to time out, at a given time (µs),
   * the calls of a collector gone quiet.
   */
  followCalls(sink: KpiSink): (nowMicros: number) => Promise<void>;
  searchGroups(q: CallQuery): Promise<GroupPage>;
  /** The aggregates of the calls started in a range (kpi/stats.ts), read from the groups' search rows. */
  callStats(q: StatsQuery): Promise<StatsRows>;
  /** The group that `id` (any Call-ID or correlation id of it) belongs to, null when unknown. */
  getGroup(id: string): Promise<GroupRecord | null>;
  /** The group of `id`, without payloads, at most its `limit` earliest messages (the group view's read). */
  getGroupSlice(id: string, limit?: number): Promise<GroupSlice | null>;
  /** Payloads of the messages named, by id; ids not stored are left out. */
  getPayloads(ids: readonly string[]): Promise<Map<string, string>>;
  getMessage(id: string): Promise<StoredMessage | null>;
  /** Requests of one method sent within [since, until] (for blind transfer: the REFERs), in time order. */
  findRequests(method: string, since: EpochMicros, until: EpochMicros): Promise<StoredMessage[]>;
  /** Deletes what retention no longer keeps, by kind (store/retention.ts); returns how many messages went. */
  purge(cut: RetentionCutoffs): Promise<number>;
  counts(): Promise<StoreCounts>;
  /** Stores what it was given until `deadline` (epoch ms; default: all of it), then closes. */
  close(deadline?: number): Promise<void>;
}
