/**
 * The rows of group_ips (sqlite-schema.ts, migration 6), inside the insert's transaction: one per
 * address of each call group (a group whose search row has a disposition), holding the columns of
 * that row the stats page reads (sqlite-stats.ts): its triggers count them by address, minute and
 * outcome (migration 7), and the edges of a range are read from them. The addresses of a group are
 * those its calls' requests came from or went to, as the search terms of kind 'ip' (sqlite-insert.ts).
 *
 * Invariant: a call group has a row for each of its addresses, with its current values; any other
 * group has none. The insert keeps it from what each batch changes; a group whose calls moved (a
 * link) is rebuilt from its requests.
 */
import type Database from 'better-sqlite3';
import { GROUP_ROW_COLUMNS, type GroupRowValues } from './sqlite-written.ts';

/** The columns copied, as named in groups and group_ips. */
const COPIED = ['start', 'disposition', 'final_status', 'duration_ms', 'pdd_ms', 'fail_peer'] as const;
/** Where each copied column is in GroupRowValues. */
const AT = COPIED.map((c) => GROUP_ROW_COLUMNS.indexOf(c));
const DISPOSITION = GROUP_ROW_COLUMNS.indexOf('disposition');

export class SqliteGroupIps {
  private readonly st;
  /** Groups whose calls moved since their rows were written: rebuilt at their next write. */
  private readonly moved = new Set<number>();
  /** UPDATE statements by the copied columns they set (bits of COPIED). */
  private readonly updates: Database.Statement[] = [];

  constructor(private readonly db: Database.Database) {
    const columns = COPIED.join(', ');
    const marks = COPIED.map(() => '?').join(', ');
    this.st = {
      insert: db.prepare(`INSERT OR IGNORE INTO group_ips (group_id, ip, ${columns}) VALUES (?, ?, ${marks})`),
      drop: db.prepare('DELETE FROM group_ips WHERE group_id = ?'),
      // The addresses of the group's requests, this batch's included: the terms of kind 'ip' of its calls.
      rebuild: db.prepare(`INSERT INTO group_ips (group_id, ip, ${columns})
        SELECT @group, ip, ${COPIED.map((c) => `@${c}`).join(', ')} FROM (
          SELECT m.src_ip AS ip FROM ids i JOIN messages m ON m.call = i.call WHERE i.group_id = @group AND m.method IS NOT NULL
          UNION SELECT m.dst_ip FROM ids i JOIN messages m ON m.call = i.call WHERE i.group_id = @group AND m.method IS NOT NULL)
        WHERE ip != ''`),
    };
  }

  /**
   * Group `id`'s search row is now `values`; `before` is the row as stored (null when unknown),
   * `added` the addresses its calls gained in this batch.
   */
  write(id: number, values: GroupRowValues, before: GroupRowValues | null, added: readonly string[] | undefined): void {
    const isCall = values[DISPOSITION] !== null;
    if (this.moved.delete(id) || (before !== null && before[DISPOSITION] === null && isCall)) {
      this.rebuild(id, values);
      return;
    }
    if (!isCall) {
      if (before === null || before[DISPOSITION] !== null) this.st.drop.run(id);
      return;
    }
    // Only the columns that changed: setting one, changed or not, fires the trigger that moves the row's counts (migration 7).
    let columns = 0;
    const args: unknown[] = [];
    AT.forEach((i, k) => {
      if (before !== null && values[i] === before[i]) return;
      columns |= 1 << k;
      args.push(values[i]);
    });
    // A call group has a row per address: none means it was no call group when written last.
    if (columns !== 0 && this.update(columns).run(...args, id).changes === 0 && before === null) {
      this.rebuild(id, values);
      return;
    }
    if (added) for (const ip of added) this.st.insert.run(id, ip, ...AT.map((i) => values[i]));
  }

  /** Group `id` gained or lost calls (a link): its rows are rebuilt when it is written next. */
  movedCalls(id: number): void {
    this.moved.add(id);
  }

  /** Group `id` is no more (absorbed by a link, purged). */
  drop(id: number): void {
    this.moved.delete(id);
    this.st.drop.run(id);
  }

  private update(columns: number): Database.Statement {
    return this.updates[columns] ??= this.db.prepare(`UPDATE group_ips
      SET ${COPIED.filter((_, k) => columns & (1 << k)).map((c) => `${c} = ?`).join(', ')} WHERE group_id = ?`);
  }

  private rebuild(id: number, values: GroupRowValues): void {
    this.st.drop.run(id);
    if (values[DISPOSITION] === null) return;
    const named: Record<string, unknown> = { group: id };
    COPIED.forEach((c, k) => { named[c] = values[AT[k]]; });
    this.st.rebuild.run(named);
  }
}
