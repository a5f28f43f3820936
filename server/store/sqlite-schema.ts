/**
 * SQLite schema. Versioned by PRAGMA user_version; each entry of `migrations` moves the file one
 * version up, so an old database file opens with a newer hepflow.
 *
 * Grouping model: every Call-ID and every correlation id is a row of `ids` pointing at a group.
 * A link unites two ids' groups by moving the smaller group's ids into the bigger one (union by
 * size, correlate/grouping.ts), so a late link merges groups that already exist at the cost of the
 * smaller side only.
 */
import type Database from 'better-sqlite3';
import { KPI_DEFAULTS, newKpiState, updateKpi } from '../kpi/state.ts';
import { groupKpi, settleKpi, type CallSummary } from './summary.ts';

/** A step: SQL, or a function for what SQL alone cannot do (folding stored messages). */
type Migration = string | ((db: Database.Database) => void);

export const migrations: Migration[] = [
  `
  CREATE TABLE messages (
    id          INTEGER PRIMARY KEY,
    ts          INTEGER NOT NULL,          -- µs since the epoch (capture time)
    call_id     TEXT NOT NULL,
    src_ip      TEXT NOT NULL,
    src_port    INTEGER NOT NULL,
    dst_ip      TEXT NOT NULL,
    dst_port    INTEGER NOT NULL,
    transport   TEXT NOT NULL,
    capture_id  TEXT NOT NULL,
    hep_corr    TEXT,
    proto_type  INTEGER NOT NULL,
    method      TEXT,
    status      INTEGER,
    reason      TEXT,
    cseq_num    INTEGER,
    cseq_method TEXT,
    from_user   TEXT,
    from_tag    TEXT,
    to_user     TEXT,
    to_tag      TEXT,
    ruri_user   TEXT,
    user_agent  TEXT,
    via_branch  TEXT,
    has_sdp     INTEGER NOT NULL,
    raw         TEXT NOT NULL,
    problems    TEXT
  );
  CREATE INDEX messages_call ON messages (call_id, ts);
  CREATE INDEX messages_ts ON messages (ts);
  -- Blind-transfer matching looks up recent REFERs; no other method needs an index of its own.
  CREATE INDEX messages_refer_ts ON messages (ts) WHERE method = 'REFER';

  -- Search terms (users, addresses) once per call rather than one index entry per message: a
  -- call repeats the same users and addresses in every message, and each index entry costs ingest.
  CREATE TABLE terms (
    kind    TEXT NOT NULL,                 -- 'user' (From/To user) or 'ip' (source/destination)
    term    TEXT NOT NULL,
    call_id TEXT NOT NULL,
    PRIMARY KEY (kind, term, call_id)
  ) WITHOUT ROWID;

  -- Every Call-ID and correlation id, with the group it belongs to.
  CREATE TABLE ids (
    key      TEXT PRIMARY KEY,
    group_id INTEGER NOT NULL,
    is_call  INTEGER NOT NULL DEFAULT 0    -- 1 once a message with this Call-ID is stored
  ) WITHOUT ROWID;
  CREATE INDEX ids_group ON ids (group_id);

  -- One row per Call-ID: what a search result needs, kept up to date at insert.
  CREATE TABLE calls (
    call_id      TEXT PRIMARY KEY,
    start        INTEGER NOT NULL,
    end          INTEGER NOT NULL,
    messages     INTEGER NOT NULL,
    first_req_ts INTEGER,                  -- time of the earliest request: it names caller and callee
    method       TEXT,
    cseq_num     INTEGER,
    caller       TEXT,
    callee       TEXT,
    status       INTEGER,                  -- final response to that first request
    status_ts    INTEGER
  ) WITHOUT ROWID;

  CREATE TABLE groups (
    id         INTEGER PRIMARY KEY,
    size       INTEGER NOT NULL,           -- rows of ids: union by size moves the smaller group
    first_call TEXT,                       -- Call-ID of the earliest leg: the group's public id
    start      INTEGER,
    end        INTEGER,
    legs       INTEGER NOT NULL DEFAULT 0,
    messages   INTEGER NOT NULL DEFAULT 0,
    caller     TEXT,
    callee     TEXT,
    method     TEXT,
    status     INTEGER
  );
  CREATE INDEX groups_start ON groups (start, id);
  CREATE INDEX groups_end ON groups (end);          -- "anything after from?" answered at once

  CREATE TABLE links (
    call_id    TEXT NOT NULL,
    target     TEXT NOT NULL,
    rule       TEXT NOT NULL,
    header     TEXT,
    value      TEXT NOT NULL,
    message_id INTEGER NOT NULL,
    ts         INTEGER NOT NULL
  );
  -- One row per (call, target, rule): the first message that carried the link explains it.
  CREATE UNIQUE INDEX links_call ON links (call_id, target, rule);
  CREATE INDEX links_ts ON links (ts);
  `,
  // 2: KPIs in the search rows (summary.ts CallSummary): each call's fold state and its first
  // leg's KPIs, per group too; problems as kpi/codes.ts problemBits.
  `
  ALTER TABLE calls ADD COLUMN kpi TEXT;     -- kpi/state.ts packKpi
  ALTER TABLE calls ADD COLUMN disposition TEXT;
  ALTER TABLE calls ADD COLUMN pdd_ms INTEGER;
  ALTER TABLE calls ADD COLUMN setup_ms INTEGER;
  ALTER TABLE calls ADD COLUMN duration_ms INTEGER;
  ALTER TABLE calls ADD COLUMN final_status INTEGER;
  ALTER TABLE calls ADD COLUMN problems INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE groups ADD COLUMN disposition TEXT;   -- these five: the first leg's
  ALTER TABLE groups ADD COLUMN pdd_ms INTEGER;
  ALTER TABLE groups ADD COLUMN setup_ms INTEGER;
  ALTER TABLE groups ADD COLUMN duration_ms INTEGER;
  ALTER TABLE groups ADD COLUMN final_status INTEGER;
  ALTER TABLE groups ADD COLUMN problems INTEGER NOT NULL DEFAULT 0;  -- every leg's
  -- disposition= pages newest first along this; problem= along the groups that have any.
  CREATE INDEX groups_disposition ON groups (disposition, start, id);
  CREATE INDEX groups_problems ON groups (start, id) WHERE problems != 0;
  `,
  foldStoredKpis,
  // 4: the stats page (kpi/stats.ts): the far end that failed each call and group (summary.ts
  // fail_peer; null for calls stored before), and the indexes GET /api/v1/stats reads instead of
  // rows (sqlite-stats.ts): calls by outcome along the start time, and PDDs in order.
  `
  ALTER TABLE calls ADD COLUMN fail_peer TEXT;
  ALTER TABLE groups ADD COLUMN fail_peer TEXT;
  CREATE INDEX groups_cells ON groups (disposition, final_status, start, duration_ms, fail_peer) WHERE disposition IS NOT NULL;
  CREATE INDEX groups_pdd ON groups (pdd_ms, start) WHERE pdd_ms IS NOT NULL;
  `,
  // 5: the addresses nat-mismatch compares with a request's source (kpi/state.ts natAddresses), so
  // that the group view raises it as the collector does; null in rows stored before.
  `
  ALTER TABLE messages ADD COLUMN via_ip TEXT;
  ALTER TABLE messages ADD COLUMN contact_ip TEXT;
  `,
  // 6: the stats page for one address (sqlite-stats.ts): a row per address of each call group
  // (the terms of kind 'ip' of its calls) with the group's columns the stats read, kept by the
  // writer (sqlite-group-ips.ts), so that an address in every call is counted along its own
  // indexes as the whole range is along groups_cells, not by looking up each of its groups.
  `
  CREATE TABLE group_ips (
    group_id     INTEGER NOT NULL,
    ip           TEXT NOT NULL,
    start        INTEGER,
    disposition  TEXT NOT NULL,
    final_status INTEGER,
    duration_ms  INTEGER,
    pdd_ms       INTEGER,
    fail_peer    TEXT,
    PRIMARY KEY (group_id, ip)
  ) WITHOUT ROWID;
  CREATE INDEX group_ips_cells ON group_ips (ip, disposition, final_status, start, duration_ms, fail_peer);
  -- By the hour first (µs): an address's PDDs in PDD order within each hour, so that a call's entry
  -- goes among its hour's, not anywhere in the address's; sqlite-stats.ts names the same expression.
  CREATE INDEX group_ips_pdd ON group_ips (ip, start / 3600000000, pdd_ms, start) WHERE pdd_ms IS NOT NULL;
  INSERT INTO group_ips (group_id, ip, start, disposition, final_status, duration_ms, pdd_ms, fail_peer)
    SELECT DISTINCT g.id, t.term, g.start, g.disposition, g.final_status, g.duration_ms, g.pdd_ms, g.fail_peer
    FROM terms t JOIN ids i ON i.key = t.call_id JOIN groups g ON g.id = i.group_id
    WHERE t.kind = 'ip' AND g.disposition IS NOT NULL;
  `,
  // 7: the stats page's counts by minute and PDDs by hour (sqlite-stats.ts), of every call (ip '')
  // and of each address, kept by triggers on the rows they count, whoever writes them (the insert,
  // a link's merge, the purge): a million calls are counted from some thousands of rows. The
  // indexes the stats walked (migrations 4 and 6) give way to them; the edges of a range are read
  // along groups_start and group_ips_start.
  `
  CREATE TABLE stats_minutes (
    ip           TEXT NOT NULL,            -- '' for every call, else an address (group_ips)
    minute       INTEGER NOT NULL,         -- start / 60000000
    disposition  TEXT NOT NULL,
    final_status INTEGER NOT NULL,         -- -1 for none
    fail_peer    TEXT NOT NULL,            -- '' for none
    calls        INTEGER NOT NULL,
    duration_sum INTEGER NOT NULL,         -- ms, over the calls with a duration
    durations    INTEGER NOT NULL,         -- calls with a duration
    PRIMARY KEY (ip, minute, disposition, final_status, fail_peer)
  ) WITHOUT ROWID;
  CREATE TABLE stats_pdd_hours (
    ip     TEXT NOT NULL,
    hour   INTEGER NOT NULL,               -- start / 3600000000
    pdd_ms INTEGER NOT NULL,
    calls  INTEGER NOT NULL,
    PRIMARY KEY (ip, hour, pdd_ms)
  ) WITHOUT ROWID;
  DROP INDEX groups_cells; DROP INDEX groups_pdd; DROP INDEX group_ips_cells; DROP INDEX group_ips_pdd;
  CREATE INDEX group_ips_start ON group_ips (ip, start);
  ${statsTriggers('groups', null)}
  ${statsTriggers('group_ips', 'ip')}
  INSERT INTO stats_minutes
    SELECT '', start / 60000000, disposition, ifnull(final_status, -1), ifnull(fail_peer, ''), count(*), ifnull(sum(duration_ms), 0), count(duration_ms)
    FROM groups WHERE disposition IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
  INSERT INTO stats_minutes
    SELECT ip, start / 60000000, disposition, ifnull(final_status, -1), ifnull(fail_peer, ''), count(*), ifnull(sum(duration_ms), 0), count(duration_ms)
    FROM group_ips GROUP BY 1, 2, 3, 4, 5;
  INSERT INTO stats_pdd_hours SELECT '', start / 3600000000, pdd_ms, count(*) FROM groups WHERE disposition IS NOT NULL AND pdd_ms IS NOT NULL GROUP BY 1, 2, 3;
  INSERT INTO stats_pdd_hours SELECT ip, start / 3600000000, pdd_ms, count(*) FROM group_ips WHERE pdd_ms IS NOT NULL GROUP BY 1, 2, 3;
  `,
  // 8: every call gets a number, in the order calls are first stored (ids.call, calls.id), and the
  // tables written per message or per call are keyed by it rather than by Call-ID: a Call-ID is
  // random, so each message's entry in messages_call and each call's in terms and calls went to a
  // random page of a large tree, and every commit wrote thousands of those pages to the WAL
  // (register-options with random Call-IDs: the writer at 47 µs a message, 27 with ordered ones).
  // A number puts them at the end of the trees, among the calls in progress. Only ids is looked
  // up by Call-ID.
  `
  CREATE TABLE calls_numbered (
    id           INTEGER PRIMARY KEY,      -- the call's number (ids.call)
    call_id      TEXT NOT NULL,
    start        INTEGER NOT NULL,
    end          INTEGER NOT NULL,
    messages     INTEGER NOT NULL,
    first_req_ts INTEGER,
    method       TEXT,
    cseq_num     INTEGER,
    caller       TEXT,
    callee       TEXT,
    status       INTEGER,
    status_ts    INTEGER,
    kpi          TEXT,
    disposition  TEXT,
    pdd_ms       INTEGER,
    setup_ms     INTEGER,
    duration_ms  INTEGER,
    final_status INTEGER,
    problems     INTEGER NOT NULL DEFAULT 0,
    fail_peer    TEXT
  );
  INSERT INTO calls_numbered (call_id, start, end, messages, first_req_ts, method, cseq_num, caller, callee, status,
      status_ts, kpi, disposition, pdd_ms, setup_ms, duration_ms, final_status, problems, fail_peer)
    SELECT call_id, start, end, messages, first_req_ts, method, cseq_num, caller, callee, status,
      status_ts, kpi, disposition, pdd_ms, setup_ms, duration_ms, final_status, problems, fail_peer
    FROM calls ORDER BY start, call_id;
  CREATE TABLE ids_numbered (
    key      TEXT PRIMARY KEY,
    group_id INTEGER NOT NULL,
    call     INTEGER                       -- calls.id once a message with this Call-ID is stored; null for a correlation id
  ) WITHOUT ROWID;
  INSERT INTO ids_numbered SELECT i.key, i.group_id, c.id FROM ids i LEFT JOIN calls_numbered c ON c.call_id = i.key;
  DROP TABLE ids;
  ALTER TABLE ids_numbered RENAME TO ids;
  CREATE INDEX ids_group ON ids (group_id);
  CREATE INDEX ids_call ON ids (call);
  DROP TABLE calls;
  ALTER TABLE calls_numbered RENAME TO calls;
  CREATE TABLE terms_numbered (
    kind TEXT NOT NULL,
    term TEXT NOT NULL,
    call INTEGER NOT NULL,                 -- ids.call
    PRIMARY KEY (kind, term, call)
  ) WITHOUT ROWID;
  INSERT INTO terms_numbered SELECT t.kind, t.term, i.call FROM terms t JOIN ids i ON i.key = t.call_id WHERE i.call IS NOT NULL;
  DROP TABLE terms;
  ALTER TABLE terms_numbered RENAME TO terms;
  DROP INDEX messages_call;
  ALTER TABLE messages ADD COLUMN call INTEGER NOT NULL DEFAULT 0;  -- ids.call of call_id
  UPDATE messages SET call = ifnull((SELECT call FROM ids WHERE key = messages.call_id), 0);
  CREATE INDEX messages_call ON messages (call, ts);
  `,
];

