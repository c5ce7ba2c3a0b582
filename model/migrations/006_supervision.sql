-- 006_supervision: the deadline sweep's index, the "due soon" setting, the demo mark.
--
-- The sweep asks, per community and per light, for the items whose due date has crossed a
-- threshold since their last tick (model::ReadQueries::staleDeadlineItems): three range scans
-- on (community_id, state, due) that read only the rows whose light changes, so a sweep over
-- 100,000 items with no change reads no item row at all. Dates are ISO text: they sort as dates.
CREATE INDEX items_by_community_state_due ON items (community_id, state, due);

-- How many working days before its due date an item turns yellow (DueSoon), per community;
-- set by a supervisor or the convener (`liufang community due-soon`, the supervision page).
ALTER TABLE communities ADD COLUMN due_soon_days INTEGER NOT NULL DEFAULT 2;

-- Facts about this database as a whole: "demo" = "1" once `init --demo` filled it, which is
-- what allows `serve --now` (a demo clock) on it and on nothing else.
CREATE TABLE instance_flags (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
