#pragma once
// The EngineTest fixture: workflow::Engine over a real SQLite file with a test community, and
// the helpers its tests share (engine_test.cpp, engine_deadline_test.cpp). In a named
// namespace, not an anonymous one: the suite spans two files and must be one class.
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

namespace liufang::enginetest {

inline const char* kToday = "2026-11-18";  // a Wednesday with no holiday near it
inline const char* kFarDue = "2026-12-31";

// Command fields as a table cell (a vector, so it may be stored in a case row).
using Fields = std::vector<std::pair<std::string, Poco::Dynamic::Var>>;

inline Poco::JSON::Array::Ptr list(std::initializer_list<const char*> codes) {
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

}  // namespace liufang::enginetest
