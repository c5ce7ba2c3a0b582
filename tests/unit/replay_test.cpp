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
#include "workflow/ItemEvents.h"
#include "workflow/MachineKind.h"
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
      workflow::Command c("schedule");
      c.set("title", "例会 " + std::to_string(i + 1)).set("kind", "regular");
      c.set("date", "2026-0" + std::to_string(i + 1) + "-15");
      meetings_.push_back(engine.create("meeting", town.id, c, town.convener).stream.id);
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
    for (const auto& spec : workflow::itemEvents())
      if (!spec.from.empty() && (!inState || spec.acceptedIn(item.state)))
        pool.push_back(spec.name);
    return pool[pick(static_cast<int>(pool.size()))];
  }

  // Mostly someone who may fire it; sometimes anyone at all.
  const Actor& randomActor(const std::string& event, const model::Item& item) {
    std::vector<const Actor*> permitted;
    for (const auto& a : everyone_)
      if (!workflow::denial(*workflow::findItemEvent(event), item, a)) permitted.push_back(&a);
    if (permitted.empty() || chance(10)) return everyone_[pick(static_cast<int>(everyone_.size()))];
    return *permitted[pick(static_cast<int>(permitted.size()))];
  }

  std::string dayOffset(const std::string& from, int days) {
    auto d = model::Date::parse(from);
    return (d ? *d : today()).plusDays(days).str();
  }

  // Fields from the shared table-derived fixture, varied at random: any lead and co-handling
  // parties, any choice, dates around the due date, a due date or a number of working days;
  // now and then a required field is left out (-> Invalid).
  Command fieldsFor(const std::string& event, const Actor&, const model::Item& item) {
    const auto& def = *workflow::findItemEvent(event);
    testkit::Sample sample;
    sample.party = randomParty();
    sample.co.clear();
    for (const auto& p : testkit::sixParties())
      if (p != sample.party && chance(20)) sample.co.push_back(p);
    sample.ref = event == "merge" ? items_[pick(static_cast<int>(items_.size()))]
                                  : meetings_[pick(static_cast<int>(meetings_.size()))];
    sample.date = event == "request_extension" ? dayOffset(item.due, pick(15) - 3)
                                               : today().plusDays(pick(25) - 2).str();
    Command c = testkit::validCommand(event, sample);
    const std::string n = std::to_string(pick(1000));
    std::vector<std::string> required;
    for (const auto& f : def.fields) {
      if (!f.onForm) continue;
      using K = workflow::FieldKind;
      switch (f.kind) {
        case K::Text:
        case K::LongText:
          if (f.required || chance(50))
            c.set(f.name, f.label + " " + n);
          else
            c.fields->remove(f.name);
          break;
        case K::Choice:
          c.set(f.name, f.choices[pick(static_cast<int>(f.choices.size()))]);
          break;
        case K::Flag:
        case K::YesNo:
          c.set(f.name, chance(60) ? Poco::Dynamic::Var(true)
                                   : Poco::Dynamic::Var(chance(50) ? "false" : "on"));
          break;
        case K::MeetingRef:
          if (chance(60)) c.set(f.name, sample.ref);
          break;
        case K::Count:
          if (chance(50)) c.fields->remove("due"), c.set(f.name, 1 + pick(15));
          break;
        default:
          break;
      }
      if (f.required && f.kind != K::Choice) required.push_back(f.name);
    }
    if (!required.empty() && chance(4))
      c.fields->remove(required[pick(static_cast<int>(required.size()))]);
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
  for (const auto& spec : workflow::itemEvents()) {
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
