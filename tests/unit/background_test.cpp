// workflow::BackgroundWork on a real SQLite file: start() refreshes deadline lights and purges
// idle sessions at once, then keeps doing both on its timer thread; stop() ends it.
#include "workflow/Background.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <thread>

#include "EngineTestKit.h"
#include "model/Calendar.h"

using namespace liufang;
using namespace std::chrono_literals;
using testkit::shanghai;

namespace {

const char* kToday = "2026-11-18";  // a Wednesday with no holiday near it

class BackgroundTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spdlog::set_level(spdlog::level::warn);
    store_ = model::openSqliteStore(testkit::testStoreOptions(dir_.file("background.db")));
    town_ = testkit::TestCommunity::create(*store_);
  }

  // An item in Deadline, on track, due `workingDays` working days after kToday.
  int64_t itemDueIn(int workingDays) {
    workflow::Engine engine(*store_, clock_);
    workflow::Command propose("propose");
    propose.set("title", "路灯不亮").set("description", "南区步道").set("party", "juweihui");
    const int64_t id = engine.propose(town_.id, propose, town_.rep("juweihui")).id;
    engine.apply(id, workflow::Command("take_up"), town_.convener);
    engine.apply(id, workflow::Command("resolve").set("decision", "物业更换路灯"), town_.convener);
    const model::Date due =
        model::HolidayCalendar::china().addWorkingDays(*model::Date::parse(kToday), workingDays);
    const model::Item it = engine.apply(id,
                                        workflow::Command("assign")
                                            .set("lead", "wuye")
                                            .set("standard", "全部亮灯")
                                            .set("due", due.str()),
                                        town_.convener);
    EXPECT_EQ(it.state, "deadline.on_track");
    return id;
  }

  void sessionSeenAt(const std::string& token, model::Instant at) {
    model::WebSession s;
    s.tokenHash = token;
    s.userId = town_.convener.userId;
    s.csrfToken = "csrf";
    s.createdAt = s.lastSeenAt = model::formatInstant(at);
    store_->saveSession(s);
  }

  // Waits up to two seconds for pred to hold.
  template <class Pred>
  bool eventually(Pred pred) {
    for (int i = 0; i < 200; ++i) {
      if (pred()) return true;
      std::this_thread::sleep_for(10ms);
    }
    return pred();
  }

  testkit::TempDir dir_{"background"};
  std::unique_ptr<model::Store> store_;
  testkit::TestCommunity town_;
  model::ManualClock clock_{shanghai(kToday)};
};

TEST_F(BackgroundTest, StartSweepsAndPurgesAtOnceThenOnItsTimer) {
  const int64_t item = itemDueIn(6);
  sessionSeenAt("idle", clock_.now() - 31min);
  sessionSeenAt("fresh", clock_.now() - 5min);

  workflow::BackgroundOptions options;
  options.sweepInterval = options.purgeInterval = 20ms;
  options.sessionIdle = 30min;
  workflow::BackgroundWork work(*store_, clock_, options);
  work.start();
  EXPECT_FALSE(store_->findSession("idle")) << "purged before start() returns";
  EXPECT_TRUE(store_->findSession("fresh"));
  EXPECT_EQ(store_->findItem(item)->state, "deadline.on_track") << "6 working days left: green";

  // Time passes: two working days before the due date the light turns yellow, and the fresh
  // session goes idle; the timer thread notices both without being asked.
  clock_.set(shanghai(
      model::HolidayCalendar::china().addWorkingDays(*model::Date::parse(kToday), 4).str()));
  EXPECT_TRUE(eventually([&] { return store_->findItem(item)->state == "deadline.due_soon"; }))
      << store_->findItem(item)->state;
  EXPECT_EQ(store_->events(item).back().type, "tick");
  EXPECT_EQ(store_->events(item).back().actorUser, 0) << "the system's tick";
  EXPECT_TRUE(eventually([&] { return !store_->findSession("fresh"); }));

  // After stop() nothing runs: a session that goes idle stays until the next start().
  work.stop();
  sessionSeenAt("later", clock_.now() - 31min);
  std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(store_->findSession("later"));
  work.stop();  // a second stop is harmless
}

TEST_F(BackgroundTest, NothingRunsBeforeStart) {
  sessionSeenAt("idle", clock_.now() - 31min);
  workflow::BackgroundOptions options;
  options.sweepInterval = options.purgeInterval = 10ms;
  {
    workflow::BackgroundWork work(*store_, clock_, options);
    std::this_thread::sleep_for(50ms);
    EXPECT_TRUE(store_->findSession("idle"));
    work.stop();  // stop without start is harmless
  }
  EXPECT_TRUE(store_->findSession("idle"));
}

}  // namespace