/**
 * Triggers keeping stats_minutes and stats_pdd_hours (migration 7) equal to counting `table`'s
 * call rows, under the address in column `ip` (null: '', every call): each row counts once in its
 * minute's cell and its hour's PDD while it is a call (disposition set); an emptied cell goes. An
 * update moves a row's counts only where its key changed: a hang-up sets the duration alone, and
 * moving a call between two cells of its own (an address in one call) would delete and insert both.
 */
function statsTriggers(table: string, ip: string | null): string {
  const address = (r: string) => (ip ? `${r}.${ip}` : "''");
  const cell = (r: string) => `${address(r)}, ${r}.start / 60000000, ${r}.disposition, ifnull(${r}.final_status, -1), ifnull(${r}.fail_peer, '')`;
  const pdd = (r: string) => `${address(r)}, ${r}.start / 3600000000, ${r}.pdd_ms`;
  const cellKey = (r: string) => `(${r}.start / 60000000, ${r}.disposition, ${r}.final_status, ${r}.fail_peer)`;
  const pddKey = (r: string) => `(${r}.start / 3600000000, ${r}.pdd_ms, ${r}.disposition IS NULL)`;
  const addCell = `
    INSERT INTO stats_minutes SELECT ${cell('NEW')}, 1, ifnull(NEW.duration_ms, 0), NEW.duration_ms IS NOT NULL WHERE NEW.disposition IS NOT NULL
      ON CONFLICT DO UPDATE SET calls = calls + 1, duration_sum = duration_sum + excluded.duration_sum, durations = durations + excluded.durations;`;
  const subCell = `
    UPDATE stats_minutes SET calls = calls - 1, duration_sum = duration_sum - ifnull(OLD.duration_ms, 0), durations = durations - (OLD.duration_ms IS NOT NULL)
      WHERE OLD.disposition IS NOT NULL AND (ip, minute, disposition, final_status, fail_peer) = (${cell('OLD')});
    DELETE FROM stats_minutes WHERE OLD.disposition IS NOT NULL AND (ip, minute, disposition, final_status, fail_peer) = (${cell('OLD')}) AND calls = 0;`;
  const addPdd = `
    INSERT INTO stats_pdd_hours SELECT ${pdd('NEW')}, 1 WHERE NEW.disposition IS NOT NULL AND NEW.pdd_ms IS NOT NULL
      ON CONFLICT DO UPDATE SET calls = calls + 1;`;
  const subPdd = `
    UPDATE stats_pdd_hours SET calls = calls - 1 WHERE OLD.disposition IS NOT NULL AND (ip, hour, pdd_ms) = (${pdd('OLD')});
    DELETE FROM stats_pdd_hours WHERE OLD.disposition IS NOT NULL AND (ip, hour, pdd_ms) = (${pdd('OLD')}) AND calls = 0;`;
  const cellColumns = 'start, disposition, final_status, duration_ms, fail_peer';
  return `
  CREATE TRIGGER ${table}_stats_insert AFTER INSERT ON ${table} BEGIN ${addCell} ${addPdd} END;
  CREATE TRIGGER ${table}_stats_delete AFTER DELETE ON ${table} BEGIN ${subCell} ${subPdd} END;
  CREATE TRIGGER ${table}_stats_cell AFTER UPDATE OF ${cellColumns} ON ${table} WHEN ${cellKey('OLD')} IS NOT ${cellKey('NEW')} BEGIN ${subCell} ${addCell} END;
  CREATE TRIGGER ${table}_stats_duration AFTER UPDATE OF duration_ms ON ${table}
    WHEN ${cellKey('OLD')} IS ${cellKey('NEW')} AND NEW.disposition IS NOT NULL AND OLD.duration_ms IS NOT NEW.duration_ms BEGIN
    UPDATE stats_minutes SET duration_sum = duration_sum - ifnull(OLD.duration_ms, 0) + ifnull(NEW.duration_ms, 0),
      durations = durations - (OLD.duration_ms IS NOT NULL) + (NEW.duration_ms IS NOT NULL)
      WHERE (ip, minute, disposition, final_status, fail_peer) = (${cell('NEW')});
  END;
  CREATE TRIGGER ${table}_stats_pdd AFTER UPDATE OF start, disposition, pdd_ms ON ${table} WHEN ${pddKey('OLD')} IS NOT ${pddKey('NEW')} BEGIN ${subPdd} ${addPdd} END;`;
}

