-- 003_read_indexes: lists, desks and counts that cost what they show, not what the database
-- holds (measured with 100,000 items: the proposal list fell from 1,923 to 5.9 req/s).
--
-- top_state is the state before the first dot ("deadline" for "deadline.overdue"). A filter on
-- it can use an index, where "state = ? OR state LIKE 'deadline.%'" could not. It is a VIRTUAL
-- generated column: SQLite computes it from state, so existing rows have it at once and no
-- writer has to set it (SQLite can add only VIRTUAL generated columns with ALTER TABLE; the
-- value is stored in the indexes below). PostgreSQL: GENERATED ALWAYS AS (...) STORED.
ALTER TABLE items ADD COLUMN top_state TEXT GENERATED ALWAYS AS (
  CASE WHEN instr(state, '.') > 0 THEN substr(state, 1, instr(state, '.') - 1) ELSE state END
) VIRTUAL;

-- Lists by top-level state, newest first, within a community or across all (a supervisor).
CREATE INDEX items_by_community_top_state ON items (community_id, top_state, id);
CREATE INDEX items_by_top_state ON items (top_state, id);
-- A community's items newest first without a state filter (the item list's first page).
CREATE INDEX items_by_community ON items (community_id, id);
-- The convener's "extension requests to decide": few rows among many in deadline, so a partial
-- index (small, and chosen over items_by_community_top_state because it has the same columns).
CREATE INDEX items_with_extension_request ON items (community_id, top_state, id)
  WHERE extension_due <> '';
