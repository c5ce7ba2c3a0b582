// The read side over a real SQLite file: keyset paging, capped counts, the top_state column of
// migration 003, and the desk's rules per role (workflow/Desk.h).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>

#include "EngineTestKit.h"
#include "model/Store.h"
#include "workflow/Desk.h"

namespace liufang {
namespace {

using model::Item;
using model::ItemQuery;
using testkit::TempDir;

class ReadQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    model::StoreOptions o;
    o.path = dir_.file("reads.db");
    o.poolSize = 2;
    store_ = model::openSqliteStore(o);
    community_ = addCommunity("taoyuanju");
  }

  int64_t addCommunity(const std::string& code) {
    model::Community c;
    c.code = code;
    c.name = code;
    return store_->addCommunity(c);
  }

  // Stores an item (no event log: the read side does not look at it); returns its id.
  int64_t add(const std::string& title, const std::string& state, int64_t community = 0,
              std::vector<model::Handler> handlers = {},
              std::vector<model::Position> positions = {}, const std::string& extensionDue = "") {
    Item i;
    i.communityId = community ? community : community_;
    i.title = title;
    i.state = state;
    i.proposerParty = "gongyi";
    i.handlers = std::move(handlers);
    i.positions = std::move(positions);
    i.extensionDue = extensionDue;
    i.version = 1;
    auto tx = store_->beginWrite();
    tx->insertItem(i);
    tx->commit();
    return i.id;
  }

  static std::vector<int64_t> ids(const std::vector<Item>& items) {
    std::vector<int64_t> out;
    for (const auto& i : items) out.push_back(i.id);
    return out;
  }

  static std::vector<std::string> titles(const std::vector<Item>& items) {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(i.title);
    return out;
  }

  TempDir dir_{"reads"};
  std::unique_ptr<model::Store> store_;
  int64_t community_ = 0;
};

TEST_F(ReadQueryTest, KeysetPagingWalksEveryItemOnceNewestFirst) {
  std::vector<int64_t> proposals;
  for (int k = 0; k < 23; ++k) {
    const int64_t id = add("p" + std::to_string(k), k % 4 == 0 ? "closed" : "proposal");
    if (k % 4 != 0) proposals.push_back(id);
  }
  std::reverse(proposals.begin(), proposals.end());

  ItemQuery q;
  q.state = "proposal";
  q.limit = 5;
  std::vector<int64_t> walked;
  for (int pages = 0; pages < 100; ++pages) {
    const auto page = store_->listItems(q);
    if (page.empty()) break;
    EXPECT_LE(page.size(), 5u);
    for (const auto& i : page) walked.push_back(i.id);
    q.afterId = page.back().id;
  }
  // No gaps, no repeats, newest first.
  EXPECT_EQ(walked, proposals);
}

TEST_F(ReadQueryTest, KeysetPagingGoesBackToThePreviousPage) {
  for (int k = 0; k < 12; ++k) add("p" + std::to_string(k), "proposal");
  ItemQuery q;
  q.limit = 4;
  const auto first = store_->listItems(q);
  q.afterId = first.back().id;
  const auto second = store_->listItems(q);
  ASSERT_EQ(second.size(), 4u);
  EXPECT_LT(second.front().id, first.back().id);

  ItemQuery back;
  back.limit = 4;
  back.beforeId = second.front().id;
  EXPECT_EQ(ids(store_->listItems(back)), ids(first));  // still newest first
}

TEST_F(ReadQueryTest, KeysetPagingDoesNotSkipItemsAddedMeanwhile) {
  for (int k = 0; k < 6; ++k) add("old" + std::to_string(k), "proposal");
  ItemQuery q;
  q.limit = 3;
  const auto first = store_->listItems(q);
  add("new", "proposal");  // would shift an OFFSET page by one
  q.afterId = first.back().id;
  EXPECT_EQ(titles(store_->listItems(q)), (std::vector<std::string>{"old2", "old1", "old0"}));
}

TEST_F(ReadQueryTest, CountStopsAtTheCap) {
  for (int k = 0; k < 12; ++k) add("p" + std::to_string(k), "proposal");
  add("c", "closed");
  ItemQuery q;
  q.state = "proposal";
  q.limit = 2;
  int64_t total = -1;
  q.countCap = 5;
  EXPECT_EQ(store_->listItems(q, &total).size(), 2u);
  EXPECT_EQ(total, 6);  // cap + 1: "more than 5"
  q.countCap = 12;
  store_->listItems(q, &total);
  EXPECT_EQ(total, 12);  // exactly the cap: still exact
  q.countCap = 0;
  q.afterId = 1000;  // counts ignore the page bounds
  store_->listItems(q, &total);
  EXPECT_EQ(total, 12);
}

