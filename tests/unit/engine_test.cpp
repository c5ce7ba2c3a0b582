// workflow::Engine through a real SQLite file: the lifecycle as the right people see it, the
// round trip through the disk, every typed error (and that a refusal writes nothing), the
// follow-up tick, the deadline sweep, and allowedEvents() against what apply() accepts.
#include "workflow/Engine.h"

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "EngineTestKit.h"
#include "model/Errors.h"
#include "model/Hash.h"
#include "workflow/ItemEvents.h"
#include "workflow/Verify.h"

using namespace liufang;
using liufang::testkit::shanghai;
using liufang::testkit::TempDir;
using liufang::testkit::TestCommunity;
using workflow::Actor;
using workflow::Command;

namespace {

const char* kToday = "2026-11-18";  // a Wednesday with no holiday near it
const char* kFarDue = "2026-12-31";

// Command fields as a table cell (a vector, so it may be stored in a case row).
using Fields = std::vector<std::pair<std::string, Poco::Dynamic::Var>>;

Poco::JSON::Array::Ptr list(std::initializer_list<const char*> codes) {
  Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
  for (const char* c : codes) a->add(std::string(c));
  return a;
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spdlog::set_level(spdlog::level::warn);
    open();
    town_ = TestCommunity::create(*store_);
  }

  void open() {
    store_ = model::openSqliteStore(testkit::testStoreOptions(dir_.file("engine.db")));
    engine_ = std::make_unique<workflow::Engine>(*store_, clock_);
  }
  void close() {
    engine_.reset();
    store_.reset();
  }

  model::Item propose(const std::string& party = "juweihui") {
    Command c("propose");
    c.set("title", "楼上高空坠物")
        .set("description", "3 栋连续两周有人往下扔垃圾")
        .set("party", party);
    return engine_->propose(town_.id, c, town_.rep(party));
  }

  model::Item fire(int64_t id, const std::string& type, const Actor& who,
                   std::initializer_list<std::pair<const char*, Poco::Dynamic::Var>> fields = {}) {
    Command c(type);
    for (const auto& [k, v] : fields) c.set(k, v);
    return engine_->apply(id, c, who);
  }

  // A valid command for `type`, fired by `who`, on `item` as it stands.
  // The shared table-derived fixture, with this community's references: wuye leads and
  // gongyi co-handles; an extension asks for a week more.
  Command validCommand(const std::string& type, const Actor&, const model::Item& item) {
    testkit::Sample s;
    s.co = {"gongyi"};
    s.date = kFarDue;
    if (type == "merge") s.ref = mergeTarget();
    if (type == "take_up") s.ref = meetingId();
    if (type == "request_extension" || type == "return_for_rework") {
      auto due = model::Date::parse(item.due);
      s.date = due ? due->plusDays(7).str() : kFarDue;
    }
    Command c = testkit::validCommand(type, s);
    if (type == "take_up") c.set("meeting", s.ref);
    return c;
  }

  int64_t meetingId() {
    if (meeting_ == 0) {
      Command c("schedule");
      c.set("title", "十一月例会").set("kind", "regular").set("date", kToday);
      meeting_ = engine_->create("meeting", town_.id, c, town_.convener).stream.id;
    }
    return meeting_;
  }
  int64_t mergeTarget() {
    if (mergeTarget_ == 0) mergeTarget_ = propose("yeweihui").id;
    return mergeTarget_;
  }

