// The meeting kind on the real Engine and store: the rules items follow during a meeting
// (quorum, every present party heard, resolve outside a meeting), the agenda carried over to
// the next meeting, regular meetings that schedule themselves, and verify naming a tampered
// meeting row.
#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include "EngineTestKit.h"
#include "model/Errors.h"
#include "workflow/Directory.h"
#include "workflow/Engine.h"
#include "workflow/MeetingPlanning.h"
#include "workflow/Meetings.h"
#include "workflow/Verify.h"

using namespace liufang;
using namespace liufang::workflow;
using liufang::testkit::TestCommunity;

namespace {

class MeetingEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spdlog::set_level(spdlog::level::warn);
    store_ = model::openSqliteStore(testkit::testStoreOptions(dir_.file("meeting.db")));
    engine_ = std::make_unique<Engine>(*store_, clock_);
    town_ = TestCommunity::create(*store_);
  }

  int64_t item(const std::string& title) {
    Command c("propose");
    c.set("title", title).set("description", title + "，请研究");
    return engine_->propose(town_.id, c, town_.rep("juweihui")).id;
  }
  int64_t schedule(const std::string& kind, const std::string& date,
                   const std::vector<int64_t>& agenda) {
    Command c("schedule");
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (auto id : agenda) arr->add(id);
    c.set("title", "例会").set("kind", kind).set("date", date).set("agenda", arr);
    return engine_->create("meeting", town_.id, c, town_.convener).stream.id;
  }
  model::Meeting meetingEvent(int64_t id, Command c, const Actor* who = nullptr) {
    return engine_->apply(model::StreamRef{"meeting", id}, c, who ? *who : town_.convener)
        .as<model::Meeting>();
  }
  model::Meeting open(int64_t id, const std::string& attendance) {
    return meetingEvent(id, Command("open").set("attendance", attendance));
  }
  model::Item fire(int64_t id, Command c, const Actor& who) { return engine_->apply(id, c, who); }
  void speak(int64_t id, const std::string& party, const std::string& stance = "support") {
    fire(id, Command("log_position").set("stance", stance).set("reason", party + "的理由"),
         town_.rep(party));
  }
  std::string refusal(int64_t id, Command c) {
    try {
      fire(id, c, town_.convener);
    } catch (const Refused& e) {
      return e.what();
    }
    return "accepted";
  }

  testkit::TempDir dir_{"meeting"};
  model::ManualClock clock_{testkit::shanghai("2026-11-18")};
  std::unique_ptr<model::Store> store_;
  std::unique_ptr<Engine> engine_;
  TestCommunity town_;
};

TEST_F(MeetingEngineTest, ResolveInSessionNeedsQuorumAndEveryPresentPartyHeard) {
  const int64_t a = item("路灯不亮");
  const int64_t m = schedule("adhoc", "2026-11-18", {a});
  open(m, "gongzuozhan present\njuweihui present\nwuye present\nyeweihui present");
  fire(a, Command("take_up"), town_.convener);
  for (const char* p : {"gongzuozhan", "juweihui", "wuye", "yeweihui"}) speak(a, p);
  EXPECT_EQ(refusal(a, Command("resolve").set("decision", "物业修复")),
            "No quorum: the convening party \"dangwei方\" is not present.")
      << "four of six, but without the convening party";
  meetingEvent(m, Command("mark_attendance").set("party", "dangwei").set("status", "present"));
  EXPECT_EQ(refusal(a, Command("resolve").set("decision", "物业修复")),
            "Every party present states its position before the decision. Not yet heard: "
            "dangwei方.");
  speak(a, "dangwei");
  const auto resolved = engine_->apply(model::StreamRef{"item", a},
                                       Command("resolve").set("decision", "物业修复"),
                                       town_.convener);
  const auto payload = parsePayload(resolved.rows.back().payload);
  EXPECT_EQ(payload->getValue<int64_t>("meeting"), m);
  EXPECT_EQ(payload->getObject("tally")->size(), 5u);
  const auto q = quorumOf(*store_->findCommunity(town_.id), store_->parties(town_.id),
                          *store_->findMeeting(m));
  EXPECT_TRUE(q.met);
  EXPECT_EQ(q.needed, 4);
}

TEST_F(MeetingEngineTest, ResolveOutsideAMeetingFollowsTheCommunitySetting) {
  const int64_t a = item("楼道灯");
  fire(a, Command("take_up"), town_.convener);
  Directory(*store_).setResolveOutsideMeeting("taoyuanju", false);
  EXPECT_NE(refusal(a, Command("resolve").set("decision", "修")).find("decides items in a meeting"),
            std::string::npos);
  Directory(*store_).setResolveOutsideMeeting("taoyuanju", true);
  EXPECT_EQ(refusal(a, Command("resolve").set("decision", "修")), "accepted");
}

