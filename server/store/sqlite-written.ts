/**
 * What the SQLite writer committed last for the calls still going that it wrote most recently, so
 * that the next batch of a call neither reads its row and its group's legs back from the file nor
 * rewrites columns that did not change (sqlite-insert.ts). A batch stages what it writes; the
 * store keeps it once the batch commits and drops it when the batch rolls back.
 *
 * Every string kept is detached (strings.ts): a row built from a batch's messages would otherwise
 * keep that whole unpacked batch alive.
 */
import { LRUCache } from 'lru-cache';
import { answeredOneShot, type CallSummary } from './summary.ts';
import { detached } from '../strings.ts';

/** A call as last committed: its row and the search terms ("u user", "i address") written for it. */
export interface WrittenCall {
  row: CallSummary;
  terms: string[];
}

/** A group as last committed: its calls' ids, earliest first, and the values of its search row (GROUP_ROW_COLUMNS). */
export interface WrittenGroup {
  legs: string[];
  values: GroupRowValues;
}

/** The columns of a group's search row that the writer keeps up to date, in the order of GroupRowValues. */
export const GROUP_ROW_COLUMNS = ['first_call', 'start', 'end', 'legs', 'messages', 'caller', 'callee', 'method', 'status',
  'disposition', 'pdd_ms', 'setup_ms', 'duration_ms', 'final_status', 'problems', 'fail_peer'] as const;

export type GroupRowValues = (string | number | null)[];

/**
 * Calls and groups kept, at most each: about 40,000 calls in progress at once (bench/pcap's
 * capture), and requests still waiting for their answer. ~1 KB each.
 */
export const WRITTEN_KEPT = 50_000;

export class WrittenRows {
  private readonly calls: LRUCache<string, WrittenCall>;
  private readonly groups: LRUCache<number, WrittenGroup>;
  private readonly stagedCalls = new Map<string, WrittenCall>();
  private readonly stagedGroups = new Map<number, WrittenGroup>();

  constructor(max = WRITTEN_KEPT) {
    this.calls = new LRUCache({ max });
    this.groups = new LRUCache({ max });
  }

  /** Call `id` as committed, if kept. */
  call(id: string): WrittenCall | undefined {
    return this.calls.get(id);
  }

  /** Group `id` as committed, if kept. */
  group(id: number): WrittenGroup | undefined {
    return this.groups.get(id);
  }

  /**
   * The batch writes `c`: its own objects, not a kept call's (they are kept as they are once it
   * commits). Its row and terms only: the writer's record of a call also holds its KPI state, which
   * call-kpi.ts keeps for fewer calls; kept here too, 50,000 of them held 70 MB more (bench/pcap).
   */
  stageCall(c: WrittenCall): void {
    this.stagedCalls.set(c.row.call_id, { row: c.row, terms: c.terms });
  }

  stageGroup(id: number, g: WrittenGroup): void {
    this.stagedGroups.set(id, g);
  }

  /** Group `id` gains or loses calls (a link, an id that becomes a call): what is kept of it no longer holds. */
  forgetGroup(id: number): void {
    this.groups.delete(id);
    this.stagedGroups.delete(id);
  }

  /** The batch is stored: keep what it wrote. */
  committed(): void {
    const over = new Set<string>();
    for (const [id, c] of this.stagedCalls) {
      if (isOver(c.row)) {
        over.add(id);
        this.calls.delete(id);
        continue;
      }
      const before = this.calls.get(id);
      detachRow(c.row, before?.row);
      this.calls.set(c.row.call_id, c);
    }
    for (const [id, g] of this.stagedGroups) {
      if (g.legs.every((leg) => over.has(leg))) {
        this.groups.delete(id);
        continue;
      }
      const before = this.groups.get(id)?.values;
      this.groups.set(id, { legs: g.legs.map(detached), values: g.values.map((v, i) => (typeof v === 'string' && v !== before?.[i] ? detached(v) : v)) });
    }
    this.abandoned();
  }

  /** The batch was rolled back: it will be written again from what is kept. */
  abandoned(): void {
    this.stagedCalls.clear();
    this.stagedGroups.clear();
  }

  /** Everything may have changed in the file (a purge): read it again. */
  clear(): void {
    this.calls.clear();
    this.groups.clear();
    this.abandoned();
  }
}

/**
 * A call whose next message, if any, is a stray (a retransmission, a late ACK): an answered request
 * that makes no dialog (OPTIONS, REGISTER, MESSAGE, ...), an INVITE call hung up or refused. Such
 * rows are not kept: they only evicted the calls still going. register-options (bench/ingest),
 * 300,000 messages into the writer: 5.7-6.3 s, where keeping them took 6.2-6.4 s.
 */
function isOver(row: CallSummary): boolean {
  if (row.method === 'INVITE') return row.duration_ms !== null || (row.final_status ?? 0) >= 300;
  return answeredOneShot(row);
}

/** Detaches the strings of `row`, in place, but for those it shares with `before` (kept already). */
function detachRow(row: CallSummary, before: CallSummary | undefined): void {
  for (const f of ['call_id', 'method', 'caller', 'callee', 'kpi', 'fail_peer'] as const) {
    const v = row[f];
    if (typeof v === 'string' && v !== before?.[f]) row[f] = detached(v);
  }
}
