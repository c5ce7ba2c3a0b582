// The in-app inbox (migration 010): notices are written in the event's own transaction, to the
// representatives the kind names, and a refused event leaves none.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <Poco/JSON/Array.h>

#include "EngineTestKit.h"
#include "model/Errors.h"

using namespace liufang;
using testkit::shanghai;

namespace {

class InboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spdlog::set_level(spdlog::level::warn);
    store_ = model::openSqliteStore(testkit::testStoreOptions(dir_.file("inbox.db")));
    town_ = testkit::TestCommunity::create(*store_);
  }

  int64_t resolved(workflow::Engine& engine) { return town_.resolvedItem(engine); }
  int unread(const std::string& party) {
    return store_->unreadNotices(town_.rep(party).userId, 99);
  }

  testkit::TempDir dir_{"inbox"};
  std::unique_ptr<model::Store> store_;
  testkit::TestCommunity town_;
};

TEST_F(InboxTest, AssignNotifiesTheHandlingPartiesOnly) {
  model::ManualClock clock(shanghai("2026-11-16", 9));
  workflow::Engine engine(*store_, clock);
  const int64_t id = resolved(engine);
  EXPECT_EQ(unread("wuye"), 0);
  engine.apply(id,
               workflow::Command("assign").set("lead", "wuye").set("standard", "亮灯").set(
                   "due", "2026-12-31"),
               town_.convener);
  ASSERT_EQ(unread("wuye"), 1);
  EXPECT_EQ(unread("juweihui"), 0);
  EXPECT_EQ(store_->unreadNotices(town_.convener.userId, 99), 0);
  EXPECT_EQ(store_->unreadNotices(town_.supervisor.userId, 99), 0);
  const auto n = store_->notices(town_.rep("wuye").userId, 10);
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].kind, "item");
  EXPECT_EQ(n[0].streamId, id);
  EXPECT_EQ(n[0].type, "assign");
  EXPECT_FALSE(n[0].read);
  store_->markNoticesRead(town_.rep("wuye").userId, 0);
  EXPECT_EQ(unread("wuye"), 0);
  EXPECT_TRUE(store_->notices(town_.rep("wuye").userId, 10)[0].read);
}

TEST_F(InboxTest, RefusedEventLeavesNoNotice) {
  model::ManualClock clock(shanghai("2026-11-16", 9));
  workflow::Engine engine(*store_, clock);
  const int64_t id = resolved(engine);
  // A due date in the past is refused after the machine ran: the transaction rolls back.
  EXPECT_ANY_THROW(engine.apply(
      id,
      workflow::Command("assign").set("lead", "wuye").set("standard", "亮灯").set("due",
                                                                                 "2026-01-01"),
      town_.convener));
  EXPECT_EQ(unread("wuye"), 0);
  EXPECT_TRUE(store_->notices(town_.rep("wuye").userId, 10).empty());
}

TEST_F(InboxTest, SweepOverdueTickNotifiesTheLead) {
  model::ManualClock clock(shanghai("2026-11-16", 9));
  workflow::Engine engine(*store_, clock);
  const int64_t id = resolved(engine);
  engine.apply(id,
               workflow::Command("assign").set("lead", "wuye").set("standard", "亮灯").set(
                   "due", "2026-11-30"),
               town_.convener);
  store_->markNoticesRead(town_.rep("wuye").userId, 0);
  clock.set(shanghai("2026-12-02", 9));
  engine.sweep();
  ASSERT_EQ(store_->findItem(id)->state, "deadline.overdue");
  const auto n = store_->notices(town_.rep("wuye").userId, 10);
  // The sweep's ticks (due soon, then overdue) and the ladder's urge, all unread.
  int ticks = 0;
  for (const auto& x : n)
    if (x.type == "tick" && !x.read) ++ticks;
  EXPECT_GE(ticks, 1);
  EXPECT_GE(unread("wuye"), 2);
  EXPECT_EQ(unread("juweihui"), 0);
}

TEST_F(InboxTest, ScheduledMeetingNotifiesEveryRepresentative) {
  model::ManualClock clock(shanghai("2026-11-16", 9));
  workflow::Engine engine(*store_, clock);
  workflow::Command c("schedule");
  Poco::JSON::Array::Ptr agenda = new Poco::JSON::Array;
  c.set("title", "例会").set("kind", "adhoc").set("date", "2026-11-18").set("agenda", agenda);
  const int64_t m = engine.create("meeting", town_.id, c, town_.convener).stream.id;
  for (const auto& [party, actor] : town_.reps) {
    ASSERT_EQ(unread(party), 1) << party;
    const auto n = store_->notices(actor.userId, 10);
    EXPECT_EQ(n[0].kind, "meeting");
    EXPECT_EQ(n[0].streamId, m);
    EXPECT_EQ(n[0].type, "schedule");
  }
  EXPECT_EQ(store_->unreadNotices(town_.supervisor.userId, 99), 0);
}

}  // namespace
