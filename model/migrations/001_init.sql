-- 001_init: the first schema.
-- Portable SQL (SQLite now, PostgreSQL later): booleans are INTEGER 0/1, instants are TEXT in
-- formatInstant() form (they sort as text), dates are TEXT YYYY-MM-DD. "INTEGER PRIMARY KEY"
-- is the one dialect point (a rowid alias on SQLite; an identity column on PostgreSQL).
-- The migration runner splits this file at semicolons outside quotes: no triggers here.

-- The runner creates this table itself before reading it; kept here so the file is the whole
-- schema. One row: the number of the last applied migration.
CREATE TABLE IF NOT EXISTS schema_version (
  version INTEGER NOT NULL
);

CREATE TABLE communities (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  time_zone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
  utc_offset_minutes INTEGER NOT NULL DEFAULT 480
);

-- A community's roster: the parties of its joint meeting, in display order.
CREATE TABLE parties (
  id INTEGER PRIMARY KEY,
  community_id INTEGER NOT NULL REFERENCES communities (id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  sort_order INTEGER NOT NULL DEFAULT 0,
  UNIQUE (community_id, code)
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL DEFAULT '',
  community_id INTEGER REFERENCES communities (id),  -- NULL: not tied to one community
  party TEXT NOT NULL DEFAULT '',
  convener INTEGER NOT NULL DEFAULT 0,
  representative INTEGER NOT NULL DEFAULT 0,
  supervisor INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  password_hash TEXT NOT NULL DEFAULT '',
  locale TEXT NOT NULL DEFAULT 'zh_CN',
  failed_logins INTEGER NOT NULL DEFAULT 0,  -- since the last successful login
  last_failed_at TEXT NOT NULL DEFAULT ''
);

CREATE TABLE meetings (
  id INTEGER PRIMARY KEY,
  community_id INTEGER NOT NULL REFERENCES communities (id),
  title TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'regular',
  date TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  minutes TEXT NOT NULL DEFAULT '',
  published INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX meetings_by_community ON meetings (community_id, date);

-- The item projection, kept current by the Engine; the event log below is the truth.
-- meeting_id / merged_into / proposer_user are plain numbers (0 = none): the log, not a
-- foreign key, is what vouches for them.
CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  community_id INTEGER NOT NULL REFERENCES communities (id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  proposer_party TEXT NOT NULL DEFAULT '',
  proposer_user INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  outcome TEXT NOT NULL DEFAULT '',
  response TEXT NOT NULL DEFAULT '',
  decision TEXT NOT NULL DEFAULT '',
  standard TEXT NOT NULL DEFAULT '',
  due TEXT NOT NULL DEFAULT '',
  extension_due TEXT NOT NULL DEFAULT '',
  extension_reason TEXT NOT NULL DEFAULT '',
  result TEXT NOT NULL DEFAULT '',
  rating TEXT NOT NULL DEFAULT '',
  rating_comment TEXT NOT NULL DEFAULT '',
  urge_count INTEGER NOT NULL DEFAULT 0,
  escalated INTEGER NOT NULL DEFAULT 0,
  rework_count INTEGER NOT NULL DEFAULT 0,
  meeting_id INTEGER NOT NULL DEFAULT 0,
  merged_into INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL DEFAULT '',
  assigned_at TEXT NOT NULL DEFAULT '',
  submitted_at TEXT NOT NULL DEFAULT '',
  closed_at TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 0,  -- number of events in the log
  last_hash TEXT NOT NULL DEFAULT ''
);
-- Listing by community and state (boards, to-do lists, the deadline sweep), newest first.
CREATE INDEX items_by_community_state ON items (community_id, state, id);
CREATE INDEX items_by_state ON items (state, id);
CREATE INDEX items_by_proposer_party ON items (proposer_party, id);

-- Lead (is_lead = 1) and co-handling parties of an assigned item, in Item::handlers order.
CREATE TABLE item_handlers (
  item_id INTEGER NOT NULL REFERENCES items (id),
  party TEXT NOT NULL,
  is_lead INTEGER NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0,
  ord INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (item_id, party)
);
-- A party's to-do list: items it handles.
CREATE INDEX item_handlers_by_party ON item_handlers (party, item_id);

-- Each party's current position on an item in discussion (history is in the event log).
-- ord keeps Item::positions order, so a replayed projection compares equal to the stored one.
CREATE TABLE positions (
  item_id INTEGER NOT NULL REFERENCES items (id),
  party TEXT NOT NULL,
  stance TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL DEFAULT '',
  user_id INTEGER NOT NULL DEFAULT 0,
  ord INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (item_id, party)
);

-- The append-only, hash-chained event log. The primary key is also the "events by item"
-- index: an item's log is read in seq order straight from it. actor_user 0 = the system.
CREATE TABLE item_events (
  item_id INTEGER NOT NULL REFERENCES items (id),
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  actor_user INTEGER NOT NULL DEFAULT 0,
  actor_party TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  from_state TEXT NOT NULL DEFAULT '',
  to_state TEXT NOT NULL DEFAULT '',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (item_id, seq)
);

-- Signed-in browsers and API clients; only the token's hash is stored.
CREATE TABLE web_sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  locale TEXT NOT NULL DEFAULT ''
);
CREATE INDEX web_sessions_by_last_seen ON web_sessions (last_seen_at);
CREATE INDEX web_sessions_by_user ON web_sessions (user_id);
