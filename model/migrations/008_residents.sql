-- 008_residents: residents' requests (居民点单) as a machine kind of their own, and the public
-- board's exclusions (公示).
--
-- requests is the projection of the "request" streams in stream_events. The contact a resident
-- leaves is personal data and lives apart from the public text, outside the hash-chained log
-- (request_contacts), so it can be shown to the convener only and erased without breaking a
-- chain. The tracking number (e.g. TYJ-2026-0042) is allocated from request_counters in the
-- submitting transaction and written into the creation event, so the chain covers it.
CREATE TABLE requests (
  id INTEGER PRIMARY KEY,
  community_id INTEGER NOT NULL REFERENCES communities(id),
  number TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,
  reply TEXT NOT NULL DEFAULT '',
  reject_reason TEXT NOT NULL DEFAULT '',
  item_id INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  replied_at TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 0,
  last_hash TEXT NOT NULL DEFAULT ''
);
-- The moderation queue (submitted, oldest first) and lists by state.
CREATE INDEX requests_by_community_state ON requests (community_id, state, id);

CREATE TABLE request_contacts (
  request_id INTEGER PRIMARY KEY REFERENCES requests(id),
  contact TEXT NOT NULL
);

-- The last sequence number given out per community and (community-local) year.
CREATE TABLE request_counters (
  community_id INTEGER NOT NULL REFERENCES communities(id),
  year INTEGER NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (community_id, year)
);

-- The tracking number's prefix per community (default: the community code in capitals).
CREATE TABLE request_prefixes (
  community_id INTEGER PRIMARY KEY REFERENCES communities(id),
  prefix TEXT NOT NULL
);

-- Items the convener keeps off the public board, with the reason; every hide and show is
-- also appended to board_visibility_log (who, when, why).
CREATE TABLE board_exclusions (
  item_id INTEGER PRIMARY KEY REFERENCES items(id),
  reason TEXT NOT NULL,
  user_id INTEGER NOT NULL,
  at TEXT NOT NULL
);
CREATE TABLE board_visibility_log (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES items(id),
  hidden INTEGER NOT NULL,
  reason TEXT NOT NULL,
  user_id INTEGER NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX board_visibility_log_by_item ON board_visibility_log (item_id, id);
