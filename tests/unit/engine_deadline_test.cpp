// workflow::Engine through a real SQLite file: the follow-up tick, the deadline sweep as the
// clock advances, allowedEvents() against what apply() accepts, and concurrent writers.
#include "EngineFixture.h"

using liufang::enginetest::EngineTest;
using namespace liufang::enginetest;

TEST_F(EngineTest, AssigningOneWorkingDayAheadTicksToDueSoonInTheSameTransaction) {
  const model::Item asg = itemAt("assignment");
  const model::Item it = fire(asg.id, "assign", town_.convener,
                              {{"lead", "wuye"}, {"standard", "明天前清理"}, {"working_days", 1}});
  EXPECT_EQ(it.due, "2026-11-19");
  EXPECT_EQ(it.state, "deadline.due_soon");
  EXPECT_EQ(workflow::Engine::light(it), "yellow");
  const auto log = store_->events(it.id);
  ASSERT_GE(log.size(), 2u);
  const auto& assign = log[log.size() - 2];
  const auto& tick = log.back();
  EXPECT_EQ(assign.type, "assign");
  EXPECT_EQ(assign.toState, "deadline.on_track");
  EXPECT_EQ(tick.type, "tick");
  EXPECT_EQ(tick.actorUser, 0) << "the follow-up tick is the system's";
  EXPECT_EQ(tick.actorParty, "");
  EXPECT_EQ(tick.fromState, "deadline.on_track");
  EXPECT_EQ(tick.toState, "deadline.due_soon");
  EXPECT_EQ(tick.at, assign.at);
  EXPECT_EQ(it.version, static_cast<int64_t>(log.size()));
  EXPECT_TRUE(workflow::verifyStore(*store_, model::HolidayCalendar::china()).ok);
}

TEST_F(EngineTest, SweepMovesLightsAsTheClockAdvancesAndIsIdempotent) {
  const auto& cal = model::HolidayCalendar::china();
  const model::Date today = *model::Date::parse(kToday);
  const model::Date due = cal.addWorkingDays(today, 6);
  const model::Item waiting = itemAt("proposal");
  model::Item it = itemAt("assignment");
  it = fire(it.id, "assign", town_.convener,
            {{"lead", "wuye"}, {"standard", "整改"}, {"due", due.str()}});
  ASSERT_EQ(it.state, "deadline.on_track");
  EXPECT_EQ(engine_->workingDaysLeft(it), 6);

  EXPECT_EQ(engine_->sweep(), 0) << "nothing is stale yet";
  const size_t base = eventCount(it.id);

  clock_.set(shanghai(cal.addWorkingDays(today, 3).str()));  // 3 working days left: still green
  EXPECT_EQ(engine_->sweep(), 0);
  EXPECT_EQ(store_->findItem(it.id)->state, "deadline.on_track");

  clock_.set(shanghai(cal.addWorkingDays(today, 4).str()));  // 2 left: yellow
  EXPECT_EQ(engine_->sweep(), 1);
  EXPECT_EQ(store_->findItem(it.id)->state, "deadline.due_soon");
  EXPECT_EQ(engine_->sweep(), 0) << "a second sweep at the same time moves nothing";
  EXPECT_EQ(eventCount(it.id), base + 1);
  EXPECT_EQ(store_->events(it.id).back().type, "tick");
  EXPECT_EQ(store_->events(it.id).back().actorUser, 0);

  clock_.set(shanghai(due.str(), 23));  // the evening of the due day: still yellow
  EXPECT_EQ(engine_->sweep(), 0);
  clock_.set(shanghai(due.plusDays(1).str(), 0));  // midnight after it (Shanghai): red
  EXPECT_EQ(engine_->sweep(), 1);
  it = *store_->findItem(it.id);
  EXPECT_EQ(it.state, "deadline.overdue");
  EXPECT_EQ(workflow::Engine::light(it), "red");
  EXPECT_LT(engine_->workingDaysLeft(it), 0);
  EXPECT_EQ(engine_->sweep(), 0);
  // Two ticks, plus the escalation ladder's first tier (urge) when the day after the due date
  // is a working day: one working day overdue.
  const size_t ladder = cal.workingDaysBetween(due, due.plusDays(1)) >= 1 ? 1 : 0;
  EXPECT_EQ(eventCount(it.id), base + 2 + ladder);

  // An explicit tick with nothing to change is refused, not logged.
  expectNothingWritten<Refused>(*store_, it.id, [&] { fire(it.id, "tick", town_.system); });
  EXPECT_EQ(store_->findItem(waiting.id)->version, 1) << "items outside Deadline are untouched";
  EXPECT_TRUE(workflow::verifyStore(*store_, cal).ok);
}

