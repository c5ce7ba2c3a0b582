// workflow::Engine through a real SQLite file: the lifecycle as the right people see it, the
// round trip through the disk, and every typed error (and that a refusal writes nothing)
// (the rest: engine_deadline_test.cpp).
#include "EngineFixture.h"

using liufang::enginetest::EngineTest;
using namespace liufang::enginetest;

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
