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

export const migrations: string[] = [
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
];

/** Brings the file up to the latest version, one transaction per step; refuses a file from a newer hepflow. */
export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > migrations.length) {
    throw new Error(`database schema version ${version} is newer than this hepflow (${migrations.length})`);
  }
  for (let v = version; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