  // A fresh item brought to `situation` through the Engine, by the right people:
  // proposal, discussion, assignment, deadline (co part open), deadline-codone,
  // deadline-extension (pending request), followup, closed, closed-dissatisfied.
  model::Item itemAt(const std::string& situation) {
    model::Item it = propose();
    if (situation == "proposal") return it;
    it = fire(it.id, "take_up", town_.convener, {{"meeting", meetingId()}});
    if (situation == "discussion") return it;
    it = engine_->apply(it.id, validCommand("resolve", town_.convener, it), town_.convener);
    if (situation == "assignment") return it;
    it = engine_->apply(it.id, validCommand("assign", town_.convener, it), town_.convener);
    if (situation == "deadline") return it;
    if (situation == "deadline-extension")
      return engine_->apply(it.id, validCommand("request_extension", town_.rep("wuye"), it),
                            town_.rep("wuye"));
    it = fire(it.id, "report_progress", town_.rep("gongyi"),
              {{"text", "协办部分完成"}, {"done", true}});
    if (situation == "deadline-codone") return it;
    it = fire(it.id, "submit_result", town_.rep("wuye"), {{"result", "监控已安装并公示"}});
    if (situation == "followup") return it;
    it = fire(it.id, "accept", town_.supervisor);
    if (situation == "closed") return it;
    it = fire(it.id, "rate", town_.rep("juweihui"), {{"rating", "dissatisfied"}});
    if (situation == "closed-dissatisfied") return it;
    ADD_FAILURE() << "unknown situation " << situation;
    return it;
  }

  size_t eventCount(int64_t id) { return store_->events(id).size(); }

  TempDir dir_{"engine"};
  model::ManualClock clock_{shanghai(kToday)};
  std::unique_ptr<model::Store> store_;
  std::unique_ptr<workflow::Engine> engine_;
  TestCommunity town_;
  int64_t meeting_ = 0;
  int64_t mergeTarget_ = 0;
};

// Asserts that `call` throws E, that the item's log and version did not move, and returns the
// error's English reason (empty on failure).
template <class E, class F>
std::string expectNothingWritten(model::Store& store, int64_t id, F&& call) {
  const auto before = store.findItem(id);
  const size_t eventsBefore = before ? store.events(id).size() : 0;
  std::string reason;
  try {
    call();
    ADD_FAILURE() << "expected " << typeid(E).name() << ", the call succeeded";
  } catch (const E& e) {
    EXPECT_STRNE(e.what(), "") << "a refusal carries a zh-CN reason";
    EXPECT_FALSE(e.english().empty()) << "a refusal carries an English reason";
    reason = e.english();
  } catch (const Error& e) {
    ADD_FAILURE() << "expected " << typeid(E).name() << ", got " << e.code() << ": " << e.english();
  }
  if (before) {
    const auto after = store.findItem(id);
    EXPECT_EQ(after->version, before->version);
    EXPECT_EQ(after->state, before->state);
    EXPECT_EQ(after->lastHash, before->lastHash);
    EXPECT_EQ(store.events(id).size(), eventsBefore);
  }
  return reason;
}

}  // namespace

