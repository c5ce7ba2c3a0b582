// The deadline sweep (Engine::sweep, `liufang sweep`): an injected clock walks items across the
// 2026 National Day holiday; the sweep is idempotent, writes one `tick` by "system" per light
// change, and its cost follows the items that change, not the items held.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <atomic>

#include "EngineTestKit.h"
#include "model/Calendar.h"
#include "model/Errors.h"
#include "workflow/Directory.h"
#include "workflow/Ladder.h"
#include "workflow/Supervision.h"
#include "workflow/Verify.h"

using namespace liufang;
using testkit::shanghai;

namespace {

class SweepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spdlog::set_level(spdlog::level::warn);
    auto o = testkit::testStoreOptions(dir_.file("sweep.db"));
    o.onStatement = [this](const char*) { ++statements_; };
    store_ = model::openSqliteStore(o);
    town_ = testkit::TestCommunity::create(*store_);
  }

  // An item assigned on the clock's day, due on `due`.
  int64_t assigned(workflow::Engine& engine, const std::string& due) {
    workflow::Command propose("propose");
    propose.set("title", "路灯不亮").set("description", "南区步道").set("party", "juweihui");
    const int64_t id = engine.propose(town_.id, propose, town_.rep("juweihui")).id;
    engine.apply(id, workflow::Command("take_up"), town_.convener);
    engine.apply(id, workflow::Command("resolve").set("decision", "物业更换路灯"), town_.convener);
    engine.apply(
        id, workflow::Command("assign").set("lead", "wuye").set("standard", "亮灯").set("due", due),
        town_.convener);
    return id;
  }

  // Runs an EXPLAIN QUERY PLAN statement on the test database: fails on a full scan, returns
  // how many of its steps name `index` (a search on it).
  int indexSearches(const char* explainSql, const std::string& index) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(dir_.file("sweep.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, explainSql, -1, &st, nullptr), SQLITE_OK);
    int searches = 0;
    while (st && sqlite3_step(st) == SQLITE_ROW) {
      const std::string detail = reinterpret_cast<const char*>(sqlite3_column_text(st, 3));
      if (detail.rfind("SCAN", 0) == 0) ADD_FAILURE() << detail;
      if (detail.find(index) != std::string::npos) ++searches;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return searches;
  }

  std::string state(int64_t id) { return store_->findItem(id)->state; }
  int ticks(int64_t id) {
    int n = 0;
    for (const auto& e : store_->events({"item", id}))
      if (e.type == "tick") {
        EXPECT_EQ(e.actorUser, 0);
        ++n;
      }
    return n;
  }

  testkit::TempDir dir_{"sweep"};
  std::atomic<int> statements_{0};
  std::unique_ptr<model::Store> store_;
  testkit::TestCommunity town_;
};

TEST_F(SweepTest, LightsWalkAcrossNationalDay2026) {
  // Assigned Mon 2026-09-28, due 5 working days later: Sat 2026-10-10 (a make-up working day).
  model::ManualClock clock(shanghai("2026-09-28", 9));
  workflow::Engine engine(*store_, clock);
  const int64_t id = assigned(engine, "2026-10-10");
  // Day by day at 09:00 Shanghai: the light each morning's sweep must show. Due soon means at
  // most 2 working days left (today counted as 0): 10-08 has 10-09 and 10-10 left.
  const std::pair<const char*, const char*> days[] = {
      {"2026-09-28", "deadline.on_track"}, {"2026-09-29", "deadline.on_track"},
      {"2026-09-30", "deadline.on_track"}, {"2026-10-01", "deadline.on_track"},
      {"2026-10-04", "deadline.on_track"}, {"2026-10-07", "deadline.on_track"},
      {"2026-10-08", "deadline.due_soon"}, {"2026-10-09", "deadline.due_soon"},
      {"2026-10-10", "deadline.due_soon"}, {"2026-10-11", "deadline.overdue"},
      {"2026-10-12", "deadline.overdue"},
  };
  int changes = 0;
  std::string last = state(id);
  for (const auto& [day, expected] : days) {
    clock.set(shanghai(day, 9));
    engine.sweep();
    EXPECT_EQ(state(id), expected) << day;
    if (state(id) != last) ++changes;
    last = state(id);
    EXPECT_EQ(engine.sweep(), 0) << "a second sweep the same day changes nothing: " << day;
  }
  EXPECT_EQ(changes, 2);
  EXPECT_EQ(ticks(id), 2);  // one tick per change, by the system, none for the idle sweeps
}

TEST_F(SweepTest, SweepTouchesOnlyTheItemsWhoseLightChanges) {
  model::ManualClock clock(shanghai("2026-11-16", 9));  // a Monday
  workflow::Engine engine(*store_, clock);
  // Few items first: the statements of a sweep with nothing to move.
  for (int i = 0; i < 5; ++i) assigned(engine, "2026-12-31");
  engine.sweep();
  statements_ = 0;
  EXPECT_EQ(engine.sweep(), 0);
  const int idleFew = statements_;
  // Many more on-track items, and three due on Wednesday.
  for (int i = 0; i < 150; ++i) assigned(engine, "2026-12-31");
  std::vector<int64_t> soon;
  for (int i = 0; i < 3; ++i) soon.push_back(assigned(engine, "2026-11-25"));
  engine.sweep();
  statements_ = 0;
  EXPECT_EQ(engine.sweep(), 0);
  EXPECT_EQ(statements_, idleFew) << "an idle sweep costs the same over 8 or 158 items";

  // Next Monday the three turn yellow: the sweep runs the idle statements plus one apply each.
  clock.set(shanghai("2026-11-23", 9));
  statements_ = 0;
  EXPECT_EQ(engine.sweep(), 3);
  const int perApply = (statements_ - idleFew) / 3;
  EXPECT_EQ(statements_, idleFew + 3 * perApply);
  EXPECT_LE(perApply, 10);  // 8, plus the desk's running totals: the row after, one upsert
  for (auto id : soon) EXPECT_EQ(state(id), "deadline.due_soon");
}

TEST_F(SweepTest, EveryStaleQueryIsAnIndexRange) {
  // The plan SQLite picks for each branch of Store::staleDeadlineItems (migration 006).
  const char* sql =
      "EXPLAIN QUERY PLAN SELECT id FROM items WHERE community_id = 1 AND"
      " state = 'deadline.on_track' AND due > '' AND due < '2026-11-20'"
      " UNION ALL SELECT id FROM items WHERE community_id = 1 AND state = 'deadline.due_soon'"
      " AND due > '' AND due < '2026-11-18' UNION ALL SELECT id FROM items WHERE"
      " community_id = 1 AND state = 'deadline.due_soon' AND due >= '2026-11-20'"
      " UNION ALL SELECT id FROM items WHERE community_id = 1 AND state = 'deadline.overdue'"
      " AND due >= '2026-11-18'";
  EXPECT_EQ(indexSearches(sql, "INDEX items_by_community_state_due"), 4);
}

TEST_F(SweepTest, ACommunitysDueSoonSettingLightsItsItemsAndReplaysAlike) {
  model::ManualClock clock(shanghai("2026-11-16", 9));  // a Monday
  workflow::Engine engine(*store_, clock);
  const int64_t id = assigned(engine, "2026-11-20");  // Friday: 4 working days left
  EXPECT_EQ(state(id), "deadline.on_track");
  EXPECT_EQ(engine.sweep(), 0);
  workflow::Directory(*store_).setDueSoonDays("taoyuanju", 5);
  EXPECT_EQ(store_->findCommunity(town_.id)->dueSoonDays, 5);
  EXPECT_EQ(engine.sweep(), 1);
  EXPECT_EQ(state(id), "deadline.due_soon");
  EXPECT_EQ(engine.sweep(), 0);
  // A progress report does not undo the community's setting with the default one.
  engine.apply(id, workflow::Command("report_progress").set("text", "已订购灯具"),
               town_.rep("wuye"));
  EXPECT_EQ(state(id), "deadline.due_soon");
  // The tick carries the setting, so replay reaches the same light after the setting changes.
  workflow::Directory(*store_).setDueSoonDays("taoyuanju", 1);
  EXPECT_TRUE(workflow::verifyStore(*store_, model::HolidayCalendar::china()).ok);
  EXPECT_EQ(engine.sweep(), 1);
  EXPECT_EQ(state(id), "deadline.on_track");
  EXPECT_THROW(workflow::Directory(*store_).setDueSoonDays("taoyuanju", 0), Invalid);
  EXPECT_THROW(workflow::Directory(*store_).setDueSoonDays("nowhere", 3), NotFound);
}

// The escalation ladder (Engine::fireLadder): fired by the sweep as system events, once per
// tier, counted in working days overdue across the National Day holiday.
TEST_F(SweepTest, LadderFiresEachTierOnceAcrossNationalDay2026) {
  model::ManualClock clock(shanghai("2026-09-28", 9));
  workflow::Engine engine(*store_, clock);
  const int64_t id = assigned(engine, "2026-09-30");  // Wednesday before the holiday
  // Working days overdue: 10-01..10-07 are holidays (0); 10-08 → 1, 10-10 (Saturday, a make-up
  // working day) → 3, 10-13 → 5, 10-20 → 10.
  for (int d = 0; d < 24; ++d) {
    const model::Date day = model::Date::parse("2026-09-29")->plusDays(d);
    clock.set(shanghai(day.str(), 9));
    engine.sweep();
    int again = -1;
    EXPECT_EQ(engine.sweep(&again), 0);
    EXPECT_EQ(again, 0) << "a second sweep fires nothing: " << day.str();
  }
  std::vector<std::pair<std::string, std::string>> ladder;  // type, date (Shanghai)
  for (const auto& e : store_->events({"item", id})) {
    if (e.type != "urge" && e.type != "escalate" && e.type != "report") continue;
    EXPECT_EQ(e.actorUser, 0) << "fired by the system";
    EXPECT_NE(e.payload.find("\"tier\""), std::string::npos) << e.payload;
    ladder.emplace_back(e.type, model::localDate(model::parseInstant(e.at), 480).str());
  }
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"urge", "2026-10-08"}, {"escalate", "2026-10-13"}, {"report", "2026-10-20"}};
  EXPECT_EQ(ladder, expected);
  const auto item = *store_->findItem(id);
  EXPECT_EQ(item.ladderTier, 10);
  EXPECT_TRUE(item.escalated);
  EXPECT_EQ(item.urgeCount, 1);
  EXPECT_TRUE(workflow::verifyStore(*store_, model::HolidayCalendar::china()).ok)
      << "replay reaches the same ladder tier";
}

