-- 012_calendar_tokens: the per-user deadline calendar feed (iCalendar at a secret URL).
--
-- One link per user. Only the SHA-256 of the 32-byte random token is stored, as for web
-- sessions: a copy of the database does not reveal working feed URLs. Revoking deletes the row,
-- so the old URL stops matching at once.
CREATE TABLE calendar_links (
  user_id INTEGER PRIMARY KEY REFERENCES users (id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_fetched_at TEXT NOT NULL DEFAULT ''
);
