-- 009_ladder: the escalation ladder (督办阶梯).
--
-- Each community's tiers: at `days` working days overdue the sweep fires `action` (urge,
-- escalate or report) as the system, once per item and due date. A community without rows
-- uses the default ladder (workflow/Ladder.cpp). Set by `liufang community ladder`.
CREATE TABLE ladder_tiers (
  community_id INTEGER NOT NULL REFERENCES communities(id),
  days INTEGER NOT NULL CHECK (days >= 1),
  action TEXT NOT NULL CHECK (action IN ('urge', 'escalate', 'report')),
  colour TEXT NOT NULL,
  PRIMARY KEY (community_id, days)
) WITHOUT ROWID;

-- The threshold of the highest tier fired for the item's current due date (0: none). The
-- sweep's ladder query is one equality range per tier on this index, so it reads only the
-- items that reached their next tier since the last sweep.
ALTER TABLE items ADD COLUMN ladder_tier INTEGER NOT NULL DEFAULT 0;
CREATE INDEX items_by_community_state_ladder_due ON items (community_id, state, ladder_tier, due);
