// Issue 9's acceptance walk, through the shipped binary on a fresh demo: `serve --now` one
// working day before an on-track item's due date turns it yellow; a month past it, red, and the
// escalation ladder fires every tier (催办, 挂牌督办, 上报) as system events; each change lands
// in the lead party's inbox (and the report in the supervisor's) and reaches the community's
// webhook (a real local receiver, signed), and the log still verifies.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <set>
#include <string>
#include <vector>

#include "CliTestKit.h"
#include "EngineTestKit.h"
#include "ServedDemo.h"
#include "WebhookReceiver.h"
#include "model/Calendar.h"
#include "model/Store.h"

using namespace liufang;
using testkit::runCli;

namespace {

// `serve --now` once on the database: its start-up sweep moves the lights; while it is up,
// `whileUp` may wait for what it sends.
void serveAt(const std::string& db, const std::string& now,
             const std::function<void(uint16_t)>& whileUp = {}) {
  EXPECT_EQ(testkit::serveOnce(db, {"--now", now}, whileUp), 0);
}

// The events about `itemId` the receiver got (X-Liufang-Event), each body signed with `secret`.
std::multiset<std::string> hooksAbout(testkit::Receiver& hook, int64_t itemId,
                                      const std::string& secret) {
  std::multiset<std::string> events;
  for (const auto& r : hook.received()) {
    EXPECT_EQ(r.signature, "sha256=" + testkit::hmacHex(secret, r.body));
    const auto body = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
    if (body->getValue<std::string>("kind") == "item" &&
        body->getValue<int64_t>("stream_id") == itemId)
      events.insert(r.event);
  }
  return events;
}

// The notice types of `userId` about `itemId`.
std::multiset<std::string> noticesAbout(model::Store& store, int64_t userId, int64_t itemId) {
  std::multiset<std::string> types;
  for (const auto& n : store.notices(userId, 1000))
    if (n.kind == "item" && n.streamId == itemId) types.insert(n.type);
  return types;
}

TEST(DemoWalkthrough, MovingTheClockTurnsLightsFiresTheLadderAndNotifies) {
  testkit::TempDir dir("walk");
  const std::string db = dir.file("demo.db");
  ASSERT_EQ(runCli({LIUFANG_BINARY, "init", "--demo", "--db", db}).exitCode, 0);
  // The district bridges the demo community to its messaging system.
  testkit::Receiver hook;
  const std::string secret = "district-bridge-secret-2026";
  const auto set = runCli(
      {LIUFANG_BINARY, "community", "webhook", "taoyuanju", hook.url(), secret, "--db", db});
  ASSERT_EQ(set.exitCode, 0) << set.output;

  model::Item item;
  std::string lead;
  std::vector<int64_t> leadUsers, supervisors;
  {
    auto store = model::openSqliteStore(testkit::testStoreOptions(db));
    model::ItemQuery q;
    q.state = "deadline.on_track";
    const auto onTrack = store->listItems(q);
    ASSERT_FALSE(onTrack.empty()) << "the demo has an item on track";
    item = onTrack.front();
    for (const auto& h : item.handlers)
      if (h.lead) lead = h.party;
    ASSERT_FALSE(lead.empty());
    for (const auto& u : store->users()) {
      if (u.party == lead) leadUsers.push_back(u.id);
      if (u.supervisor) supervisors.push_back(u.id);
    }
    ASSERT_FALSE(leadUsers.empty());
    ASSERT_FALSE(supervisors.empty());
  }
  const auto& cal = model::HolidayCalendar::china();
  const model::Date due = *model::Date::parse(item.due);
  model::Date dayBefore = due.plusDays(-1);
  while (!cal.isWorkingDay(dayBefore)) dayBefore = dayBefore.plusDays(-1);

  // One working day before the due date: yellow, and the lead party hears of it.
  serveAt(db, dayBefore.str() + "T09:00");
  {
    auto store = model::openSqliteStore(testkit::testStoreOptions(db));
    EXPECT_EQ(store->findItem(item.id)->state, "deadline.due_soon");
    EXPECT_EQ(noticesAbout(*store, leadUsers.front(), item.id).count("tick"), 1u);
  }

  // A month past it: red, and every tier of the default ladder (1, 5, 10 working days) fired
  // by the system, each once. The server delivers each to the webhook in the background.
  const std::multiset<std::string> expectedHooks = {"tick", "tick", "urge", "escalate", "report"};
  serveAt(db, due.plusDays(30).str() + "T09:00", [&](uint16_t) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (hooksAbout(hook, item.id, secret) != expectedHooks &&
           std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  });
  EXPECT_EQ(hooksAbout(hook, item.id, secret), expectedHooks);
  {
    auto store = model::openSqliteStore(testkit::testStoreOptions(db));
    const auto now = *store->findItem(item.id);
    EXPECT_EQ(now.state, "deadline.overdue");
    EXPECT_TRUE(now.escalated) << "挂牌督办";
    std::multiset<std::string> bySystem;
    for (const auto& e : store->events(model::StreamRef{"item", item.id}))
      if (e.actorUser == 0) bySystem.insert(e.type);
    EXPECT_EQ(bySystem.count("urge"), 1u);
    EXPECT_EQ(bySystem.count("escalate"), 1u);
    EXPECT_EQ(bySystem.count("report"), 1u);
    EXPECT_EQ(bySystem.count("tick"), 2u) << "yellow, then red";

    const auto lead = noticesAbout(*store, leadUsers.front(), item.id);
    EXPECT_EQ(lead.count("tick"), 2u);
    EXPECT_EQ(lead.count("urge"), 1u);
    EXPECT_EQ(lead.count("escalate"), 1u);
    EXPECT_EQ(noticesAbout(*store, supervisors.front(), item.id).count("report"), 1u);
  }
  // Moving the clock again to the same time changes nothing; the log verifies.
  serveAt(db, due.plusDays(30).str() + "T09:00");
  const auto verify = runCli({LIUFANG_BINARY, "verify", "--db", db});
  EXPECT_EQ(verify.exitCode, 0) << verify.output;
}

}  // namespace