TEST_F(EngineTest, FullLifecycleFromProposalToClosed) {
  const Actor& proposer = town_.rep("juweihui");
  model::Item it = propose();
  EXPECT_EQ(it.state, "proposal");
  EXPECT_EQ(it.proposerParty, "juweihui");
  EXPECT_EQ(it.proposerUser, proposer.userId);
  EXPECT_EQ(it.version, 1);

  it = fire(it.id, "take_up", town_.convener, {{"meeting", meetingId()}});
  EXPECT_EQ(it.state, "discussion");
  EXPECT_EQ(it.meetingId, meetingId());
  it = fire(it.id, "log_position", town_.rep("wuye"),
            {{"stance", "oppose"}, {"reason", "费用不足"}});
  it = fire(it.id, "log_position", town_.rep("wuye"),
            {{"stance", "support"}, {"reason", "同意加装"}});
  it = fire(it.id, "log_position", proposer, {{"stance", "supplement"}, {"reason", "需公示"}});
  ASSERT_EQ(it.positions.size(), 2u) << "a revised position replaces the party's earlier one";
  EXPECT_EQ(it.positions[0].party, "wuye");
  EXPECT_EQ(it.positions[0].stance, "support");
  EXPECT_EQ(it.positions[1].party, "juweihui");

  it = fire(it.id, "resolve", town_.convener, {{"decision", "物业牵头加装监控，公益中心协办"}});
  EXPECT_EQ(it.state, "assignment");
  it = fire(it.id, "assign", town_.convener,
            {{"lead", "wuye"},
             {"co", list({"gongyi"})},
             {"standard", "两周内安装并公示"},
             {"due", kFarDue}});
  EXPECT_EQ(it.state, "deadline.on_track");
  EXPECT_EQ(it.lead(), "wuye");
  EXPECT_EQ(it.co(), std::vector<std::string>{"gongyi"});
  EXPECT_EQ(it.due, kFarDue);

  it = fire(it.id, "urge", town_.supervisor, {{"note", "请尽快"}});
  EXPECT_EQ(it.urgeCount, 1);
  it = fire(it.id, "report_progress", town_.rep("gongyi"),
            {{"text", "已联系供应商"}, {"done", true}});
  EXPECT_TRUE(it.handlers[1].done);
  it = fire(it.id, "submit_result", town_.rep("wuye"), {{"result", "监控已安装，结果已公示"}});
  EXPECT_EQ(it.state, "followup");
  it = fire(it.id, "accept", town_.supervisor, {{"note", "验收通过"}});
  EXPECT_EQ(it.state, "closed");
  EXPECT_EQ(it.outcome, "resolved");
  EXPECT_EQ(it.response, "监控已安装，结果已公示") << "closing carries the result as the answer";
  it = fire(it.id, "rate", proposer, {{"rating", "satisfied"}, {"comment", "效果很好"}});
  EXPECT_EQ(it.rating, "satisfied");

  const auto log = store_->events(it.id);
  std::vector<std::string> types;
  for (const auto& e : log) types.push_back(e.type);
  EXPECT_EQ(types,
            (std::vector<std::string>{"propose", "take_up", "log_position", "log_position",
                                      "log_position", "resolve", "assign", "urge",
                                      "report_progress", "submit_result", "accept", "rate"}));
  EXPECT_EQ(it.version, static_cast<int64_t>(log.size()));
  EXPECT_EQ(it.lastHash, log.back().hash);
  EXPECT_EQ(log[9].actorUser, town_.rep("wuye").userId);
  EXPECT_EQ(log[9].actorParty, "wuye");
  EXPECT_EQ(log[9].fromState, "deadline.on_track");
  EXPECT_EQ(log[9].toState, "followup");
  EXPECT_EQ(log[0].at, model::formatInstant(shanghai(kToday)));
  EXPECT_EQ(log[0].prevHash, model::genesisHash(it.id));
  for (size_t i = 1; i < log.size(); ++i) EXPECT_EQ(log[i].prevHash, log[i - 1].hash);

  const auto stored = store_->findItem(it.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(testkit::projectionDiff(*stored, it), std::vector<std::string>{})
      << "apply() returns what it stored";
  EXPECT_TRUE(workflow::verifyStore(*store_, model::HolidayCalendar::china()).ok);
}

TEST_F(EngineTest, ReopenedStoreHoldsTheSameItemsAndLogs) {
  std::vector<int64_t> ids;
  for (const char* s : {"proposal", "discussion", "deadline-extension", "closed-dissatisfied"})
    ids.push_back(itemAt(s).id);
  std::map<int64_t, model::Item> items;
  std::map<int64_t, std::vector<std::string>> logs;
  for (int64_t id : ids) {
    items[id] = *store_->findItem(id);
    for (const auto& e : store_->events(id)) logs[id].push_back(testkit::describe(e));
  }

  close();
  open();

  for (int64_t id : ids) {
    const auto again = store_->findItem(id);
    ASSERT_TRUE(again) << "item " << id << " after reopening";
    EXPECT_EQ(testkit::projectionDiff(*again, items[id]), std::vector<std::string>{}) << id;
    std::vector<std::string> log;
    for (const auto& e : store_->events(id)) log.push_back(testkit::describe(e));
    EXPECT_EQ(log, logs[id]) << id;
  }
  // The chain continues where it stopped.
  const int64_t closed = ids.back();
  auto it = fire(closed, "reopen", town_.supervisor, {{"reason", "居民不满意"}});
  EXPECT_EQ(it.state, "discussion");
  EXPECT_EQ(store_->events(closed)[it.version - 1].prevHash, items[closed].lastHash);
  const auto rep = workflow::verifyStore(*store_, model::HolidayCalendar::china());
  EXPECT_TRUE(rep.ok) << rep.problem;
  EXPECT_EQ(rep.items, static_cast<int64_t>(ids.size()));
}

struct RefusalCase {
  const char* situation;
  const char* event;
  const char* actor;     // convener, supervisor, or a party code
  const char* mentions;  // a word the English reason must contain
};

TEST_F(EngineTest, EventsNotAllowedNowAreRefusedWithAReason) {
  const std::vector<RefusalCase> cases = {
      {"proposal", "resolve", "convener", "Proposal"},
      {"proposal", "log_position", "wuye", "Proposal"},
      {"discussion", "assign", "convener", "Discussion"},
      {"assignment", "urge", "supervisor", "Assignment"},
      {"deadline", "accept", "supervisor", "Being handled"},
      {"deadline", "submit_result", "wuye", "gongyi"},  // the co-handling part is not done
      {"deadline", "decide_extension", "convener", "no pending extension"},
      {"deadline-extension", "request_extension", "wuye", "already pending"},
      {"followup", "urge", "supervisor", "Under review"},
      {"closed", "withdraw", "juweihui", "Closed"},
      {"closed-dissatisfied", "rate", "juweihui", "already been rated"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.situation) + " x " + c.event);
    const model::Item it = itemAt(c.situation);
    const Actor& who = std::string(c.actor) == "convener"     ? town_.convener
                       : std::string(c.actor) == "supervisor" ? town_.supervisor
                                                              : town_.rep(c.actor);
    const std::string why = expectNothingWritten<Refused>(
        *store_, it.id, [&] { engine_->apply(it.id, validCommand(c.event, who, it), who); });
    EXPECT_NE(why.find(c.mentions), std::string::npos) << why;
  }
  // Guards that depend on time: an assignment due yesterday, an escalation twice.
  const model::Item a = itemAt("assignment");
  expectNothingWritten<Refused>(*store_, a.id, [&] {
    fire(a.id, "assign", town_.convener,
         {{"lead", "wuye"}, {"standard", "整改"}, {"due", "2026-11-17"}});
  });
  const model::Item d = itemAt("deadline");
  fire(d.id, "escalate", town_.supervisor, {{"note", "挂牌"}});
  expectNothingWritten<Refused>(*store_, d.id, [&] {
    fire(d.id, "escalate", town_.supervisor, {{"note", "再挂"}});
  });
}

