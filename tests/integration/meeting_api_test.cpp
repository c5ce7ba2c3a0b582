// A whole joint meeting over the JSON API against the real server: 六方会议 with six party
// users logging positions at once, the rule 先民主讨论、再集中决议 (no decision without quorum
// or while a party present has not spoken), the tally, the objection of the lead party, the
// frozen minutes checked against the event log, and the sign-off; then a 三方联动 community.
#include <Poco/JSON/Array.h>

#include <thread>

#include "WebTestKit.h"
#include "workflow/Directory.h"
#include "workflow/Verify.h"

namespace liufang::testkit {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Meeting {
  uint16_t port;
  std::map<std::string, Headers> as;  // username -> Authorization header

  Reply post(const std::string& user, const std::string& path, const std::string& json) {
    return send(port, "POST", path, json, "application/json", as.at(user));
  }
  Reply get(const std::string& user, const std::string& path) {
    return send(port, "GET", path, {}, {}, as.at(user));
  }
};

std::string today(TestServer& server) {
  return model::localDate(server.clock().now(), 480).str();
}

// A whole 三方联动 meeting over the API in a community whose roster is zhibu, yeweihui, wuye and
// whose representatives are xf-zhibu, xf-yeweihui, xf-wuye (signed in on `api`): one item raised,
// scheduled, taken up, refused while two parties are silent, resolved, assigned, minutes
// published and signed by all three. Returns the meeting's API path.
std::string holdSanfangMeeting(TestServer& server, Meeting& api, const std::string& convener) {
  Reply item = api.post("xf-yeweihui", "/api/v1/items",
                        R"({"title":"单元门禁损坏","description":"3单元门禁无法刷卡"})");
  EXPECT_EQ(item.status, 201) << item.body;
  const std::string id = std::to_string(item.json()->getValue<int64_t>("id"));
  Reply created = api.post(convener, "/api/v1/meetings",
                           R"({"title":"三方联动例会","kind":"regular","date":")" + today(server) +
                               R"(","agenda":[)" + id + "]}");
  EXPECT_EQ(created.status, 201) << created.body;
  const std::string path =
      "/api/v1/meetings/" + std::to_string(created.json()->getValue<int64_t>("id"));
  EXPECT_EQ(api.post(convener, path + "/events",
                     R"({"type":"open","attendance":"zhibu present\nyeweihui present\nwuye present"})")
                .status,
            200);
  const std::string events = "/api/v1/items/" + id + "/events";
  EXPECT_EQ(api.post(convener, events, R"({"type":"take_up"})").status, 200);
  EXPECT_EQ(api.post("xf-zhibu", events, R"({"type":"log_position","stance":"support","reason":"同意"})")
                .status,
            200);
  Reply early = api.post(convener, events, R"({"type":"resolve","decision":"物业一周内修复"})");
  EXPECT_EQ(early.status, 409) << "two of the three parties have not spoken";
  EXPECT_TRUE(contains(early.body, "业主委员会")) << early.body;
  for (const char* u : {"xf-yeweihui", "xf-wuye"})
    EXPECT_EQ(api.post(u, events, R"({"type":"log_position","stance":"support","reason":"尽快修"})")
                  .status,
              200);
  EXPECT_EQ(api.post(convener, events, R"({"type":"resolve","decision":"物业一周内修复"})").status,
            200);
  EXPECT_EQ(api.post(convener, events,
                     R"({"type":"assign","lead":"wuye","standard":"门禁恢复","working_days":5})")
                .status,
            200);
  EXPECT_EQ(api.post(convener, path + "/events", R"({"type":"adjourn"})").status, 200);
  EXPECT_EQ(api.post(convener, path + "/events", R"({"type":"publish_minutes"})").status, 200);
  for (const char* u : {"xf-zhibu", "xf-yeweihui", "xf-wuye"})
    EXPECT_EQ(api.post(u, path + "/events", R"({"type":"sign_minutes"})").status, 200);
  return path;
}

