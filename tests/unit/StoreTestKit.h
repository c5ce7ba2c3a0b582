#pragma once
// The StoreTest fixture: a model::Store over a real SQLite file in a fresh temporary folder
// per test, and helpers for comparing items (store_test.cpp, store_rows_test.cpp).
#include "model/Store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <random>
#include <thread>

#include "EngineTestKit.h"
#include "model/Errors.h"
#include "model/Hash.h"

namespace liufang::model {
// Not in an anonymous namespace: the test suite StoreTest spans two files and must be one class.

namespace fs = std::filesystem;

using testkit::queryOne;
using testkit::TempDir;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }

  void open(Synchronous sync = Synchronous::Full) {
    store_.reset();
    StoreOptions o;
    o.path = dir_.file("sub/folder/liufang.db");  // parent folders do not exist yet
    o.synchronous = sync;
    o.poolSize = 4;
    store_ = openSqliteStore(o);
  }
  std::string dbPath() const { return dir_.file("sub/folder/liufang.db"); }

  int64_t community(const std::string& code = "taoyuanju") {
    Community c;
    c.code = code;
    c.name = code + "社区";
    return store_->addCommunity(c);
  }

  // Inserts an item and its first event, committed; returns the stored id.
  int64_t insert(Item item) {
    auto tx = store_->beginWrite();
    tx->insertItem(item);
    EventRecord e;
    e.streamId = item.id;
    e.seq = 1;
    e.at = "2026-03-01T08:00:00.000Z";
    e.type = "propose";
    e.payload = "{}";
    e.toState = item.state;
    e.prevHash = genesisHash(item.id);
    e.hash = eventHash(e);
    tx->appendEvent(e);
    tx->commit();
    return item.id;
  }

  Item simpleItem(int64_t communityId, const std::string& title, const std::string& state,
                  const std::string& party = "wuye") {
    Item i;
    i.communityId = communityId;
    i.title = title;
    i.state = state;
    i.proposerParty = party;
    i.version = 1;
    return i;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

// Every field set to something other than its default.
inline Item fullItem(int64_t communityId) {
  Item i;
  i.communityId = communityId;
  i.title = "小区东门路灯不亮 'quoted' \"double\"";
  i.description = "多行\n说明 <b>bold</b> 100%_done";
  i.proposerParty = "yeweihui";
  i.proposerUser = 7;
  i.state = "deadline.due_soon";
  i.outcome = "resolved";
  i.response = "已修复";
  i.decision = "物业牵头维修";
  i.handlers = {{"wuye", true, false}, {"juweihui", false, true}, {"gongyi", false, false}};
  i.standard = "三日内恢复照明";
  i.due = "2026-03-10";
  i.extensionDue = "2026-03-17";
  i.extensionReason = "等待配件";
  i.result = "更换灯具";
  i.rating = "basically_satisfied";
  i.ratingComment = "有点慢";
  i.urgeCount = 2;
  i.escalated = true;
  i.reworkCount = 1;
  i.meetingId = 3;
  i.mergedInto = 4;
  i.createdAt = "2026-03-01T08:00:00.000Z";
  i.updatedAt = "2026-03-05T09:30:00.250Z";
  i.assignedAt = "2026-03-02T10:00:00.000Z";
  i.submittedAt = "2026-03-04T11:00:00.000Z";
  i.closedAt = "2026-03-05T09:30:00.250Z";
  i.positions = {{"yeweihui", "support", "业主迫切", "2026-03-01T09:00:00.000Z", 7},
                 {"dangwei", "supplement", "注意安全", "2026-03-01T09:05:00.000Z", 1}};
  i.version = 1;
  i.lastHash = std::string(64, 'a');
  return i;
}

inline void expectSameItem(const Item& a, const Item& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.communityId, b.communityId);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.proposerParty, b.proposerParty);
  EXPECT_EQ(a.proposerUser, b.proposerUser);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.outcome, b.outcome);
  EXPECT_EQ(a.response, b.response);
  EXPECT_EQ(a.decision, b.decision);
  ASSERT_EQ(a.handlers.size(), b.handlers.size());
  for (size_t k = 0; k < a.handlers.size(); ++k) {
    EXPECT_EQ(a.handlers[k].party, b.handlers[k].party) << k;
    EXPECT_EQ(a.handlers[k].lead, b.handlers[k].lead) << k;
    EXPECT_EQ(a.handlers[k].done, b.handlers[k].done) << k;
  }
  EXPECT_EQ(a.standard, b.standard);
  EXPECT_EQ(a.due, b.due);
  EXPECT_EQ(a.extensionDue, b.extensionDue);
  EXPECT_EQ(a.extensionReason, b.extensionReason);
  EXPECT_EQ(a.result, b.result);
  EXPECT_EQ(a.rating, b.rating);
  EXPECT_EQ(a.ratingComment, b.ratingComment);
  EXPECT_EQ(a.urgeCount, b.urgeCount);
  EXPECT_EQ(a.escalated, b.escalated);
  EXPECT_EQ(a.reworkCount, b.reworkCount);
  EXPECT_EQ(a.meetingId, b.meetingId);
  EXPECT_EQ(a.mergedInto, b.mergedInto);
  EXPECT_EQ(a.createdAt, b.createdAt);
  EXPECT_EQ(a.updatedAt, b.updatedAt);
  EXPECT_EQ(a.assignedAt, b.assignedAt);
  EXPECT_EQ(a.submittedAt, b.submittedAt);
  EXPECT_EQ(a.closedAt, b.closedAt);
  ASSERT_EQ(a.positions.size(), b.positions.size());
  for (size_t k = 0; k < a.positions.size(); ++k) {
    EXPECT_EQ(a.positions[k].party, b.positions[k].party) << k;
    EXPECT_EQ(a.positions[k].stance, b.positions[k].stance) << k;
    EXPECT_EQ(a.positions[k].reason, b.positions[k].reason) << k;
    EXPECT_EQ(a.positions[k].at, b.positions[k].at) << k;
    EXPECT_EQ(a.positions[k].userId, b.positions[k].userId) << k;
  }
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.lastHash, b.lastHash);
}

inline std::vector<std::string> titles(const std::vector<Item>& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.title);
  return out;
}

}  // namespace liufang::model
