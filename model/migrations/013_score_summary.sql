-- 013_score_summary: the supervision desk's running totals, so a scoreboard reads a few
-- thousand summary rows instead of every item raised in the period (bench/desk_bench: p95 at
-- 1M items). model/sql/ScoreSummary.cpp keeps them: the write transaction reads an item's row
-- before it changes the item and moves the counts to the item's new row after, in one
-- statement of the same transaction, so the totals are never behind the items.
--
-- One row per (grain, bucket, community, lead party, state): grain 'month' (bucket "YYYY-MM")
-- and 'day' (bucket "YYYY-MM-DD"), the community-local month or day the items were raised in.
-- A period reads its whole months from the month rows and its ragged ends (at most two
-- part-months) from the day rows. The counts are those of the named item sets
-- (model/ScoreQueries.h); timed_days sums the working days from assignment to closing, looked
-- up in workday_index. Rows emptied by items moving on stay, all zero.
CREATE TABLE score_totals (
  grain TEXT NOT NULL,
  bucket TEXT NOT NULL,
  community_id INTEGER NOT NULL,
  party TEXT NOT NULL,   -- lead party code, '' before assignment
  state TEXT NOT NULL,
  raised INTEGER NOT NULL DEFAULT 0,
  responded INTEGER NOT NULL DEFAULT 0,
  resolved INTEGER NOT NULL DEFAULT 0,
  on_time INTEGER NOT NULL DEFAULT 0,
  overdue INTEGER NOT NULL DEFAULT 0,
  timed INTEGER NOT NULL DEFAULT 0,
  timed_days INTEGER NOT NULL DEFAULT 0,
  submitted INTEGER NOT NULL DEFAULT 0,
  reworked INTEGER NOT NULL DEFAULT 0,
  urged INTEGER NOT NULL DEFAULT 0,
  rated INTEGER NOT NULL DEFAULT 0,
  satisfied INTEGER NOT NULL DEFAULT 0,
  urges INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (grain, bucket, community_id, party, state)
) WITHOUT ROWID;

-- n = working days from 2000-01-01 up to and including `day` under the holiday calendar the
-- totals were built with (instance flag "score_summary" holds its fingerprint); the working
-- days in (a, b] are n(b) - n(a). Rebuilt with the totals when the calendar changes.
CREATE TABLE workday_index (
  day TEXT PRIMARY KEY,
  n INTEGER NOT NULL
) WITHOUT ROWID;
