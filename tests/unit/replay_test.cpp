// Restore-at-state equals replay-from-start. Engine::apply() never replays: it restores the
// machine at the stored state and takes one step. Here 1,000 random walks (fixed seed) go
// through apply() — random events among all twenty, plausible fields, mostly permitted actors,
// a clock that jumps by hours and days so ticks and deadlines happen — and every item's stored
// projection must equal replayLog() over its log, field by field. verifyStore() closes.
#include "workflow/Replay.h"

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>

#include "EngineTestKit.h"
#include "model/Errors.h"
#include "workflow/Engine.h"
#include "workflow/Events.h"
#include "workflow/Permissions.h"
#include "workflow/Verify.h"

using namespace liufang;
using liufang::testkit::shanghai;
using workflow::Actor;
using workflow::Command;

namespace {

constexpr int kSequences = 1000;
constexpr unsigned kSeed = 20261121;

// What happened to the commands of one event type.
struct Tally {
  int accepted = 0;
  std::map<std::string, int> refused;  // error code -> count
};

class RandomWalk {
 public:
  RandomWalk(model::Store& store, workflow::Engine& engine, model::ManualClock& clock,
             const testkit::TestCommunity& town, const testkit::TestCommunity& away)
      : store_(store), engine_(engine), clock_(clock), town_(town), rng_(kSeed) {
    for (const auto& [party, a] : town.reps) everyone_.push_back(a);
    everyone_.push_back(town.supervisor);
    everyone_.push_back(town.system);
    everyone_.push_back(away.convener);  // never permitted here
    everyone_.push_back(away.rep("wuye"));
    for (int i = 0; i < 3; ++i) {
      model::Meeting m;
      m.communityId = town.id;
      m.title = "例会 " + std::to_string(i + 1);
      m.date = "2026-0" + std::to_string(i + 1) + "-15";
      meetings_.push_back(store.addMeeting(m));
    }
  }

  // One sequence: a proposal, then `steps` random commands. Returns the item id.
  int64_t sequence() {
    // Somewhere in 2026, whose holidays and make-up working days the calendar knows.
    clock_.set(shanghai("2026-01-02", 9) + std::chrono::minutes(pick(60 * 24 * 340)));
    const Actor& proposer = everyone_[pick(6)];  // a representative (the first six)
    Command p("propose");
    p.set("title", "议题 " + std::to_string(items_.size() + 1))
        .set("description", "随机序列中的议题")
        .set("party", proposer.convener && chance(50) ? randomParty() : proposer.party);
    const model::Item created = engine_.propose(town_.id, p, proposer);
    ++tallies_["propose"].accepted;
    items_.push_back(created.id);

    const int steps = 8 + pick(40);
    for (int s = 0; s < steps; ++s) {
      advanceClock();
      const model::Item item = *store_.findItem(created.id);
      const std::string event = randomEvent(item);
      const Actor& who = randomActor(event, item);
      Command cmd = fieldsFor(event, who, item);
      try {
        engine_.apply(item.id, cmd, who);
        ++tallies_[event].accepted;
      } catch (const Error& e) {
        ++tallies_[event].refused[e.code()];
      }
    }
    return created.id;
  }

  const std::map<std::string, Tally>& tallies() const { return tallies_; }

 private:
  int pick(int n) { return static_cast<int>(rng_() % static_cast<unsigned>(n)); }
  bool chance(int percent) { return pick(100) < percent; }
  std::string randomParty() { return testkit::sixParties()[pick(6)]; }
  model::Date today() { return engine_.today(town_.id); }

  void advanceClock() {
    const int r = pick(100);
    if (r < 50)
      clock_.advance(std::chrono::minutes(pick(8 * 60)));
    else if (r < 85)
      clock_.advance(std::chrono::hours(24 * (1 + pick(3))));
    else
      clock_.advance(std::chrono::hours(24 * (4 + pick(12))));
  }

  // Mostly an event the item's state takes (so walks go deep); otherwise any of the twenty.
  std::string randomEvent(const model::Item& item) {
    std::vector<std::string> pool;
    const bool inState = chance(70);
    for (const auto& spec : workflow::eventSpecs())
      if (spec.name != "propose" && (!inState || workflow::acceptedIn(spec.name, item.state)))
        pool.push_back(spec.name);
    return pool[pick(static_cast<int>(pool.size()))];
  }

  // Mostly someone who may fire it; sometimes anyone at all.
  const Actor& randomActor(const std::string& event, const model::Item& item) {
    std::vector<const Actor*> permitted;
    for (const auto& a : everyone_)
      if (workflow::mayFire(event, item, a)) permitted.push_back(&a);
    if (permitted.empty() || chance(10)) return everyone_[pick(static_cast<int>(everyone_.size()))];
    return *permitted[pick(static_cast<int>(permitted.size()))];
  }

  std::string dayOffset(const std::string& from, int days) {
    auto d = model::Date::parse(from);
    return (d ? *d : today()).plusDays(days).str();
  }

