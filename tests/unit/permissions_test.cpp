// Who may fire what (DESIGN.md §2), as a matrix: every event × every kind of actor, one row per
// (actor, event, situation) with the verdict, checked through the event table's rules (the
// same workflow::denial the Engine applies). Pure: no database.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/Errors.h"
#include "workflow/ItemEvents.h"
#include "workflow/MachineKind.h"

using namespace liufang;
using workflow::Actor;

namespace {

// The verdict the Engine reaches on (event, item, actor) before fields and state: allowed or not.
bool mayFire(const std::string& event, const model::Item& item, const Actor& actor) {
  const auto* def = workflow::findItemEvent(event);
  return def && !workflow::denial(*def, item, actor);
}
// The same, as the Engine reports it: Forbidden with a reason.
void authorize(const std::string& event, const model::Item& item, const Actor& actor) {
  const auto* def = workflow::findItemEvent(event);
  if (!def) throw Forbidden("Unknown event.");
  if (auto why = workflow::denial(*def, item, actor)) throw Forbidden(*why);
}

constexpr int64_t kHome = 1;  // the item's community
constexpr int64_t kAway = 2;  // another community
constexpr int64_t kProposerUser = 12;

Actor person(int64_t id, int64_t community, const std::string& party, bool convener, bool rep,
             bool supervisor) {
  Actor a;
  a.userId = id;
  a.username = "u" + std::to_string(id);
  a.communityId = community;
  a.party = party;
  a.convener = convener;
  a.representative = rep;
  a.supervisor = supervisor;
  return a;
}

// The actor kinds of the matrix. The proposer is 居委会, 物业 leads, 公益中心 co-handles.
const std::map<std::string, Actor>& actors() {
  static const std::map<std::string, Actor> a = {
      {"convener", person(11, kHome, "dangwei", true, true, false)},
      {"proposer", person(kProposerUser, kHome, "juweihui", false, true, false)},
      {"lead", person(13, kHome, "wuye", false, true, false)},
      {"co", person(14, kHome, "gongyi", false, true, false)},
      {"other", person(15, kHome, "yeweihui", false, true, false)},
      {"supervisor", person(16, 0, "", false, false, true)},
      {"system", Actor::systemActor()},
      {"awayConvener", person(21, kAway, "dangwei", true, true, false)},
  };
  return a;
}

// The item under test: proposed by 居委会, led by 物业 with 公益中心 co-handling.
model::Item item(const std::string& rating = "") {
  model::Item it;
  it.id = 5;
  it.communityId = kHome;
  it.proposerParty = "juweihui";
  it.proposerUser = kProposerUser;
  it.handlers = {{"wuye", true, false}, {"gongyi", false, false}};
  it.rating = rating;
  return it;
}

// Who may fire each event on the standard item (no rating yet). Everyone else is forbidden.
const std::map<std::string, std::set<std::string>>& kWho() {
  static const std::map<std::string, std::set<std::string>> who = {
      {"propose", {"convener", "proposer"}},  // for 居委会: its own representative or the convener
      {"take_up", {"convener"}},
      {"log_position", {"convener", "proposer", "lead", "co", "other"}},  // every representative
      {"defer", {"convener"}},
      {"dismiss", {"convener"}},
      {"withdraw", {"convener", "proposer"}},
      {"merge", {"convener"}},
      {"resolve", {"convener"}},
      {"assign", {"convener"}},
      {"report_progress", {"lead", "co"}},
      {"request_extension", {"lead"}},
      {"decide_extension", {"convener"}},
      {"urge", {"supervisor", "system"}},  // the system: the escalation ladder
      {"escalate", {"supervisor", "system"}},
      {"report", {"system"}},
      {"tick", {"system"}},
      {"submit_result", {"lead"}},
      {"accept", {"supervisor"}},
      {"return_for_rework", {"supervisor"}},
      {"rate", {"proposer"}},
      {"reopen", {"convener"}},  // the supervisor only after a dissatisfied rating, below
  };
  return who;
}

struct Row {
  std::string actor, event, situation;
  bool allowed;
};

std::vector<Row> matrix() {
  std::vector<Row> rows;
  for (const auto& spec : workflow::itemEvents())
    for (const auto& [name, a] : actors())
      rows.push_back({name, spec.name, "standard", kWho().at(spec.name).count(name) > 0});
  // The rating decides whether a supervisor may reopen.
  for (const auto& [name, a] : actors()) {
    const bool convener = name == "convener";
    rows.push_back({name, "reopen", "rated dissatisfied", convener || name == "supervisor"});
    rows.push_back({name, "reopen", "rated basically_satisfied", convener});
    rows.push_back({name, "reopen", "rated satisfied", convener});
  }
  return rows;
}

model::Item itemFor(const std::string& situation) {
  if (situation == "rated dissatisfied") return item("dissatisfied");
  if (situation == "rated basically_satisfied") return item("basically_satisfied");
  if (situation == "rated satisfied") return item("satisfied");
  return item();
}

}  // namespace

