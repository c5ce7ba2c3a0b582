-- 011_webhook: the outgoing webhook per community (docs/ARCHITECTURE.md "Webhook outbox").
--
-- webhooks: one receiver per community. The secret keys the HMAC-SHA256 signature, so it is
-- kept as given (it must be read back to sign); the pages never show it.
CREATE TABLE webhooks (
  community_id INTEGER PRIMARY KEY REFERENCES communities (id),
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL
);

-- One row per notifying event of a community with an enabled webhook, written in the event's
-- own transaction (model::WriteTx::enqueueWebhook), so a committed event cannot lose its
-- delivery and a refused one has none. (kind, stream_id, seq) names the event in
-- stream_events. body is the exact JSON sent (and signed). State: delivered_at <> '' is
-- delivered; failed = 1 gave up; otherwise due at next_attempt_at. '' stands for "none".
CREATE TABLE webhook_outbox (
  id INTEGER PRIMARY KEY,
  community_id INTEGER NOT NULL REFERENCES communities (id),
  kind TEXT NOT NULL,
  stream_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  delivered_at TEXT NOT NULL DEFAULT '',
  failed INTEGER NOT NULL DEFAULT 0,
  last_status INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT ''
);
-- The drainer's range: pending rows by due time (delivered and failed ones leave it).
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at)
  WHERE delivered_at = '' AND failed = 0;
-- The delivery log page, newest first per community.
CREATE INDEX webhook_outbox_by_community ON webhook_outbox (community_id, id);

-- Every delivery attempt: when, the HTTP status (0 when none came back) or the error, and how
-- long it took.
CREATE TABLE webhook_attempts (
  id INTEGER PRIMARY KEY,
  outbox_id INTEGER NOT NULL REFERENCES webhook_outbox (id),
  at TEXT NOT NULL,
  status INTEGER NOT NULL,
  error TEXT NOT NULL DEFAULT '',
  duration_ms INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_by_outbox ON webhook_attempts (outbox_id, id);
