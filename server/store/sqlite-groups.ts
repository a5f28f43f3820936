/**
 * The SQLite grouping tables, ids and groups (sqlite-schema.ts), inside the insert's transaction:
 * a Call-ID gets its id row and its number when its first message is stored, and a batch's links
 * are written as correlate/grouping.ts plans them.
 */
import type Database from 'better-sqlite3';
import { planGrouping, type GroupPort, type Linked } from '../correlate/grouping.ts';

type Row = Record<string, any>;

export class SqliteGroups {
  private readonly st;
  private readonly port: GroupPort<number>;
  /** The number the next new call of this batch gets (ids.call). */
  private nextCall = 0;

  constructor(db: Database.Database) {
    this.st = {
      idGet: db.prepare(`SELECT group_id, call FROM ids WHERE key = ?`),
      idInsert: db.prepare(`INSERT INTO ids (key, group_id, call) VALUES (?, ?, ?)`),
      idNumber: db.prepare(`UPDATE ids SET call = ? WHERE key = ?`),
      idsMove: db.prepare(`UPDATE ids SET group_id = ? WHERE group_id = ?`),
      groupNew: db.prepare(`INSERT INTO groups (size) VALUES (?)`),
      groupSize: db.prepare(`SELECT size FROM groups WHERE id = ?`),
      groupAddSize: db.prepare(`UPDATE groups SET size = size + ? WHERE id = ?`),
      groupDelete: db.prepare(`DELETE FROM groups WHERE id = ?`),
      lastCall: db.prepare('SELECT max(call) FROM ids').pluck(),
    };
    this.port = {
      groupOf: (key) => (this.st.idGet.get(key) as Row | undefined)?.group_id,
      sizeOf: (g) => (this.st.groupSize.get(g) as Row).size,
    };
  }

  /**
   * A batch's transaction begins: its new calls are numbered on from the last stored, read under
   * the write lock, so that another process writing the file never gets the same numbers.
   */
  startBatch(): void {
    this.nextCall = ((this.st.lastCall.get() as number | null) ?? 0) + 1;
  }

  /**
   * The group and number of Call-ID `key`. A new key gets its number here and its group null (the
   * group is made with its search row, `adopt`); `becameCall` when the key was there as a
   * correlation id only, so that its group gains a call.
   */
  callGroup(key: string): { group: number | null; call: number; becameCall: boolean } {
    const row = this.st.idGet.get(key) as Row | undefined;
    if (!row) return { group: null, call: this.nextCall++, becameCall: false };
    if (row.call !== null) return { group: row.group_id, call: row.call, becameCall: false };
    const call = this.nextCall++;
    this.st.idNumber.run(call, key);
    return { group: row.group_id, call, becameCall: true };
  }

  /** New Call-ID `key`, numbered `call`, is the only id of `group`, a row of groups just inserted with size 1. */
  adopt(key: string, call: number, group: number): void {
    this.st.idInsert.run(key, group, call);
  }

  /**
   * Unites the groups `linked` names, once every Call-ID of the batch has its id row (so that an
   * id first seen here is a link target, not a call). True when ids moved out of a group that
   * existed: a group read before may then be stale. `changed` is told each group that gained or
   * lost ids, `gone` when it was absorbed and deleted.
   */
  link(linked: readonly Linked[], changed: (group: number, gone: boolean) => void): boolean {
    const plan = planGrouping(linked, this.port);
    for (const keys of plan.created) {
      const group = Number(this.st.groupNew.run(keys.length).lastInsertRowid);
      for (const k of keys) this.st.idInsert.run(k, group, null);
    }
    let moved = false;
    for (const m of plan.merges) {
      changed(m.into, false);
      for (const g of m.absorbed) {
        changed(g, true);
        this.st.idsMove.run(m.into, g);
        this.st.groupDelete.run(g);
        moved = true;
      }
      for (const k of m.joined) this.st.idInsert.run(k, m.into, null);
      this.st.groupAddSize.run(m.added, m.into);
    }
    return moved;
  }

  /** The group holding `key`, which has an id row. */
  groupOf(key: string): number {
    return (this.st.idGet.get(key) as Row).group_id;
  }
}
