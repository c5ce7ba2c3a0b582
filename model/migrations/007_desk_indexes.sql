-- 007_desk_indexes: the supervision desk's period filter (items raised between two instants)
-- answered by an index, for one community and for every community, so a scoreboard reads the
-- period's items, not the whole table (bench/desk_bench).
-- Measured: a 1M-item database's default period (99k items) read by this index instead of a
-- scan of every item; see docs/ARCHITECTURE.md "The supervision desk".
CREATE INDEX IF NOT EXISTS items_by_community_created ON items (community_id, created_at);
CREATE INDEX IF NOT EXISTS items_by_created ON items (created_at);
