// The resident's request kind: tracking numbers, the three ways out of Submitted (each with a
// public reply), screening into a new item in one transaction, the contact kept out of the
// log, and replay / verify naming a tampered request row.
#include <gtest/gtest.h>

#include "EngineTestKit.h"
#include "workflow/Engine.h"
#include "workflow/RequestEvents.h"
#include "workflow/RequestMachine.h"
#include "workflow/ResidentDemo.h"
#include "workflow/Verify.h"

namespace liufang {
namespace {

using testkit::queryOne;
using workflow::Command;

struct RequestFixture : ::testing::Test {
  testkit::TempDir dir{"request"};
  std::string path = dir.file("t.db");
  std::unique_ptr<model::Store> store = model::openSqliteStore(testkit::testStoreOptions(path));
  model::ManualClock clock{testkit::shanghai("2026-03-02")};
  workflow::Engine engine{*store, clock};
  testkit::TestCommunity c = testkit::TestCommunity::create(*store);

  model::Request submit(const std::string& title, const std::string& contact = "") {
    Command cmd("submit");
    cmd.set("title", title).set("description", "说明：" + title);
    if (!contact.empty()) cmd.set("contact", contact);
    return engine.create("request", c.id, cmd, workflow::residentActor()).as<model::Request>();
  }
  model::Request fire(int64_t id, Command cmd, const workflow::Actor& a) {
    return engine.apply(model::StreamRef{"request", id}, cmd, a).as<model::Request>();
  }
};

TEST_F(RequestFixture, NumbersRunPerCommunityAndYearWithTheConfiguredPrefix) {
  EXPECT_EQ(submit("a").number, "TAOYUANJU-2026-0001");
  store->setRequestPrefix(c.id, "TYJ");
  EXPECT_EQ(submit("b").number, "TYJ-2026-0002");
  EXPECT_EQ(store->peekRequestNumber(c.id, 2026), "TYJ-2026-0003");
  // The community's local year: 2026-12-31 17:00 UTC is already 2027 in Shanghai.
  clock.set(testkit::shanghai("2027-01-01", 1));
  EXPECT_EQ(submit("c").number, "TYJ-2027-0001");
  auto other = testkit::TestCommunity::create(*store, "other");
  Command cmd("submit");
  cmd.set("title", "x").set("description", "y");
  EXPECT_EQ(engine.create("request", other.id, cmd, workflow::residentActor())
                .as<model::Request>()
                .number,
            "OTHER-2027-0001");
  EXPECT_THROW(store->setRequestPrefix(c.id, "ty-j"), Invalid);
}

TEST_F(RequestFixture, EveryWayOutCarriesAPublicReplyAndIsFinal) {
  auto a = submit("answered");
  EXPECT_THROW(fire(a.id, Command("answer"), c.convener), Invalid);  // no reply, no answer
  a = fire(a.id, Command("answer").set("reply", "已处理"), c.rep("juweihui"));
  EXPECT_EQ(a.state, "answered");
  EXPECT_EQ(a.reply, "已处理");
  EXPECT_THROW(fire(a.id, Command("reject").set("reason", "spam").set("reply", "x"), c.convener),
               Refused);

  auto r = submit("spam");
  // Only the convener or the residents' committee moderates.
  EXPECT_THROW(fire(r.id, Command("answer").set("reply", "x"), c.rep("wuye")), Forbidden);
  EXPECT_THROW(fire(r.id, Command("answer").set("reply", "x"), workflow::residentActor()),
               Forbidden);
  r = fire(r.id, Command("reject").set("reason", "spam").set("reply", "不予受理"), c.convener);
  EXPECT_EQ(r.state, "rejected");
  EXPECT_EQ(r.rejectReason, "spam");
  EXPECT_THROW(fire(r.id, Command("answer").set("reply", "x"), c.convener), Refused);
}

TEST_F(RequestFixture, ScreeningCreatesTheItemInTheSameTransaction) {
  auto r = submit("油烟扰民");
  Command propose("propose");
  propose.set("title", "油烟扰民").set("description", "居民点单").set("party", "juweihui");
  // A screen without its reply fails after the item was created inside the transaction:
  // neither is written.
  EXPECT_THROW(engine.createThenApply("item", c.id, propose, {"request", r.id}, Command("screen"),
                                      "item", c.rep("juweihui")),
               Invalid);
  EXPECT_EQ(queryOne(path, "SELECT COUNT(*) FROM items"), "0");
  EXPECT_EQ(queryOne(path, "SELECT state FROM requests WHERE id = " + std::to_string(r.id)),
            "submitted");

  auto both = engine.createThenApply("item", c.id, propose, {"request", r.id},
                                     Command("screen").set("reply", "已转为议题"), "item",
                                     c.rep("juweihui"));
  const auto& item = both.first.as<model::Item>();
  const auto& req = both.second.as<model::Request>();
  EXPECT_EQ(req.state, "screened");
  EXPECT_EQ(req.itemId, item.id);
  EXPECT_EQ(item.state, "proposal");
  EXPECT_EQ(store->findItem(item.id)->title, "油烟扰民");

  // Linking to an existing item of another community is refused.
  auto other = testkit::TestCommunity::create(*store, "other");
  auto foreign = engine.propose(other.id, testkit::validCommand("propose"), other.convener);
  auto r2 = submit("x");
  EXPECT_THROW(fire(r2.id, Command("screen").set("item", foreign.id).set("reply", "r"), c.convener),
               Invalid);
}

TEST_F(RequestFixture, TheContactIsStoredApartAndNeverLogged) {
  auto r = submit("门禁坏了", "王阿姨 13800138000");
  EXPECT_EQ(store->requestContact(r.id), "王阿姨 13800138000");
  EXPECT_EQ(store->findRequest(r.id)->contact, "");
  const auto log = store->events(model::StreamRef{"request", r.id});
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].payload.find("13800138000"), std::string::npos) << log[0].payload;
  EXPECT_NE(log[0].payload.find(r.number), std::string::npos) << log[0].payload;
}