TEST(MeetingApi, SixPartyMeetingDecidesOnlyAfterEveryPartyPresentHasSpoken) {
  TestServer server;
  Meeting api{server.port(), {}};
  const std::vector<std::pair<std::string, std::string>> reps = {
      {"shuji", "dangwei"}, {"gongzuozhan", "gongzuozhan"}, {"juweihui", "juweihui"},
      {"gongyi", "gongyi"}, {"wuye", "wuye"},               {"yeweihui", "yeweihui"}};
  for (const auto& [user, party] : reps)
    api.as[user] = {{"Authorization", "Bearer " + signIn(api.port, user)}, {"Accept-Language", "zh-CN"}};

  Reply item = api.post("juweihui", "/api/v1/items",
                        R"({"title":"消防通道被占","description":"12栋消防通道长期停放车辆"})");
  ASSERT_EQ(item.status, 201) << item.body;
  const int64_t itemId = item.json()->getValue<int64_t>("id");
  const std::string itemEvents = "/api/v1/items/" + std::to_string(itemId) + "/events";

  Reply created = api.post("shuji", "/api/v1/meetings",
                           R"({"title":"临时六方会议","kind":"adhoc","date":")" + today(server) +
                               R"(","time":"14:30","place":"党群服务中心","agenda":[)" +
                               std::to_string(itemId) + "]}");
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t meetingId = created.json()->getValue<int64_t>("id");
  const std::string meetingPath = "/api/v1/meetings/" + std::to_string(meetingId);
  EXPECT_EQ(created.json()->getValue<std::string>("state"), "scheduled");
  EXPECT_EQ(api.post("wuye", meetingPath + "/events", R"({"type":"open","attendance":[]})").status,
            403)
      << "only the convener calls the meeting to order";

  // Three of six present: the meeting may discuss but not decide.
  Reply opened = api.post("shuji", meetingPath + "/events",
                          R"({"type":"open","attendance":[)"
                          R"({"party":"dangwei","status":"present","delegate":"李红梅"},)"
                          R"({"party":"juweihui","status":"present"},)"
                          R"({"party":"wuye","status":"present"},)"
                          R"({"party":"gongyi","status":"excused"}]})");
  ASSERT_EQ(opened.status, 200) << opened.body;
  EXPECT_FALSE(opened.json()->getObject("quorum")->getValue<bool>("met"));
  Reply takeUp = api.post("shuji", itemEvents, R"({"type":"take_up"})");
  ASSERT_EQ(takeUp.status, 200) << takeUp.body;
  EXPECT_EQ(takeUp.json()->getArray("applied")->getObject(0)->getObject("fields")->getValue<int64_t>(
                "meeting"),
            meetingId)
      << "an item on the agenda of a meeting in session is taken up in that meeting";
  for (const char* user : {"shuji", "juweihui", "wuye"})
    ASSERT_EQ(api.post(user, itemEvents,
                       R"({"type":"log_position","stance":"support","reason":"同意清理"})")
                  .status,
              200);
  Reply noQuorum =
      api.post("shuji", itemEvents, R"({"type":"resolve","decision":"物业牵头清理通道"})");
  EXPECT_EQ(noQuorum.status, 409) << noQuorum.body;
  EXPECT_TRUE(contains(noQuorum.body, "未达到法定人数")) << noQuorum.body;

  for (const char* party : {"gongzuozhan", "gongyi", "yeweihui"})
    ASSERT_EQ(api.post("shuji", meetingPath + "/events",
                       std::string(R"({"type":"mark_attendance","status":"present","party":")") +
                           party + "\"}")
                  .status,
              200);
  Reply silent = api.post("shuji", itemEvents, R"({"type":"resolve","decision":"物业牵头"})");
  EXPECT_EQ(silent.status, 409) << silent.body;
  for (const char* name : {"社区工作站", "社区公益事业发展中心", "业主委员会"})
    EXPECT_TRUE(contains(silent.body, name)) << "the refusal names who has not spoken: " << name;
  EXPECT_FALSE(contains(silent.body, "物业公司")) << silent.body;

  // Every party speaks at once (revising is allowed; the last word counts).
  std::vector<std::thread> threads;
  std::vector<int> statuses(reps.size());
  for (size_t i = 0; i < reps.size(); ++i)
    threads.emplace_back([&, i] {
      const std::string stance = reps[i].second == "yeweihui" ? "oppose" : "support";
      statuses[i] = api.post(reps[i].first, itemEvents,
                             R"({"type":"log_position","stance":")" + stance +
                                 R"(","reason":")" + reps[i].second + R"( 的意见"})")
                        .status;
    });
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < reps.size(); ++i) EXPECT_EQ(statuses[i], 200) << reps[i].first;

  Reply resolved = api.post("shuji", itemEvents, R"({"type":"resolve","decision":"物业牵头清理通道"})");
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  auto fields = resolved.json()->getArray("applied")->getObject(0)->getObject("fields");
  EXPECT_EQ(fields->getValue<int64_t>("meeting"), meetingId);
  auto tally = fields->getObject("tally");
  ASSERT_TRUE(tally);
  EXPECT_EQ(tally->size(), 6u) << "the decision records the tally by party";
  EXPECT_EQ(tally->getValue<std::string>("yeweihui"), "oppose");

  // The lead party opposed: the convener records how the objection was addressed.
  const std::string assign = R"({"type":"assign","lead":"yeweihui","standard":"通道畅通","working_days":5)";
  Reply bare = api.post("shuji", itemEvents, assign + "}");
  EXPECT_EQ(bare.status, 409) << bare.body;
  EXPECT_TRUE(contains(bare.body, "业主委员会")) << bare.body;
  ASSERT_EQ(api.post("shuji", itemEvents, assign + R"(,"objection_addressed":"费用由公共收益列支"})")
                .status,
            200);

  ASSERT_EQ(api.post("shuji", meetingPath + "/events", R"({"type":"adjourn"})").status, 200);
  Reply published = api.post("shuji", meetingPath + "/events",
                             R"({"type":"publish_minutes","preamble":"会议由李红梅主持。"})");
  ASSERT_EQ(published.status, 200) << published.body;
  auto view = published.json();
  EXPECT_TRUE(view->getValue<bool>("minutes_frozen"));
  auto minutes = view->getObject("minutes");
  ASSERT_TRUE(minutes);
  EXPECT_EQ(minutes->getValue<std::string>("preamble"), "会议由李红梅主持。");
  auto items = minutes->getArray("items");
  ASSERT_EQ(items->size(), 1u);
  auto entry = items->getObject(0);
  EXPECT_EQ(entry->getValue<std::string>("outcome"), "resolved");
  EXPECT_EQ(entry->getValue<std::string>("decision"), "物业牵头清理通道");
  EXPECT_EQ(entry->getValue<std::string>("lead"), "yeweihui");
  EXPECT_EQ(entry->getValue<std::string>("objection_addressed"), "费用由公共收益列支");
  // The minutes agree with the event log: each party's last logged position, in roster order.
  std::map<std::string, std::string> lastReason;
  for (const auto& e : server.store().events(itemId))
    if (e.type == "log_position") {
      auto p = workflow::parsePayload(e.payload);
      lastReason[p->getValue<std::string>("party")] = p->getValue<std::string>("reason");
    }
  auto positions = entry->getArray("positions");
  ASSERT_EQ(positions->size(), 6u);
  for (size_t i = 0; i < positions->size(); ++i) {
    auto pos = positions->getObject(static_cast<unsigned>(i));
    EXPECT_EQ(pos->getValue<std::string>("party"), reps[i].second) << "roster order";
    EXPECT_EQ(pos->getValue<std::string>("reason"), lastReason[reps[i].second]);
  }
  // The frozen text is the logged payload: covered by the hash chain.
  const auto log = server.store().events(model::StreamRef{"meeting", meetingId});
  ASSERT_EQ(log.back().type, "publish_minutes");
  EXPECT_EQ(workflow::parsePayload(log.back().payload)->getValue<std::string>("minutes"),
            server.store().findMeeting(meetingId)->minutes);

  // Sign-off: each present party for itself, once.
  for (const char* user : {"shuji", "wuye", "yeweihui"})
    ASSERT_EQ(api.post(user, meetingPath + "/events", R"({"type":"sign_minutes"})").status, 200);
  EXPECT_EQ(api.post("wuye", meetingPath + "/events", R"({"type":"sign_minutes"})").status, 409);
  auto signatures = api.get("gongyi", meetingPath).json()->getArray("signatures");
  ASSERT_EQ(signatures->size(), 6u);
  int signedCount = 0;
  for (size_t i = 0; i < signatures->size(); ++i)
    signedCount += signatures->getObject(static_cast<unsigned>(i))->getValue<bool>("signed");
  EXPECT_EQ(signedCount, 3) << "the minutes show who has not signed yet";
  Reply erratum = api.post("shuji", meetingPath + "/events",
                           R"({"type":"add_erratum","text":"牵头单位联系人更正为赵志强"})");
  ASSERT_EQ(erratum.status, 200);
  EXPECT_EQ(erratum.json()->getArray("errata")->size(), 1u);

  const auto rep = workflow::verifyStore(server.store(), model::HolidayCalendar::china());
  EXPECT_TRUE(rep.ok) << rep.badKind << " " << rep.badItem << ": " << rep.problem;
}