TEST_F(SweepTest, ALateSweepFiresEveryReachedTierInOrderAndAnExtensionRestartsTheLadder) {
  model::ManualClock clock(shanghai("2026-11-16", 9));  // a Monday
  workflow::Engine engine(*store_, clock);
  workflow::Directory(*store_).setLadder("taoyuanju", "2:urge:#f5a623, 3:report");
  EXPECT_EQ(workflow::formatLadder(workflow::ladderOf(*store_, town_.id)),
            "2:urge:#f5a623,3:report:#8b0000");
  const int64_t id = assigned(engine, "2026-11-17");
  const int64_t calm = assigned(engine, "2026-12-31");
  // A supervisor escalates by hand; the custom ladder has no escalate tier anyway.
  engine.apply(id, workflow::Command("escalate").set("note", "挂牌"), town_.supervisor);
  clock.set(shanghai("2026-11-23", 9));  // 4 working days overdue: both tiers at once
  int fired = 0;
  EXPECT_EQ(engine.sweep(&fired), 1);
  EXPECT_EQ(fired, 2);
  EXPECT_EQ(store_->findItem(id)->ladderTier, 3);
  EXPECT_EQ(store_->findItem(calm)->ladderTier, 0);
  EXPECT_EQ(engine.fireLadder(), 0);
  // A person cannot move the ladder with a payload of their own.
  engine.apply(id, workflow::Command("urge").set("note", "快").set("tier", 99), town_.supervisor);
  EXPECT_EQ(store_->findItem(id)->ladderTier, 3);
  // Nobody but the system reports.
  EXPECT_THROW(engine.apply(id, workflow::Command("report").set("note", "x"), town_.supervisor),
               Forbidden);
  EXPECT_THROW(workflow::Directory(*store_).setLadder("taoyuanju", "0:urge"), Invalid);
  EXPECT_THROW(workflow::Directory(*store_).setLadder("taoyuanju", "2:shout"), Invalid);
  EXPECT_THROW(workflow::Directory(*store_).setLadder("taoyuanju", "2:urge,2:report"), Invalid);
  EXPECT_THROW(workflow::Directory(*store_).setLadder("taoyuanju", "2:urge:red"), Invalid);
  workflow::Directory(*store_).setLadder("taoyuanju", "default");
  EXPECT_EQ(workflow::ladderOf(*store_, town_.id).size(), 3u);
  EXPECT_TRUE(workflow::verifyStore(*store_, model::HolidayCalendar::china()).ok);
}

