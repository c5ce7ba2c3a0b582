-- 010_inbox: the in-app inbox (站内通知).
--
-- One row per recipient of a notifying event, written in the same transaction as the event
-- (model::WriteTx::addNotices), so a notice is never lost between COMMIT and a subscriber.
-- (kind, stream_id, seq) names the event in stream_events; type is its name.
CREATE TABLE inbox (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  stream_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  at TEXT NOT NULL,
  read INTEGER NOT NULL DEFAULT 0
);
-- The header's unread badge (a capped COUNT on one range) and the page, newest first.
CREATE INDEX inbox_unread ON inbox (user_id, read);
CREATE INDEX inbox_by_user ON inbox (user_id, id);
