-- 005_party_attributes: a party's short name (badges, the live screen's columns), its colour
-- (#rrggbb, the badge) and the names it has had. sort_order (001) is its place on the roster;
-- the convening party is the community's setting (004, communities.convening_party).
ALTER TABLE parties ADD COLUMN short_name TEXT NOT NULL DEFAULT '';
ALTER TABLE parties ADD COLUMN colour TEXT NOT NULL DEFAULT '';

-- Renaming keeps history: old events and minutes show the name as it was. A row says "from
-- this instant the party was called name"; the first rename also writes the old name from ''
-- (the beginning of time). A party never renamed has no rows and is called parties.name.
CREATE TABLE party_names (
  party_id INTEGER NOT NULL REFERENCES parties (id),
  effective_from TEXT NOT NULL,  -- instant, formatInstant(); '' = always
  name TEXT NOT NULL,
  short_name TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (party_id, effective_from)
);