  // Plausible fields; now and then a required one is left out (-> Invalid).
  Command fieldsFor(const std::string& event, const Actor& who, const model::Item& item) {
    Command c(event);
    const std::string n = std::to_string(pick(1000));
    const bool drop = chance(4);
    auto text = [&](const char* key, const std::string& value) {
      if (!drop) c.set(key, value);
    };
    if (event == "take_up") {
      if (chance(60)) c.set("meeting", meetings_[pick(static_cast<int>(meetings_.size()))]);
    } else if (event == "log_position") {
      static const char* stances[] = {"support", "oppose", "abstain", "supplement"};
      if (chance(50)) c.set("party", who.party);
      c.set("stance", stances[pick(4)]);
      text("reason", "理由 " + n);
    } else if (event == "defer" || event == "reopen") {
      text("reason", "原因 " + n);
    } else if (event == "dismiss" || event == "withdraw") {
      text("response", "答复 " + n);
    } else if (event == "merge") {
      c.set("into", items_[pick(static_cast<int>(items_.size()))]);
      text("response", "合并答复 " + n);
    } else if (event == "resolve") {
      text("decision", "决议 " + n);
    } else if (event == "assign") {
      const std::string lead = randomParty();
      c.set("lead", lead);
      Poco::JSON::Array::Ptr co = new Poco::JSON::Array;
      for (const auto& p : testkit::sixParties())
        if (p != lead && chance(20)) co->add(p);
      c.set("co", co);
      text("standard", "标准 " + n);
      if (chance(50))
        c.set("due", today().plusDays(pick(25) - 2).str());
      else
        c.set("working_days", 1 + pick(15));
    } else if (event == "report_progress") {
      text("text", "进展 " + n);
      if (chance(50))
        c.set("done", chance(50) ? Poco::Dynamic::Var(true) : Poco::Dynamic::Var("on"));
    } else if (event == "request_extension") {
      text("reason", "延期理由 " + n);
      c.set("due", dayOffset(item.due, pick(15) - 3));
    } else if (event == "decide_extension") {
      c.set("approve", chance(60) ? Poco::Dynamic::Var(true) : Poco::Dynamic::Var("false"));
      if (chance(50)) c.set("note", "审批意见 " + n);
    } else if (event == "urge" || event == "escalate") {
      text("note", "督办 " + n);
    } else if (event == "submit_result") {
      text("result", "结果 " + n);
    } else if (event == "accept") {
      if (chance(50)) c.set("note", "验收 " + n);
    } else if (event == "return_for_rework") {
      text("reason", "退回 " + n);
      c.set("due", today().plusDays(pick(20) - 2).str());
    } else if (event == "rate") {
      static const char* ratings[] = {"satisfied", "basically_satisfied", "dissatisfied"};
      c.set("rating", ratings[pick(3)]);
      if (chance(50)) c.set("comment", "评语 " + n);
    }
    return c;
  }

  model::Store& store_;
  workflow::Engine& engine_;
  model::ManualClock& clock_;
  const testkit::TestCommunity& town_;
  std::mt19937 rng_;
  std::vector<Actor> everyone_;  // the six representatives first
  std::vector<int64_t> meetings_;
  std::vector<int64_t> items_;
  std::map<std::string, Tally> tallies_;
};

}  // namespace

TEST(Replay, RestoreAtStateEqualsReplayFromStartOverRandomWalks) {
  spdlog::set_level(spdlog::level::warn);
  const auto started = std::chrono::steady_clock::now();
  testkit::TempDir dir("replay");
  auto store = model::openSqliteStore(testkit::testStoreOptions(dir.file("replay.db")));
  const auto town = testkit::TestCommunity::create(*store);
  const auto away = testkit::TestCommunity::create(*store, "yangguang");
  model::ManualClock clock(shanghai("2026-01-02"));
  const auto& calendar = model::HolidayCalendar::china();
  workflow::Engine engine(*store, clock, calendar);
  RandomWalk walk(*store, engine, clock, town, away);

  int mismatched = 0;
  for (int s = 0; s < kSequences; ++s) {
    const int64_t id = walk.sequence();
    const auto stored = store->findItem(id);
    ASSERT_TRUE(stored);
    const auto log = store->events(id);
    ASSERT_EQ(static_cast<int64_t>(log.size()), stored->version) << "item " << id;
    const model::Item replayed = workflow::replayLog(log, id, town.id, 480, calendar);
    const auto diff = testkit::projectionDiff(*stored, replayed);
    if (!diff.empty() && ++mismatched <= 5) {
      std::string lines;
      for (const auto& d : diff) lines += "\n  " + d;
      ADD_FAILURE() << "sequence " << s << ", item " << id << " (" << log.size()
                    << " events): stored | replayed differ in" << lines;
    }
  }
  EXPECT_EQ(mismatched, 0);

  const auto report = workflow::verifyStore(*store, calendar);
  EXPECT_TRUE(report.ok) << "item " << report.badItem << " seq " << report.badSeq << ": "
                         << report.problem;
  EXPECT_EQ(report.items, kSequences);

  // The coverage of the walk, so a reader sees every event was exercised.
  int accepted = 0, refused = 0;
  std::printf("%-18s %8s %8s   refused by reason\n", "event", "accepted", "refused");
  for (const auto& spec : workflow::eventSpecs()) {
    const auto it = walk.tallies().find(spec.name);
    const Tally t = it == walk.tallies().end() ? Tally{} : it->second;
    int r = 0;
    std::string why;
    for (const auto& [code, count] : t.refused) {
      r += count;
      why += " " + code + "=" + std::to_string(count);
    }
    std::printf("%-18s %8d %8d  %s\n", spec.name.c_str(), t.accepted, r, why.c_str());
    accepted += t.accepted;
    refused += r;
    EXPECT_GT(t.accepted, 0) << spec.name << " was never accepted in the walk";
  }
  std::printf("%-18s %8d %8d   (%lld events in the log; by state:", "total", accepted, refused,
              static_cast<long long>(report.events));
  for (const auto& [state, count] : report.byState)
    std::printf(" %s=%lld", state.c_str(), static_cast<long long>(count));
  std::printf(")\n");
  EXPECT_GT(refused, 0) << "refusals are part of the walk";
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("replay test took %.1f s\n", seconds);
}