TEST(Permissions, MatrixCoversEveryEventAndActorKind) {
  const auto rows = matrix();
  EXPECT_EQ(kWho().size(), workflow::itemEvents().size()) << "every event has a row in kWho";
  ASSERT_EQ(rows.size(), workflow::itemEvents().size() * actors().size() + 3 * actors().size());
  for (const auto& r : rows) {
    const model::Item it = itemFor(r.situation);
    const Actor& a = actors().at(r.actor);
    EXPECT_EQ(mayFire(r.event, it, a), r.allowed)
        << r.actor << " " << r.event << " (" << r.situation << ") should be "
        << (r.allowed ? "allowed" : "forbidden");
    if (r.allowed) {
      EXPECT_NO_THROW(authorize(r.event, it, a)) << r.actor << " " << r.event;
    } else {
      try {
        authorize(r.event, it, a);
        ADD_FAILURE() << r.actor << " " << r.event << " (" << r.situation << ") was authorized";
      } catch (const Forbidden& e) {
        EXPECT_STRNE(e.what(), "") << r.actor << " " << r.event;
        EXPECT_FALSE(e.english().empty()) << r.actor << " " << r.event;
        EXPECT_STREQ(e.code(), "forbidden");
      }
    }
  }
}

TEST(Permissions, EveryEventHasSomeoneWhoMayFireIt) {
  for (const auto& spec : workflow::itemEvents()) {
    bool someone = false;
    for (const auto& [name, a] : actors()) someone = someone || mayFire(spec.name, item(), a);
    EXPECT_TRUE(someone) << spec.name << " can never be fired";
  }
}

struct Case {
  const char* what;
  std::string event;
  Actor actor;
  model::Item item;
  bool allowed;
};

TEST(Permissions, PartiesActOnlyForThemselves) {
  model::Item ownParty = item();
  ownParty.proposerParty = "wuye";
  model::Item asLead = item();
  asLead.handlers = {{"gongyi", true, false}, {"wuye", false, false}};
  model::Item notProposerUser = item();
  notProposerUser.proposerUser = 99;
  model::Item proposedByConvener = item();
  proposedByConvener.proposerUser = 11;  // the convener proposed it for 居委会

  Actor partyless = person(30, kHome, "", false, true, false);  // flagged rep without a party
  Actor awaySupervisor = person(31, kAway, "", false, false, true);
  Actor awayRep = person(32, kAway, "juweihui", false, true, false);
  Actor homeSupervisor = person(33, kHome, "", false, false, true);
  Actor plainUser = person(34, kHome, "juweihui", false, false, false);  // not a representative
  Actor systemWithRoles = Actor::systemActor();
  systemWithRoles.convener = true;

  const std::vector<Case> cases = {
      {"物业 proposes for itself", "propose", actors().at("lead"), ownParty, true},
      {"居委会 may not propose for 物业", "propose", actors().at("proposer"), ownParty, false},
      {"公益 reports progress as the lead", "report_progress", actors().at("co"), asLead, true},
      {"公益 submits as the lead", "submit_result", actors().at("co"), asLead, true},
      {"物业 as co-handler may not submit", "submit_result", actors().at("lead"), asLead, false},
      {"物业 as co-handler may not ask for time", "request_extension", actors().at("lead"), asLead,
       false},
      {"物业 as co-handler still reports", "report_progress", actors().at("lead"), asLead, true},
      {"the proposing party rates even if another of its users proposed", "rate",
       actors().at("proposer"), notProposerUser, true},
      // The rating belongs to the proposing party, not to a convener who raised it for them.
      {"the convener who proposed for 居委会 does not rate", "rate", actors().at("convener"),
       proposedByConvener, false},
      {"a representative without a party cannot log a position", "log_position", partyless, item(),
       false},
      {"a representative without a party cannot report", "report_progress", partyless, item(),
       false},
      {"a non-representative user cannot log a position", "log_position", plainUser, item(), false},
      {"a non-representative user cannot withdraw", "withdraw", plainUser, item(), false},
      {"a supervisor of another community cannot urge", "urge", awaySupervisor, item(), false},
      {"a supervisor of this community urges", "urge", homeSupervisor, item(), true},
      {"a representative of another community cannot log", "log_position", awayRep, item(), false},
      {"a representative of another community cannot rate", "rate", awayRep, item(), false},
      {"another community's convener cannot reopen", "reopen", actors().at("awayConvener"),
       item("dissatisfied"), false},
      {"the system cannot act as a convener", "take_up", systemWithRoles, item(), false},
      {"the system ticks", "tick", systemWithRoles, item(), true},
      {"an unknown event is forbidden to all", "fly", actors().at("convener"), item(), false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(mayFire(c.event, c.item, c.actor), c.allowed) << c.what;
    if (c.allowed)
      EXPECT_NO_THROW(authorize(c.event, c.item, c.actor)) << c.what;
    else
      EXPECT_THROW(authorize(c.event, c.item, c.actor), Forbidden) << c.what;
  }
}

TEST(Permissions, SupervisorReopensOnlyAfterADissatisfiedRatingAndSaysWhy) {
  const Actor& sup = actors().at("supervisor");
  try {
    authorize("reopen", item("satisfied"), sup);
    FAIL() << "a supervisor reopened a satisfied item";
  } catch (const Forbidden& e) {
    EXPECT_NE(e.english().find("dissatisfied"), std::string::npos) << e.english();
  }
  EXPECT_NO_THROW(authorize("reopen", item("dissatisfied"), sup));
}