TEST_F(ReadQueryTest, TopStateFollowsEveryWrite) {
  const int64_t id = add("x", "deadline.on_track");
  ItemQuery q;
  q.state = "deadline";
  EXPECT_EQ(titles(store_->listItems(q)), std::vector<std::string>{"x"});

  // A plain projection update (the Engine's write path) moves it: the column is generated.
  auto tx = store_->beginWrite();
  auto item = tx->loadItem(id);
  ASSERT_TRUE(item);
  item->state = "followup";
  item->version = 2;
  tx->updateItem(*item, 1, false, false);
  tx->commit();
  EXPECT_TRUE(store_->listItems(q).empty());
  q.state = "followup";
  EXPECT_EQ(titles(store_->listItems(q)), std::vector<std::string>{"x"});
  EXPECT_EQ(testkit::queryOne(dir_.file("reads.db"), "SELECT top_state FROM items"), "followup");
}

TEST_F(ReadQueryTest, StateFilterIsAnsweredByAnIndex) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(dir_.file("reads.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "EXPLAIN QUERY PLAN SELECT id FROM items i WHERE i.community_id = 1"
                               " AND i.top_state = 'proposal' AND i.id < 10"
                               " ORDER BY i.id DESC LIMIT 20",
                               -1, &st, nullptr),
            SQLITE_OK);
  std::string details;
  while (sqlite3_step(st) == SQLITE_ROW)
    details += reinterpret_cast<const char*>(sqlite3_column_text(st, 3)) + std::string("\n");
  sqlite3_finalize(st);
  sqlite3_close(db);
  // "USING INDEX" or "USING COVERING INDEX", depending on the SQLite version.
  EXPECT_NE(details.find("INDEX items_by_community_top_state"), std::string::npos) << details;
  EXPECT_EQ(details.find("SCAN i"), std::string::npos) << details;       // no full table scan
  EXPECT_EQ(details.find("TEMP B-TREE"), std::string::npos) << details;  // no sort
}

// The desk's rules: one table of (user, expected lists and their items).
TEST_F(ReadQueryTest, DeskShowsEachRoleItsLists) {
  const int64_t other = addCommunity("elsewhere");
  const model::Position wuyeSupports{"wuye", "support", "", "", 0};
  add("discussed-by-wuye", "discussion", 0, {}, {wuyeSupports});
  add("waiting-for-wuye", "discussion", 0, {}, {{"dangwei", "support", "", "", 0}});
  add("led-by-wuye", "deadline.on_track", 0, {{"wuye", true, false}});
  add("co-by-wuye", "deadline.overdue", 0, {{"dangwei", true, false}, {"wuye", false, false}});
  add("led-by-dangwei", "deadline.due_soon", 0, {{"dangwei", true, false}}, {}, "2026-05-01");
  add("wuye-closed", "closed", 0, {{"wuye", true, false}});
  add("a-proposal", "proposal");
  add("to-assign", "assignment");
  add("to-review", "followup");
  add("other-overdue", "deadline.overdue", other, {{"wuye", true, false}});
  add("other-proposal", "proposal", other);

  model::User rep;
  rep.communityId = community_;
  rep.representative = true;
  rep.party = "wuye";
  model::User convener;
  convener.communityId = community_;
  convener.convener = true;
  model::User supervisor;  // tied to no community: sees all
  supervisor.supervisor = true;
  model::User nobody;
  nobody.communityId = community_;

  using Lists = std::map<std::string, std::vector<std::string>>;
  struct Case {
    const char* who;
    model::User user;
    Lists expected;
  };
  const std::vector<Case> cases = {
      {"representative",
       rep,
       {{"positions", {"waiting-for-wuye"}}, {"handling", {"co-by-wuye", "led-by-wuye"}}}},
      {"convener",
       convener,
       {{"proposals", {"a-proposal"}},
        {"assignment", {"to-assign"}},
        {"extensions", {"led-by-dangwei"}}}},
      {"supervisor",
       supervisor,
       {{"overdue", {"other-overdue", "co-by-wuye"}},
        {"due-soon", {"led-by-dangwei"}},
        {"review", {"to-review"}}}},
      {"no role", nobody, {}},
  };
  for (const auto& c : cases) {
    Lists got;
    std::vector<std::string> order;
    for (const auto& list : workflow::loadDesk(*store_, c.user, 20, 1000)) {
      got[list.section.key] = titles(list.items);
      order.push_back(list.section.key);
      EXPECT_EQ(list.total, static_cast<int64_t>(list.items.size())) << c.who;
      EXPECT_FALSE(list.totalCapped) << c.who;
    }
    EXPECT_EQ(got, c.expected) << c.who;
  }
}

TEST_F(ReadQueryTest, DeskListsShowTheirFirstItemsAndACappedCount) {
  for (int k = 0; k < 30; ++k) add("p" + std::to_string(k), "proposal");
  model::User convener;
  convener.communityId = community_;
  convener.convener = true;
  const auto desk = workflow::loadDesk(*store_, convener, 10, 25);
  ASSERT_FALSE(desk.empty());
  EXPECT_EQ(desk[0].section.key, "proposals");
  EXPECT_EQ(desk[0].items.size(), 10u);
  EXPECT_EQ(desk[0].items.front().title, "p29");
  EXPECT_TRUE(desk[0].totalCapped);
  EXPECT_EQ(desk[0].total, 26);
}

}  // namespace
}  // namespace liufang
