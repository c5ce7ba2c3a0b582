-- 004_meetings: the meeting becomes a machine kind (DESIGN.md §2b). The meetings table is its
-- projection; agenda, attendance, signatures and errata are its child rows; the log in
-- stream_events (kind 'meeting') is the truth.
--
-- Meetings written before this migration (`liufang meeting add`, the old demo) have no log.
-- The migration runner completes this step in C++ (model/sql/Migrations.cpp,
-- backfillMeetingStreams), in the same transaction: each old meeting gets a genesis `schedule`
-- row by the system (actor 0), and a published one `open` (no attendance recorded),
-- `adjourn` and `publish_minutes` carrying its old minutes text, so its chain verifies and its
-- replay equals the stored row.

ALTER TABLE meetings ADD COLUMN time TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN state TEXT NOT NULL DEFAULT 'scheduled';
ALTER TABLE meetings ADD COLUMN preamble TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN closing TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN adjourn_note TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN convener_user INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meetings ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN opened_at TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN adjourned_at TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN published_at TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meetings ADD COLUMN last_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX meetings_by_community_state ON meetings (community_id, state, date);

-- The agenda: item ids in order. By item: "which meeting in session has this item on its
-- agenda" is read with every item command (WriteTx::loadItem).
CREATE TABLE meeting_agenda (
  meeting_id INTEGER NOT NULL REFERENCES meetings (id),
  ord INTEGER NOT NULL,
  item_id INTEGER NOT NULL,
  PRIMARY KEY (meeting_id, ord)
);
CREATE INDEX meeting_agenda_by_item ON meeting_agenda (item_id, meeting_id);

CREATE TABLE meeting_attendance (
  meeting_id INTEGER NOT NULL REFERENCES meetings (id),
  party TEXT NOT NULL,
  status TEXT NOT NULL,
  delegate TEXT NOT NULL DEFAULT '',
  ord INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (meeting_id, party)
);

CREATE TABLE meeting_signatures (
  meeting_id INTEGER NOT NULL REFERENCES meetings (id),
  party TEXT NOT NULL,
  user_id INTEGER NOT NULL DEFAULT 0,
  at TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  ord INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (meeting_id, party)
);

CREATE TABLE meeting_errata (
  meeting_id INTEGER NOT NULL REFERENCES meetings (id),
  ord INTEGER NOT NULL,
  text TEXT NOT NULL,
  user_id INTEGER NOT NULL DEFAULT 0,
  at TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (meeting_id, ord)
);

-- Community settings for meetings (workflow::Directory sets them):
--   quorum_rule: majority_and_convener (default: a majority of the roster present and the
--     convening party present) | majority | two_thirds | all
--   convening_party: roster code of the convening party; '' = the first party on the roster
--   meeting_rule: how regular meetings recur: '' (none), 'weekly:<1-7>' (ISO weekday),
--     'monthly:<1-5>:<1-7>' (the Nth weekday of the month; 5 = the last)
--   meeting_time / meeting_place: defaults for the next regular meeting
--   resolve_outside_meeting: 1 = an item may be resolved while no meeting is in session
ALTER TABLE communities ADD COLUMN quorum_rule TEXT NOT NULL DEFAULT 'majority_and_convener';
ALTER TABLE communities ADD COLUMN convening_party TEXT NOT NULL DEFAULT '';
ALTER TABLE communities ADD COLUMN meeting_rule TEXT NOT NULL DEFAULT '';
ALTER TABLE communities ADD COLUMN meeting_time TEXT NOT NULL DEFAULT '';
ALTER TABLE communities ADD COLUMN meeting_place TEXT NOT NULL DEFAULT '';
ALTER TABLE communities ADD COLUMN resolve_outside_meeting INTEGER NOT NULL DEFAULT 1;
