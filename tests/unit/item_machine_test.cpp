// The item machine alone, as the Engine drives it: one row per (state, event, expected).
#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <map>

#include "EngineTestKit.h"
#include "model/Errors.h"
#include "workflow/ItemEvents.h"
#include "workflow/ItemMachine.h"

using namespace liufang;
using namespace liufang::workflow;

namespace {

const model::Date kToday = *model::Date::parse("2026-11-18");  // a Wednesday
const std::string kAt = "2026-11-18T02:00:00.000Z";

// An item in `state` with what that state implies (a due date, handlers with co part done).
model::Item itemIn(const std::string& state) {
  model::Item it;
  it.id = 7;
  it.title = "高空坠物";
  it.proposerParty = "juweihui";
  it.state = state;
  if (state.rfind("deadline", 0) == 0 || state == "followup") {
    it.handlers = {{"wuye", true, false}, {"juweihui", false, true}};
    it.standard = "安装监控并公示";
    it.due = state == "deadline.due_soon"  ? "2026-11-19"
             : state == "deadline.overdue" ? "2026-11-17"
                                           : "2026-12-31";
  }
  if (state == "followup") it.result = "已安装";
  if (state == "closed") {
    it.outcome = "resolved";
    it.response = "已安装";
  }
  return it;
}

// A valid, normalised payload for every event, from the shared table-derived fixture: wuye
// leads, juweihui co-handles (and is the actor reporting or logging a position).
Poco::JSON::Object payloadFor(const std::string& event) {
  testkit::Sample sample;
  sample.ref = 99;
  if (event == "request_extension") sample.date = "2027-01-31";
  if (event == "return_for_rework") sample.date = "2026-12-20";
  const auto* def = findItemEvent(event);
  auto p = validateFields(*def, *testkit::validFields(event, sample));
  if (def->complete)
    def->complete(*p, FieldContext{kToday, &model::HolidayCalendar::china(), "juweihui", kAt});
  return *p;
}

// The accepted (state, event) pairs and where they lead; every other pair is refused.
const std::map<std::string, std::map<std::string, std::string>> kAccepted = {
    {"proposal", {{"take_up", "discussion"}, {"withdraw", "closed"}, {"merge", "closed"}}},
    {"discussion",
     {{"log_position", "discussion"},
      {"defer", "proposal"},
      {"dismiss", "closed"},
      {"resolve", "assignment"}}},
    {"assignment", {{"assign", "deadline.on_track"}}},
    {"deadline.on_track",
     {{"report_progress", "deadline.on_track"},
      {"request_extension", "deadline.on_track"},
      {"urge", "deadline.on_track"},
      {"escalate", "deadline.on_track"},
      {"report", "deadline.on_track"},
      {"submit_result", "followup"}}},
    {"deadline.due_soon",
     {{"report_progress", "deadline.due_soon"},
      {"request_extension", "deadline.due_soon"},
      {"urge", "deadline.due_soon"},
      {"escalate", "deadline.due_soon"},
      {"report", "deadline.due_soon"},
      {"submit_result", "followup"}}},
    // Past the due date an extension can no longer be asked for.
    {"deadline.overdue",
     {{"report_progress", "deadline.overdue"},
      {"urge", "deadline.overdue"},
      {"escalate", "deadline.overdue"},
      {"report", "deadline.overdue"},
      {"submit_result", "followup"}}},
    {"followup", {{"accept", "closed"}, {"return_for_rework", "deadline.on_track"}}},
    {"closed", {{"rate", "closed"}, {"reopen", "discussion"}}},
};

struct Row {
  std::string state, event, expected;  // expected: the state after, or "refused"
};

std::vector<Row> transitionTable() {
  std::vector<Row> rows;
  for (const auto& [state, accepted] : kAccepted) {
    for (const auto& spec : itemEvents()) {
      if (spec.from.empty()) continue;  // propose creates the item
      auto it = accepted.find(spec.name);
      rows.push_back({state, spec.name, it == accepted.end() ? "refused" : it->second});
    }
  }
  return rows;
}

// Runs one event on an item restored at its state; returns what the machine recorded:
// "from->to", or "refused:" and the reason.
std::string run(model::Item& item, const std::string& event, const model::Date& today = kToday) {
  ItemMachine m(item, model::HolidayCalendar::china());
  m.restore();
  const auto payload = payloadFor(event);
  m.step(StepInput{event, kAt, today, "", 1}, *findItemEvent(event)->decode(Payload(payload)));
  if (m.lastStep.refused) return "refused:" + m.lastStep.why.english();
  item.state = m.stateName();
  return m.lastStep.from + "->" + m.lastStep.to;
}

}  // namespace