TEST_F(SweepTest, LadderCandidatesAreIndexRanges) {
  // The plan for each branch of Store::ladderCandidates (migration 009).
  const char* sql =
      "EXPLAIN QUERY PLAN SELECT id FROM items WHERE community_id = 1 AND"
      " state = 'deadline.overdue' AND ladder_tier = 1 AND due > '' AND due < '2026-11-20'"
      " UNION ALL SELECT id FROM items WHERE community_id = 1 AND state = 'deadline.overdue'"
      " AND ladder_tier > 1 AND ladder_tier < 5 AND due > '' AND due < '2026-11-20'";
  EXPECT_EQ(indexSearches(sql, "INDEX items_by_community_state_ladder_due (community_id=? AND "
                               "state=? AND ladder_tier"),
            2);
}

TEST_F(SweepTest, DemoNowParsesCommunityTime) {
  const auto t = workflow::parseDemoNow("2026-12-15T09:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(model::formatInstant(*t), "2026-12-15T01:00:00.000Z");
  EXPECT_EQ(model::formatInstant(*workflow::parseDemoNow("2026-12-15T09:00:30Z")),
            "2026-12-15T09:00:30.000Z");
  for (const char* bad : {"", "2026-12-15", "2026-13-15T09:00", "2026-12-15T25:00",
                          "2026-12-15 09:00", "tomorrow"})
    EXPECT_FALSE(workflow::parseDemoNow(bad)) << bad;
}

}  // namespace
