#pragma once
// Shared set-up for the engine-level unit tests: a throwaway database folder, a community with
// the six parties and one actor per role, and a field-by-field comparison of projections.
// Header-only; every helper is inline so each test file may include it.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "model/Calendar.h"
#include "model/Clock.h"
#include "model/Store.h"
#include "model/Types.h"
#include "workflow/Engine.h"
#include "workflow/ItemEvents.h"

namespace liufang::testkit {

// A fresh folder under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& tag = "test") {
    static std::atomic<int> counter{0};
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("liufang-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
             "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// The first column of the first row of `sql`, read over a separate read-only raw connection
// (so it sees only what was committed); "" if there is no row.
inline std::string queryOne(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

// The instant at `hour`:00 Asia/Shanghai time on `date`.
inline model::Instant shanghai(const std::string& date, int hour = 10) {
  const auto d = model::Date::parse(date);
  const int64_t secs = d->dayNumber() * 86400 + (hour - 8) * 3600;
  return model::Instant(std::chrono::seconds(secs));
}

// The roster every test community has, in display order.
inline const std::vector<std::string>& sixParties() {
  static const std::vector<std::string> codes = {"dangwei", "gongzuozhan", "juweihui",
                                                 "gongyi",  "wuye",        "yeweihui"};
  return codes;
}

// A community with the six parties, stored users, and the actors the tests fire events as.
struct TestCommunity {
  int64_t id = 0;
  workflow::Actor convener;                     // the secretary: convener and 党委 representative
  std::map<std::string, workflow::Actor> reps;  // one representative per party (dangwei: convener)
  workflow::Actor supervisor;                   // a district supervisor (every community)
  workflow::Actor system = workflow::Actor::systemActor();

  const workflow::Actor& rep(const std::string& party) const { return reps.at(party); }

  // A new item of this community (路灯不亮, raised by juweihui), taken up and resolved: waiting
  // for its assignment. Returns its id.
  int64_t resolvedItem(workflow::Engine& engine) const {
    workflow::Command propose("propose");
    propose.set("title", "路灯不亮").set("description", "南区步道").set("party", "juweihui");
    const int64_t item = engine.propose(id, propose, rep("juweihui")).id;
    engine.apply(item, workflow::Command("take_up"), convener);
    engine.apply(item, workflow::Command("resolve").set("decision", "物业更换路灯"), convener);
    return item;
  }

  // Creates community `code` with its roster and users (usernames prefixed by code).
  static TestCommunity create(model::Store& store, const std::string& code = "taoyuanju") {
    TestCommunity t;
    model::Community c;
    c.code = code;
    c.name = code + "社区";
    t.id = store.addCommunity(c);
    int order = 0;
    for (const auto& p : sixParties()) {
      model::Party party;
      party.communityId = t.id;
      party.code = p;
      party.name = p + "方";
      party.sortOrder = ++order;
      store.addParty(party);
    }
    auto addUser = [&](const std::string& name, int64_t community, const std::string& party,
                       bool convener, bool rep, bool supervisor) {
      model::User u;
      u.username = code + "-" + name;
      u.displayName = name;
      u.communityId = community;
      u.party = party;
      u.convener = convener;
      u.representative = rep;
      u.supervisor = supervisor;
      store.addUser(u);
      return workflow::Actor::fromUser(u);
    };
    t.convener = addUser("shuji", t.id, "dangwei", true, true, false);
    t.reps["dangwei"] = t.convener;
    for (const auto& p : sixParties())
      if (p != "dangwei") t.reps[p] = addUser(p, t.id, p, false, true, false);
    t.supervisor = addUser("ducha", 0, "", false, false, true);
    return t;
  }
};

// Store options for a test database file; NORMAL sync keeps the many small commits fast.
inline model::StoreOptions testStoreOptions(const std::string& path,
                                            model::Synchronous sync = model::Synchronous::Normal) {
  model::StoreOptions o;
  o.path = path;
  o.synchronous = sync;
  o.poolSize = 4;
  return o;
}

// Every projection field that differs between a and b, as "field: a | b" lines; empty if equal.
inline std::vector<std::string> projectionDiff(const model::Item& a, const model::Item& b) {
  std::vector<std::string> out;
  auto cmp = [&](const char* name, const auto& x, const auto& y) {
    if (!(x == y)) {
      std::ostringstream s;
      s << name << ": " << x << " | " << y;
      out.push_back(s.str());
    }
  };
  cmp("id", a.id, b.id);
  cmp("communityId", a.communityId, b.communityId);
  cmp("title", a.title, b.title);
  cmp("description", a.description, b.description);
  cmp("proposerParty", a.proposerParty, b.proposerParty);
  cmp("proposerUser", a.proposerUser, b.proposerUser);
  cmp("state", a.state, b.state);
  cmp("outcome", a.outcome, b.outcome);
  cmp("response", a.response, b.response);
  cmp("decision", a.decision, b.decision);
  cmp("standard", a.standard, b.standard);
  cmp("due", a.due, b.due);
  cmp("extensionDue", a.extensionDue, b.extensionDue);
  cmp("extensionReason", a.extensionReason, b.extensionReason);
  cmp("result", a.result, b.result);
  cmp("rating", a.rating, b.rating);
  cmp("ratingComment", a.ratingComment, b.ratingComment);
  cmp("urgeCount", a.urgeCount, b.urgeCount);
  cmp("escalated", a.escalated, b.escalated);
  cmp("ladderTier", a.ladderTier, b.ladderTier);
  cmp("reworkCount", a.reworkCount, b.reworkCount);
  cmp("meetingId", a.meetingId, b.meetingId);
  cmp("mergedInto", a.mergedInto, b.mergedInto);
  cmp("createdAt", a.createdAt, b.createdAt);
  cmp("updatedAt", a.updatedAt, b.updatedAt);
  cmp("assignedAt", a.assignedAt, b.assignedAt);
  cmp("submittedAt", a.submittedAt, b.submittedAt);
  cmp("closedAt", a.closedAt, b.closedAt);
  cmp("version", a.version, b.version);
  cmp("lastHash", a.lastHash, b.lastHash);
  auto handlers = [](const model::Item& i) {
    std::string s;
    for (const auto& h : i.handlers) s += h.party + (h.lead ? "*" : "") + (h.done ? "+" : "") + " ";
    return s;
  };
  auto positions = [](const model::Item& i) {
    std::string s;
    for (const auto& p : i.positions)
      s += p.party + "/" + p.stance + "/" + p.reason + "/" + p.at + "/" + std::to_string(p.userId) +
           " ";
    return s;
  };
  cmp("handlers", handlers(a), handlers(b));
  cmp("positions", positions(a), positions(b));
  return out;
}

// Every column of every row, for comparing logs.
inline std::string describe(const model::EventRecord& e) {
  return std::to_string(e.streamId) + "#" + std::to_string(e.seq) + " " + e.at + " u" +
         std::to_string(e.actorUser) + "/" + e.actorParty + " " + e.type + " " + e.payload + " " +
         e.fromState + "->" + e.toState + " " + e.prevHash + " " + e.hash;
}

// What the one field fixture fills in: `party` for single-party fields (the lead), `co` for
// party lists, `ref` for references (an item or meeting id), `date` for dates.
struct Sample {
  std::string party = "wuye";
  std::vector<std::string> co = {"juweihui"};
  int64_t ref = 1;
  std::string date = "2026-12-31";
};

// Valid fields for any item event, derived from the event table: the one fixture the machine,
// engine and replay tests share. Throws std::invalid_argument for an unknown event.
inline Poco::JSON::Object::Ptr validFields(const std::string& event, const Sample& s = {}) {
  const auto* def = workflow::findItemEvent(event);
  if (!def) throw std::invalid_argument("no item event " + event);
  return workflow::sampleFields(*def, s.party, s.co, s.ref, s.date);
}
inline workflow::Command validCommand(const std::string& event, const Sample& s = {}) {
  workflow::Command c(event);
  c.fields = validFields(event, s);
  return c;
}

// Every item event a person fires (all but propose and the system's), in table order.
inline std::vector<std::string> personEvents() {
  std::vector<std::string> out;
  for (const auto& d : workflow::itemEvents())
    if (!d.from.empty() && !d.system) out.push_back(d.name);
  return out;
}

}  // namespace liufang::testkit