TEST(MeetingApi, ThreePartyCommunityRunsAMeetingEndToEnd) {
  TestServer server;
  workflow::Directory dir(server.store());
  dir.addCommunity("xingfuli", "幸福里社区");
  for (const auto& [code, name] : std::vector<std::pair<std::string, std::string>>{
           {"zhibu", "小区党支部"}, {"yeweihui", "业主委员会"}, {"wuye", "物业公司"}})
    dir.addParty("xingfuli", code, name);
  dir.addUsers({{"xf-zhibu", "王书记", "xingfuli", "zhibu", true, true, false},
                {"xf-yeweihui", "钱主任", "xingfuli", "yeweihui", false, true, false},
                {"xf-wuye", "孙经理", "xingfuli", "wuye", false, true, false}},
               kPassword);
  Meeting api{server.port(), {}};
  for (const char* u : {"xf-zhibu", "xf-yeweihui", "xf-wuye", "shuji"})
    api.as[u] = {{"Authorization", "Bearer " + signIn(api.port, u)}};

  const std::string path = holdSanfangMeeting(server, api, "xf-zhibu");
  EXPECT_EQ(api.get("shuji", path).status, 404) << "another community's meeting is not probeable";
  auto view = api.get("xf-wuye", path).json();
  EXPECT_EQ(view->getValue<std::string>("state"), "minutes_published");
  EXPECT_EQ(view->getObject("minutes")->getArray("attendance")->size(), 3u);
  auto entry = view->getObject("minutes")->getArray("items")->getObject(0);
  EXPECT_EQ(entry->getArray("positions")->size(), 3u);
  EXPECT_EQ(entry->getValue<std::string>("lead_name"), "物业公司");
  auto list = api.get("xf-wuye", "/api/v1/meetings").json()->getArray("meetings");
  EXPECT_EQ(list->size(), 1u) << "the community's meetings only";
  const auto rep = workflow::verifyStore(server.store(), model::HolidayCalendar::china());
  EXPECT_TRUE(rep.ok) << rep.badKind << " " << rep.badItem << ": " << rep.problem;
}

