-- Fills a liufang database with many items in one INSERT ... SELECT (scripts/read-bench).
-- Run with the sqlite3 shell after `.parameter set :n 1000000` and `.parameter set :community
-- ID`. Items only, with handlers and positions where the pages read them; NO event rows: the
-- pages measured never read the log of a listed item, and the item page is measured on an item
-- made through the API. (So `liufang verify` reports the filled items; this is a bench file.)
--
-- Mix, by k % 100: 0-84 proposal, 85-87 discussion, 88-89 assignment, 90-94 deadline
-- (on_track / due_soon / overdue; one in 50 with an extension request), 95 followup,
-- 96-99 closed. Parties rotate over the demo roster.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
CREATE TEMP TABLE roster AS
  SELECT code, ROW_NUMBER() OVER (ORDER BY sort_order, id) - 1 AS n FROM parties
  WHERE community_id = :community;
CREATE TEMP TABLE fill_first AS SELECT COALESCE(MAX(id), 0) + 1 AS id FROM items;

WITH RECURSIVE k(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM k WHERE k + 1 < :n)
INSERT INTO items (community_id, title, description, proposer_party, proposer_user, state,
                   due, extension_due, extension_reason, created_at, updated_at, version,
                   last_hash)
SELECT :community,
       '议题 #' || k || ' 路灯、绿化与停车',
       '第 ' || k || ' 号议题的说明：居民反映的问题，需要各方协商解决。',
       (SELECT code FROM roster WHERE n = k % 6),
       0,
       CASE
         WHEN k % 100 < 85 THEN 'proposal'
         WHEN k % 100 < 88 THEN 'discussion'
         WHEN k % 100 < 90 THEN 'assignment'
         WHEN k % 100 < 95 THEN
           CASE k % 3 WHEN 0 THEN 'deadline.on_track' WHEN 1 THEN 'deadline.due_soon'
                      ELSE 'deadline.overdue' END
         WHEN k % 100 < 96 THEN 'followup'
         ELSE 'closed'
       END,
       -- Due dates that match the light, so the server's deadline sweep has nothing to move:
       -- due today (in Shanghai) is due soon, 2020 is overdue.
       CASE
         WHEN k % 100 < 90 THEN ''
         WHEN k % 100 < 95 THEN
           CASE k % 3 WHEN 0 THEN '2030-12-31' WHEN 1 THEN date('now', '+8 hours')
                      ELSE '2020-01-01' END
         ELSE '2026-06-30'
       END,
       CASE WHEN k % 100 BETWEEN 90 AND 94 AND (k / 100) % 50 = 0 THEN '2027-01-31' ELSE '' END,
       CASE WHEN k % 100 BETWEEN 90 AND 94 AND (k / 100) % 50 = 0 THEN '材料未到' ELSE '' END,
       strftime('%Y-%m-%dT%H:%M:%fZ', '2020-01-01', '+' || (k / 10) || ' minutes'),
       strftime('%Y-%m-%dT%H:%M:%fZ', '2020-01-01', '+' || (k / 10) || ' minutes'),
       1,
       ''
FROM k;

-- Lead and one co-handling party for items from assignment on (deadline, followup, closed).
INSERT INTO item_handlers (item_id, party, is_lead, done, ord)
SELECT i.id, (SELECT code FROM roster WHERE n = i.id % 6), 1, 0, 0
FROM items i WHERE i.id >= (SELECT id FROM fill_first) AND i.top_state IN ('deadline', 'followup', 'closed');
INSERT INTO item_handlers (item_id, party, is_lead, done, ord)
SELECT i.id, (SELECT code FROM roster WHERE n = (i.id + 1) % 6), 0, 0, 1
FROM items i WHERE i.id >= (SELECT id FROM fill_first) AND i.top_state IN ('deadline', 'followup', 'closed');

-- Positions on items in discussion: each party has logged one on two items out of three.
INSERT INTO positions (item_id, party, stance, reason, at, user_id, ord)
SELECT i.id, r.code, 'support', '', i.created_at, 0, r.n
FROM items i JOIN roster r
WHERE i.id >= (SELECT id FROM fill_first) AND i.top_state = 'discussion' AND (i.id + r.n) % 3 <> 0;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
