-- 002_streams: one event log for every machine kind (items now, meetings next).
-- A stream is (kind, stream_id); its rows keep the hash chain exactly as written (the hash
-- covers the stream id, not the kind; the genesis hash "liufang:<kind>:<id>" binds a chain to
-- its kind), so every item chain written before this migration verifies unchanged.
-- No foreign key to a projection table: the log is the truth, projections follow it.

CREATE TABLE stream_events (
  kind TEXT NOT NULL,
  stream_id INTEGER NOT NULL,
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
  PRIMARY KEY (kind, stream_id, seq)
);

INSERT INTO stream_events (kind, stream_id, seq, at, actor_user, actor_party, type, payload,
                           from_state, to_state, prev_hash, hash)
  SELECT 'item', item_id, seq, at, actor_user, actor_party, type, payload, from_state, to_state,
         prev_hash, hash
  FROM item_events ORDER BY item_id, seq;

DROP TABLE item_events;