TEST_F(EngineTest, AllowedEventsAreExactlyWhatApplyAccepts) {
  const TestCommunity other = TestCommunity::create(*store_, "yangguang");
  const std::vector<std::pair<std::string, Actor>> actors = {
      {"convener", town_.convener},
      {"proposer juweihui", town_.rep("juweihui")},
      {"lead wuye", town_.rep("wuye")},
      {"co gongyi", town_.rep("gongyi")},
      {"bystander yeweihui", town_.rep("yeweihui")},
      {"supervisor", town_.supervisor},
      {"other convener", other.convener},
  };
  const std::vector<std::string> situations = {
      "proposal",           "discussion", "assignment", "deadline",           "deadline-codone",
      "deadline-extension", "followup",   "closed",     "closed-dissatisfied"};
  int accepted = 0, offeredCount = 0;
  for (const auto& situation : situations) {
    for (const auto& [name, who] : actors) {
      SCOPED_TRACE(situation + " as " + name);
      const model::Item probe = itemAt(situation);
      const auto allowed = engine_->allowedEvents(probe, who);
      for (const auto& name : testkit::personEvents()) {
        const auto& spec = *workflow::findItemEvent(name);
        const bool offered = std::count(allowed.begin(), allowed.end(), spec.name) > 0;
        if (offered) ++offeredCount;
        // Events the state does not take are refused on the probe itself; the others each
        // get a fresh item in the same situation.
        const model::Item target = spec.acceptedIn(probe.state) ? itemAt(situation) : probe;
        std::string verdict = "accepted";
        try {
          engine_->apply(target.id, validCommand(spec.name, who, target), who);
          ++accepted;
        } catch (const Error& e) {
          verdict = std::string(e.code()) + ": " + e.english();
        }
        EXPECT_EQ(offered, verdict == "accepted")
            << spec.name << (offered ? " offered" : " not offered") << " but apply gave "
            << verdict;
      }
    }
  }
  // Every offer was accepted and nothing else was (checked pair by pair above); the walk must
  // also have accepted something in every situation's share.
  EXPECT_EQ(accepted, offeredCount);
  EXPECT_GT(accepted, static_cast<int>(situations.size()));
}

TEST_F(EngineTest, ConcurrentWritersNeverLoseATransition) {
  // As many writer threads as the store has connections, all on one item: the HTTP server runs
  // far more threads (http.max_threads) than connections (db.pool_size). A second store on the
  // same file with a short busy timeout, so a stall shows up in seconds, not minutes.
  const model::Item it = itemAt("deadline");
  auto opts = testkit::testStoreOptions(dir_.file("engine.db"));
  opts.poolSize = 4;
  opts.busyTimeoutMs = 1000;
  auto store = model::openSqliteStore(opts);
  workflow::Engine engine(*store, clock_);
  constexpr int kThreads = 4, kEach = 25;
  std::atomic<int> failures{0};
  std::string firstFailure;
  std::mutex m;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        try {
          Command c("urge");
          c.set("note", "第 " + std::to_string(t) + "-" + std::to_string(i) + " 次催办");
          engine.apply(it.id, c, town_.supervisor);
        } catch (const std::exception& e) {
          std::lock_guard<std::mutex> lock(m);
          if (failures++ == 0) firstFailure = e.what();
        }
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0) << "first failure: " << firstFailure;
  const auto after = store_->findItem(it.id);
  EXPECT_EQ(after->urgeCount, kThreads * kEach - failures.load()) << "every success counted";
  EXPECT_EQ(after->version, static_cast<int64_t>(eventCount(it.id)));
  const auto rep = workflow::verifyStore(*store_, model::HolidayCalendar::china());
  EXPECT_TRUE(rep.ok) << rep.problem;
}