TEST_F(EngineTest, WrongRoleOrPartyIsForbiddenAndChangesNothing) {
  const TestCommunity other = TestCommunity::create(*store_, "yangguang");
  const model::Item disc = itemAt("discussion");
  const model::Item dl = itemAt("deadline");
  const model::Item fu = itemAt("followup");
  const model::Item closed = itemAt("closed");

  struct Case {
    const char* what;
    int64_t item;
    std::string event;
    Actor who;
    Fields fields;
  };
  const std::vector<Case> cases = {
      {"wuye logs juweihui's position",
       disc.id,
       "log_position",
       town_.rep("wuye"),
       {{"party", "juweihui"}, {"stance", "support"}, {"reason", "代为表态"}}},
      {"a supervisor logs a position",
       disc.id,
       "log_position",
       town_.supervisor,
       {{"party", "juweihui"}, {"stance", "support"}, {"reason", "x"}}},
      {"a representative resolves", disc.id, "resolve", town_.rep("juweihui"), {{"decision", "d"}}},
      {"the system resolves", disc.id, "resolve", town_.system, {{"decision", "d"}}},
      {"the convener ticks", dl.id, "tick", town_.convener, {}},
      {"a co-handling party submits the result",
       dl.id,
       "submit_result",
       town_.rep("gongyi"),
       {{"result", "r"}}},
      {"a bystander reports progress",
       dl.id,
       "report_progress",
       town_.rep("yeweihui"),
       {{"text", "t"}}},
      {"the convener urges", dl.id, "urge", town_.convener, {{"note", "n"}}},
      {"the lead asks for more time from another party's seat",
       dl.id,
       "request_extension",
       town_.rep("juweihui"),
       {{"reason", "r"}, {"due", "2027-01-29"}}},
      {"the lead accepts its own result", fu.id, "accept", town_.rep("wuye"), {}},
      {"the proposer accepts", fu.id, "accept", town_.rep("juweihui"), {}},
      {"a party that did not propose rates",
       closed.id,
       "rate",
       town_.rep("wuye"),
       {{"rating", "satisfied"}}},
      {"a supervisor reopens without a dissatisfied rating",
       closed.id,
       "reopen",
       town_.supervisor,
       {{"reason", "r"}}},
      {"the proposer reopens", closed.id, "reopen", town_.rep("juweihui"), {{"reason", "r"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    expectNothingWritten<Forbidden>(*store_, c.item, [&] {
      Command cmd(c.event);
      for (const auto& [k, v] : c.fields) cmd.set(k, v);
      engine_->apply(c.item, cmd, c.who);
    });
  }
  // Another community's items do not exist for its people: NotFound, so ids are not probeable.
  for (const auto& who : {other.convener, other.rep("wuye")}) {
    SCOPED_TRACE(who.username + " of another community");
    expectNothingWritten<NotFound>(*store_, disc.id, [&] {
      engine_->apply(disc.id, Command("resolve").set("decision", "d"), who);
    });
  }
  // Proposing for another party, or in another community.
  Command p("propose");
  p.set("title", "t").set("description", "d").set("party", "juweihui");
  EXPECT_THROW(engine_->propose(town_.id, p, town_.rep("wuye")), Forbidden);
  EXPECT_THROW(engine_->propose(town_.id, p, other.rep("juweihui")), Forbidden);
  EXPECT_THROW(engine_->propose(town_.id, p, town_.supervisor), Forbidden);
  EXPECT_EQ(store_->itemIds().size(), 4u) << "no item was created by a forbidden propose";
}

TEST_F(EngineTest, UnknownItemOrCommunityIsNotFound) {
  const model::Item it = itemAt("discussion");
  expectNothingWritten<NotFound>(*store_, it.id + 1000, [&] {
    fire(it.id + 1000, "resolve", town_.convener, {{"decision", "d"}});
  });
  Command p("propose");
  p.set("title", "t").set("description", "d").set("party", "dangwei");
  EXPECT_THROW(engine_->propose(9999, p, town_.convener), NotFound);
  EXPECT_EQ(store_->itemIds().size(), 1u);
}

TEST_F(EngineTest, MissingOrBadFieldIsInvalidAndNamesTheField) {
  const model::Item disc = itemAt("discussion");
  const model::Item asg = itemAt("assignment");
  const model::Item dl = itemAt("deadline");
  struct Case {
    int64_t item;
    std::string event;
    Actor who;
    Fields fields;
    const char* mentions;
  };
  const std::vector<Case> cases = {
      {disc.id, "resolve", town_.convener, {}, "(decision)"},
      {disc.id, "resolve", town_.convener, {{"decision", "   "}}, "(decision)"},
      {disc.id, "dismiss", town_.convener, {}, "(response)"},
      {disc.id,
       "log_position",
       town_.rep("wuye"),
       {{"stance", "maybe"}, {"reason", "r"}},
       "(stance)"},
      {disc.id, "log_position", town_.rep("wuye"), {{"stance", "support"}}, "(reason)"},
      {asg.id, "assign", town_.convener, {{"lead", "wuye"}, {"standard", "s"}}, "(due)"},
      {asg.id, "assign", town_.convener, {{"lead", "wuye"}, {"due", kFarDue}}, "(standard)"},
      {asg.id,
       "assign",
       town_.convener,
       {{"lead", "nobody"}, {"standard", "s"}, {"due", kFarDue}},
       "\"nobody\""},
      {asg.id,
       "assign",
       town_.convener,
       {{"lead", "wuye"}, {"co", list({"wuye"})}, {"standard", "s"}, {"due", kFarDue}},
       "lead"},
      {asg.id,
       "assign",
       town_.convener,
       {{"lead", "wuye"}, {"standard", "s"}, {"due", "2026-02-30"}},
       "(due)"},
      {asg.id,
       "assign",
       town_.convener,
       {{"lead", "wuye"}, {"co", list({"gongyi", "gongyi"})}, {"standard", "s"}, {"due", kFarDue}},
       "twice"},
      {dl.id, "request_extension", town_.rep("wuye"), {{"due", "2027-01-29"}}, "(reason)"},
      {dl.id, "decide_extension", town_.convener, {{"approve", "perhaps"}}, "(approve)"},
      {dl.id, "fly", town_.convener, {}, "\"fly\""},
      {dl.id, "propose", town_.convener, {}, "\"propose\""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.event + " expecting " + c.mentions);
    const std::string why = expectNothingWritten<Invalid>(*store_, c.item, [&] {
      Command cmd(c.event);
      for (const auto& [k, v] : c.fields) cmd.set(k, v);
      engine_->apply(c.item, cmd, c.who);
    });
    EXPECT_NE(why.find(c.mentions), std::string::npos) << why;
  }
  // The reason names the field.
  try {
    fire(disc.id, "resolve", town_.convener);
    FAIL() << "resolve without a decision was accepted";
  } catch (const Invalid& e) {
    EXPECT_NE(std::string(e.what()).find("decision"), std::string::npos) << e.what();
  }
  Command stranger("propose");
  stranger.set("title", "t").set("description", "d").set("party", "nobody");
  try {
    engine_->propose(town_.id, stranger, town_.convener);
    FAIL() << "a proposal for a party outside the roster was accepted";
  } catch (const Invalid& e) {
    EXPECT_NE(e.english().find("\"nobody\""), std::string::npos) << e.english();
  }
  Command p("propose");
  p.set("description", "d").set("party", "juweihui");
  try {
    engine_->propose(town_.id, p, town_.rep("juweihui"));
    FAIL() << "propose without a title was accepted";
  } catch (const Invalid& e) {
    EXPECT_NE(e.english().find("(title)"), std::string::npos) << e.english();
  }
}

TEST_F(EngineTest, StaleVersionIsAConflictAndTheTransactionWritesNothing) {
  const model::Item it = itemAt("discussion");
  const size_t before = eventCount(it.id);
  {
    auto tx = store_->beginWrite();
    auto loaded = tx->loadItem(it.id);
    ASSERT_TRUE(loaded);
    model::Item next = *loaded;
    model::EventRecord e;
    e.streamId = next.id;
    e.seq = next.version + 1;
    e.at = model::formatInstant(clock_.now());
    e.actorUser = town_.convener.userId;
    e.actorParty = "dangwei";
    e.type = "defer";
    e.payload = R"({"reason":"x"})";
    e.fromState = "discussion";
    e.toState = "proposal";
    e.prevHash = next.lastHash;
    e.hash = model::eventHash(e);
    tx->appendEvent(e);  // written inside the transaction ...
    next.state = "proposal";
    next.version = e.seq;
    next.lastHash = e.hash;
    // ... but the projection write expects a version someone else already moved past.
    EXPECT_THROW(tx->updateItem(next, loaded->version - 1, false, false), Conflict);
    // A second row with the same seq is a conflict too.
    EXPECT_THROW(tx->appendEvent(e), Conflict);
  }  // destroyed without commit: rolled back
  const auto after = store_->findItem(it.id);
  EXPECT_EQ(after->state, "discussion");
  EXPECT_EQ(after->version, it.version);
  EXPECT_EQ(eventCount(it.id), before) << "the appended row was rolled back";
  EXPECT_TRUE(workflow::verifyStore(*store_, model::HolidayCalendar::china()).ok);
  // The item still takes events normally afterwards.
  EXPECT_EQ(fire(it.id, "defer", town_.convener, {{"reason", "下次再议"}}).state, "proposal");
}

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