// Issue 8's acceptance: a community set up from the 三方联动 preset through the web pages (roster
// and the three representatives' accounts) then holds a whole meeting, minutes and sign-off.
TEST(MeetingApi, SanfangCommunitySetUpThroughThePagesHoldsAMeeting) {
  TestServer server;
  workflow::Directory dir(server.store());
  dir.addCommunity("xingfu", "幸福小区");
  workflow::NewUser nu;
  nu.username = "xf-shuji";
  nu.communityCode = "xingfu";
  nu.convener = true;
  dir.addUser(nu, kPassword);

  Browser convener(server.port());
  convener.login("xf-shuji");
  ASSERT_EQ(convener.post("/community/preset", {{"preset", "sanfang"}}).status, 303);
  for (const auto& [user, party] : std::vector<std::pair<std::string, std::string>>{
           {"xf-zhibu", "zhibu"}, {"xf-yeweihui", "yeweihui"}, {"xf-wuye", "wuye"}}) {
    Reply added = convener.post("/community/users", {{"username", user},
                                                     {"display_name", user},
                                                     {"party", party},
                                                     {"password", kPassword}});
    ASSERT_EQ(added.status, 303) << added.body;  // a set password: back to the page
  }

  Meeting api{server.port(), {}};
  for (const char* u : {"xf-shuji", "xf-zhibu", "xf-yeweihui", "xf-wuye"})
    api.as[u] = {{"Authorization", "Bearer " + signIn(api.port, u)}};
  const std::string path = holdSanfangMeeting(server, api, "xf-shuji");
  Reply minutes = convener.get(path.substr(7) + "/minutes");  // the page, /meetings/{id}/minutes
  ASSERT_EQ(minutes.status, 200);
  for (const char* text : {"小区党支部", "业主委员会", "物业公司", "物业一周内修复", "尽快修"})
    EXPECT_TRUE(contains(minutes.body, text)) << text;
  auto view = api.get("xf-wuye", path).json();
  EXPECT_EQ(view->getValue<std::string>("state"), "minutes_published");
  EXPECT_EQ(view->getArray("signatures")->size(), 3u);
  const auto rep = workflow::verifyStore(server.store(), model::HolidayCalendar::china());
  EXPECT_TRUE(rep.ok) << rep.badKind << " " << rep.badItem << ": " << rep.problem;
}

}  // namespace
}  // namespace liufang::testkit