TEST_F(RequestFixture, ReplayVerifiesAndATamperedRowIsNamed) {
  auto a = submit("a", "phone 1");
  fire(a.id, Command("answer").set("reply", "ok"), c.convener);
  auto b = submit("b");
  fire(b.id, Command("reject").set("reason", "abusive").set("reply", "no"), c.convener);
  submit("c");
  auto report = workflow::verifyStore(*store, model::HolidayCalendar::china());
  ASSERT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.streams["request"], 3);

  // A projection changed behind the engine's back.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE requests SET number = 'TAOYUANJU-2026-0099' WHERE id = 2",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  report = workflow::verifyStore(*store, model::HolidayCalendar::china());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.badKind, "request");
  EXPECT_EQ(report.badItem, 2);
  EXPECT_NE(report.problem.find("number"), std::string::npos) << report.problem;

  // A logged row changed: the chain breaks at that row.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "UPDATE requests SET number = 'TAOYUANJU-2026-0002' WHERE id = 2", nullptr,
               nullptr, nullptr);
  ASSERT_EQ(sqlite3_exec(db,
                         "UPDATE stream_events SET payload = replace(payload, 'no', 'yes') "
                         "WHERE kind = 'request' AND stream_id = 2 AND seq = 2",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  report = workflow::verifyStore(*store, model::HolidayCalendar::china());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.badKind, "request");
  EXPECT_EQ(report.badItem, 2);
  EXPECT_EQ(report.badSeq, 2);
}

TEST(RequestMachine, TransitionTable) {
  // One row per (state, event): where the machine goes, or "" when it refuses.
  struct Row {
    std::string state, event, to;
  };
  const std::vector<Row> rows = {
      {"submitted", "screen", "screened"}, {"submitted", "answer", "answered"},
      {"submitted", "reject", "rejected"}, {"screened", "screen", ""},
      {"screened", "answer", ""},          {"screened", "reject", ""},
      {"answered", "screen", ""},          {"answered", "answer", ""},
      {"answered", "reject", ""},          {"rejected", "screen", ""},
      {"rejected", "answer", ""},          {"rejected", "reject", ""},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.state + " x " + row.event);
    model::Request r;
    r.state = row.state;
    workflow::request::RequestMachine m(r, model::HolidayCalendar::china());
    m.restore();
    Poco::JSON::Object payload;
    payload.set("item", 7);
    payload.set("reply", "公开答复");
    payload.set("reason", "spam");
    const auto& table = workflow::requestEvents();
    const auto def = std::find_if(table.begin(), table.end(),
                                  [&](const auto& d) { return d.name == row.event; });
    ASSERT_NE(def, table.end());
    workflow::StepInput in;
    in.type = row.event;
    in.at = "2026-03-02T02:00:00.000Z";
    m.step(in, *def->decode(workflow::Payload(payload)));
    EXPECT_EQ(m.lastStep.refused, row.to.empty());
    EXPECT_EQ(m.stateName(), row.to.empty() ? row.state : row.to);
    if (!row.to.empty()) {
      EXPECT_EQ(r.reply, "公开答复");
      EXPECT_EQ(r.repliedAt, in.at);
    } else {
      EXPECT_FALSE(m.lastStep.why.id().empty());
    }
  }
}

}  // namespace
}  // namespace liufang