/** Calls read per step of foldStoredKpis. */
const FOLD_CHUNK = 1000;

/**
 * Migration 2's data: the KPIs of the calls stored before it, folded once from their SIP in time
 * order (the group view's order), then each group's. Reads every message's header columns once:
 * a one-time cost at the upgrade, in the migration's transaction.
 */
function foldStoredKpis(db: Database.Database): void {
  const nextCalls = db.prepare(`SELECT call_id FROM calls WHERE call_id > ? ORDER BY call_id LIMIT ${FOLD_CHUNK}`).pluck();
  const sip = db.prepare(`SELECT ts, method, status, cseq_num AS cseqNum, cseq_method AS cseqMethod, to_tag AS toTag,
    via_branch AS viaBranch, src_ip AS srcIp FROM messages WHERE call_id = ? AND proto_type = 1 ORDER BY ts, id`);
  const setCall = db.prepare(`UPDATE calls SET kpi = ?, disposition = ?, pdd_ms = ?, setup_ms = ?, duration_ms = ?,
    final_status = ?, problems = ? WHERE call_id = ?`);
  for (let ids = nextCalls.all('') as string[]; ids.length; ids = nextCalls.all(ids[ids.length - 1]) as string[]) {
    for (const id of ids) {
      const st = newKpiState();
      for (const m of sip.all(id) as Parameters<typeof updateKpi>[1][]) updateKpi(st, m, KPI_DEFAULTS);
      const c = { problems: 0 } as CallSummary;
      settleKpi(c, st);
      setCall.run(c.kpi, c.disposition, c.pdd_ms, c.setup_ms, c.duration_ms, c.final_status, c.problems, id);
    }
  }
  const nextGroups = db.prepare(`SELECT id FROM groups WHERE id > ? ORDER BY id LIMIT ${FOLD_CHUNK}`).pluck();
  const calls = db.prepare(`SELECT c.disposition, c.pdd_ms, c.setup_ms, c.duration_ms, c.final_status, c.problems
    FROM ids i JOIN calls c ON c.call_id = i.key WHERE i.group_id = ? ORDER BY c.start, c.call_id`);
  const setGroup = db.prepare(`UPDATE groups SET disposition = ?, pdd_ms = ?, setup_ms = ?, duration_ms = ?,
    final_status = ?, problems = ? WHERE id = ?`);
  for (let ids = nextGroups.all(0) as number[]; ids.length; ids = nextGroups.all(ids[ids.length - 1]) as number[]) {
    for (const id of ids) {
      const legs = calls.all(id) as CallSummary[];
      if (!legs.length) continue;
      const k = groupKpi(legs);
      setGroup.run(k.disposition, k.pdd_ms, k.setup_ms, k.duration_ms, k.final_status, k.problems, id);
    }
  }
}

/** Brings the file up to the latest version, one transaction per step; refuses a file from a newer hepflow. */
export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > migrations.length) {
    throw new Error(`database schema version ${version} is newer than this hepflow (${migrations.length})`);
  }
  for (let v = version; v < migrations.length; v++) {
    const step = migrations[v];
    db.transaction(() => {
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