TEST(ItemMachine, TransitionTableCoversEveryStateAndEvent) {
  const auto rows = transitionTable();
  size_t events = 0;
  for (const auto& spec : itemEvents()) events += spec.from.empty() ? 0 : 1;
  ASSERT_EQ(rows.size(), itemStates().size() * events);
  for (const auto& row : rows) {
    model::Item item = itemIn(row.state);
    const model::Item before = item;
    const std::string got = run(item, row.event);
    if (row.expected == "refused") {
      EXPECT_EQ(got.rfind("refused:", 0), 0u) << row.state << " x " << row.event << " gave " << got;
      EXPECT_GT(got.size(), std::string("refused:").size()) << "a refusal carries a reason";
      EXPECT_EQ(item.state, before.state);
    } else {
      EXPECT_EQ(got, row.state + "->" + row.expected) << row.state << " x " << row.event;
      EXPECT_EQ(item.state, row.expected);
    }
  }
}

TEST(ItemMachine, EventTableAgreesWithMachine) {
  // The table's accepting states (used for forms and early refusals) match the machine.
  ASSERT_EQ(kAccepted.size(), itemStates().size());
  for (const auto& [state, accepted] : kAccepted)
    for (const auto& [event, to] : accepted)
      EXPECT_TRUE(findItemEvent(event)->acceptedIn(state)) << state << " x " << event;
}

TEST(ItemMachine, ClosingAlwaysCarriesAResponse) {
  for (const auto& [state, event] :
       std::vector<std::pair<std::string, std::string>>{{"proposal", "withdraw"},
                                                        {"proposal", "merge"},
                                                        {"discussion", "dismiss"},
                                                        {"followup", "accept"}}) {
    model::Item item = itemIn(state);
    run(item, event);
    EXPECT_EQ(item.state, "closed");
    EXPECT_FALSE(item.response.empty()) << event;
    EXPECT_FALSE(item.outcome.empty()) << event;
  }
}

TEST(ItemMachine, SubmitRefusedWhileCoPartNotDone) {
  model::Item item = itemIn("deadline.on_track");
  item.handlers[1].done = false;
  EXPECT_NE(run(item, "submit_result").find("juweihui"), std::string::npos);
  EXPECT_EQ(item.state, "deadline.on_track");
  run(item, "report_progress");  // juweihui marks its part done
  EXPECT_TRUE(item.handlers[1].done);
  EXPECT_EQ(run(item, "submit_result"), "deadline.on_track->followup");
}

TEST(ItemMachine, ExtensionRequestThenDecision) {
  model::Item item = itemIn("deadline.on_track");
  EXPECT_EQ(run(item, "decide_extension").rfind("refused:", 0), 0u);
  run(item, "request_extension");
  EXPECT_EQ(item.extensionDue, "2027-01-31");
  EXPECT_EQ(run(item, "request_extension").rfind("refused:", 0), 0u) << "one pending at a time";
  run(item, "decide_extension");
  EXPECT_EQ(item.due, "2027-01-31");
  EXPECT_TRUE(item.extensionDue.empty());
}

TEST(ItemMachine, TimeMovesTheLights) {
  model::Item item = itemIn("deadline.on_track");
  item.due = "2026-11-20";  // Friday: 2 working days after Wednesday
  EXPECT_EQ(run(item, "tick"), "deadline.on_track->deadline.due_soon");
  EXPECT_EQ(run(item, "tick").rfind("refused:", 0), 0u) << "no change, no event";
  EXPECT_EQ(run(item, "tick", *model::Date::parse("2026-11-21")),
            "deadline.due_soon->deadline.overdue")
      << "Saturday after a Friday due date";
  item.due = "2026-12-31";
  EXPECT_EQ(run(item, "tick"), "deadline.overdue->deadline.on_track");
}

TEST(ItemMachine, AssignRefusesADueDateInThePast) {
  model::Item item = itemIn("assignment");
  ItemMachine m(item, model::HolidayCalendar::china());
  m.restore();
  auto p = payloadFor("assign");
  p.set("due", "2026-11-01");
  m.step(StepInput{"assign", kAt, kToday, "", 1}, *findItemEvent("assign")->decode(Payload(p)));
  EXPECT_TRUE(m.lastStep.refused);
  EXPECT_EQ(m.stateName(), "assignment");
  EXPECT_EQ(item.state, "assignment");
}

TEST(ItemMachine, RestoreRejectsUnknownState) {
  model::Item item = itemIn("proposal");
  item.state = "limbo";
  ItemMachine m(item, model::HolidayCalendar::china());
  EXPECT_THROW(m.restore(), StorageError);
}

TEST(ItemMachine, ReopenClearsTheOldAnswer) {
  model::Item item = itemIn("closed");
  item.rating = "dissatisfied";
  EXPECT_EQ(run(item, "reopen"), "closed->discussion");
  EXPECT_TRUE(item.response.empty());
  EXPECT_TRUE(item.rating.empty());
  EXPECT_TRUE(item.handlers.empty());
}