TEST_F(MeetingEngineTest, AgendaCarriesOverDeferredAndOverdueItems) {
  const int64_t deferred = item("停车难");
  const int64_t fresh = item("遛狗不牵绳");
  const int64_t m = schedule("regular", "2026-11-18", {deferred});
  open(m, "dangwei present\ngongzuozhan present\njuweihui present\nwuye present");
  fire(deferred, Command("take_up"), town_.convener);
  fire(deferred, Command("defer").set("reason", "待业主表决"), town_.convener);
  const auto log = store_->events(deferred);
  EXPECT_EQ(parsePayload(log.back().payload)->getValue<int64_t>("meeting"), m)
      << "defer during the meeting records it";
  const auto proposed = proposeAgenda(*store_, town_.id);
  ASSERT_EQ(proposed.size(), 2u);
  EXPECT_EQ(proposed[0].item.id, deferred);
  EXPECT_EQ(proposed[0].why, "deferred");
  EXPECT_EQ(proposed[0].meetingsOn, 1);
  EXPECT_EQ(proposed[1].item.id, fresh);
  EXPECT_EQ(proposed[1].why, "proposal");
}

TEST_F(MeetingEngineTest, RegularMeetingsRecurByTheCommunityRule) {
  EXPECT_EQ(nextRegularDate("monthly:1:3", *model::Date::parse("2026-11-18"))->str(),
            "2026-12-02") << "the first Wednesday of December";
  EXPECT_EQ(nextRegularDate("monthly:5:5", *model::Date::parse("2026-11-18"))->str(),
            "2026-11-27") << "the last Friday of November";
  EXPECT_EQ(nextRegularDate("weekly:5", *model::Date::parse("2026-11-20"))->str(), "2026-11-27");
  EXPECT_FALSE(nextRegularDate("fortnightly", *model::Date::parse("2026-11-20")));
  EXPECT_FALSE(scheduleNextRegular(*engine_, town_.id, town_.convener)) << "no rule yet";
  Directory(*store_).setMeetingRule("taoyuanju", "monthly:1:3", "09:30", "二楼会议室");
  const int64_t waiting = item("广场舞噪音");
  RegularMeetingScheduler scheduler(*engine_);
  engine_->subscribe(&scheduler);
  const int64_t m = schedule("regular", "2026-11-18", {});
  open(m, "dangwei present");
  meetingEvent(m, Command("adjourn"));
  engine_->unsubscribe(&scheduler);
  const auto meetings = store_->meetings(town_.id);
  ASSERT_EQ(meetings.size(), 2u) << "adjourning a regular meeting scheduled the next";
  const auto next = *store_->findMeeting(meetings[0].id);
  EXPECT_EQ(next.date, "2026-12-02");
  EXPECT_EQ(next.time, "09:30");
  EXPECT_EQ(next.location, "二楼会议室");
  EXPECT_EQ(next.agenda, (std::vector<int64_t>{waiting})) << "with the proposed agenda";
  EXPECT_FALSE(scheduleNextRegular(*engine_, town_.id, town_.convener))
      << "one regular meeting on the calendar at a time";
}

TEST_F(MeetingEngineTest, VerifyReplaysMeetingsAndNamesATamperedRow) {
  const int64_t a = item("电梯故障");
  const int64_t m = schedule("regular", "2026-11-18", {a});
  open(m, "dangwei present\ngongzuozhan present\njuweihui present\nwuye present");
  fire(a, Command("take_up"), town_.convener);
  for (const char* p : {"dangwei", "gongzuozhan", "juweihui", "wuye"}) speak(a, p);
  fire(a, Command("resolve").set("decision", "物业检修"), town_.convener);
  meetingEvent(m, Command("adjourn"));
  meetingEvent(m, Command("publish_minutes").set("preamble", "前言"));
  meetingEvent(m, Command("sign_minutes"), &town_.rep("wuye"));
  auto rep = verifyStore(*store_, model::HolidayCalendar::china());
  ASSERT_TRUE(rep.ok) << rep.badKind << " " << rep.badItem << ": " << rep.problem;
  EXPECT_EQ(rep.streams["meeting"], 1);

  auto tamper = [&](const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir_.file("meeting.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_changes(db), 1) << sql;
    sqlite3_close(db);
  };
  // A signature that the log does not hold: the projection no longer equals the replay.
  tamper("UPDATE meeting_signatures SET party = 'gongyi' WHERE party = 'wuye'");
  rep = verifyStore(*store_, model::HolidayCalendar::china());
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.badKind, "meeting");
  EXPECT_EQ(rep.badItem, m);
  EXPECT_NE(rep.problem.find("differs"), std::string::npos) << rep.problem;
  tamper("UPDATE meeting_signatures SET party = 'wuye' WHERE party = 'gongyi'");
  // An edited minutes text in the log: the hash chain names the row.
  tamper("UPDATE stream_events SET payload = replace(payload, '物业检修', '物业不修') "
         "WHERE kind = 'meeting' AND type = 'publish_minutes'");
  rep = verifyStore(*store_, model::HolidayCalendar::china());
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.badKind, "meeting");
  EXPECT_EQ(rep.badItem, m);
  EXPECT_EQ(rep.badSeq, 4) << "publish_minutes: " << rep.problem;
  EXPECT_NE(rep.problem.find("hash"), std::string::npos) << rep.problem;
}

}  // namespace
