// The meeting pages against the real server: schedule, open, the live screen (positions from
// representatives' sessions, the decision refused with 409 until every present party has
// spoken), minutes with sign-off, the decisions CSV (UTF-8 BOM) and the iCalendar feed.
#include <regex>

#include "WebTestKit.h"

namespace liufang::testkit {
namespace {

int64_t idFrom(const std::string& location, const std::string& prefix) {
  const auto at = location.find(prefix);
  if (at == std::string::npos) return 0;
  return std::stoll(location.substr(at + prefix.size()));
}

// A fresh proposal by the convener, and a meeting with it on the agenda; returns {meeting, item}.
std::pair<int64_t, int64_t> scheduled(Browser& shuji, const std::string& title) {
  shuji.get("/items/new");
  Reply item = shuji.post("/items", {{"title", title + " 议题"}, {"description", "测试"}});
  EXPECT_EQ(item.status, 303) << item.body;
  const int64_t itemId = itemIdFromLocation(item.header("Location"));
  shuji.get("/meetings");
  Reply m = shuji.post("/meetings", {{"title", title},
                                     {"kind", "adhoc"},
                                     {"date", "2026-12-01"},
                                     {"time", "14:30"},
                                     {"place", "党群服务中心二楼"},
                                     {"agenda", std::to_string(itemId)}});
  EXPECT_EQ(m.status, 303) << m.body;
  return {idFrom(m.header("Location"), "/meetings/"), itemId};
}

TEST(MeetingPages, ScheduleFormRefusesAndKeepsTextAndOnlyTheConvenerSchedules) {
  TestServer server;
  Browser shuji(server.port());
  shuji.login("shuji");
  Reply list = shuji.get("/meetings");
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(contains(list.body, "id=\"schedule\""));
  Reply bad = shuji.post("/meetings", {{"kind", "adhoc"}, {"date", "2026-12-01"},
                                       {"place", "二楼会议室"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(contains(bad.body, "id=\"schedule-error\"")) << bad.body;
  EXPECT_TRUE(contains(bad.body, "value=\"二楼会议室\"")) << "typed place kept";

  Browser wuye(server.port());
  wuye.login("wuye");
  EXPECT_FALSE(contains(wuye.get("/meetings").body, "id=\"schedule\""));
  EXPECT_EQ(wuye.post("/meetings", {{"title", "x"}, {"kind", "adhoc"}, {"date", "2026-12-01"}})
                .status,
            403);
}

TEST(MeetingPages, LiveScreenRefusesTheDecisionUntilEveryPresentPartySpoke) {
  TestServer server;
  Browser shuji(server.port());
  shuji.login("shuji");
  const auto [meeting, item] = scheduled(shuji, "现场测试会议");
  ASSERT_GT(meeting, 0);
  const std::string base = "/meetings/" + std::to_string(meeting);
  Reply page = shuji.get(base);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "id=\"ev-open\""));

  Browser wuye(server.port());
  wuye.login("wuye");
  EXPECT_EQ(wuye.post(base + "/events", {{"type", "adjourn"}}).status, 409)
      << "a scheduled meeting cannot adjourn: refused before the permission";
  EXPECT_EQ(wuye.post(base + "/events", {{"type", "cancel"}, {"reason", "x"}}).status, 403);

  ASSERT_EQ(shuji.post(base + "/events", {{"type", "open"},
                                          {"status_dangwei", "present"},
                                          {"status_gongzuozhan", "present"},
                                          {"status_juweihui", "absent"},
                                          {"status_gongyi", "excused"},
                                          {"status_wuye", "present"},
                                          {"status_yeweihui", "present"},
                                          {"delegate_wuye", "周经理"}})
                .status,
            303);
  const std::string live = base + "/live?item=" + std::to_string(item);
  Reply screen = shuji.get(live);
  ASSERT_EQ(screen.status, 200);
  EXPECT_TRUE(contains(screen.body, "http-equiv=\"refresh\"")) << "the projector refreshes";
  ASSERT_EQ(shuji.post(base + "/items/" + std::to_string(item) + "/events", {{"type", "take_up"}})
                .status,
            303);

  // The representative's phone: their own position form, no decision form.
  Reply phone = wuye.get(live);
  EXPECT_TRUE(contains(phone.body, "id=\"my-position\"")) << phone.body;
  EXPECT_FALSE(contains(phone.body, "id=\"live-resolve\""));
  EXPECT_FALSE(contains(phone.body, "http-equiv=\"refresh\"")) << "a typing phone is not reloaded";
  const std::string events = base + "/items/" + std::to_string(item) + "/events";
  Reply missing = wuye.post(events, {{"type", "log_position"}, {"stance", "support"}});
  EXPECT_EQ(missing.status, 400);
  ASSERT_EQ(wuye.post(events, {{"type", "log_position"}, {"stance", "support"},
                               {"reason", "物业同意，下周施工"}})
                .status,
            303);
  EXPECT_EQ(wuye.post(events, {{"type", "resolve"}, {"decision", "x"}}).status, 403);

  // Not everyone present has spoken: 409 on the live screen, naming who, the text kept.
  Reply refused = shuji.post(events, {{"type", "resolve"}, {"decision", "同意，物业牵头"}});
  EXPECT_EQ(refused.status, 409);
  EXPECT_TRUE(contains(refused.body, "id=\"live-error\"")) << refused.body;
  EXPECT_TRUE(contains(refused.body, "业主委员会")) << refused.body;
  EXPECT_TRUE(contains(refused.body, "同意，物业牵头</textarea>"));

  for (const char* user : {"shuji", "gongzuozhan", "yeweihui"}) {
    Browser b(server.port());
    b.login(user);
    ASSERT_EQ(b.post(events, {{"type", "log_position"}, {"stance", "support"},
                              {"reason", std::string(user) + " 同意"}})
                  .status,
              303);
  }
  ASSERT_EQ(shuji.post(events, {{"type", "resolve"}, {"decision", "同意，物业牵头"}}).status, 303);
  EXPECT_TRUE(contains(shuji.get(live).body, "同意，物业牵头"));
}

TEST(MeetingPages, MinutesSignOffCsvWithBomAndCalendar) {
  TestServer server;
  Browser shuji(server.port());
  shuji.login("shuji");
  const auto [meeting, item] = scheduled(shuji, "纪要测试会议");
  const std::string base = "/meetings/" + std::to_string(meeting);
  const std::string events = base + "/items/" + std::to_string(item) + "/events";
  std::vector<std::pair<std::string, std::string>> open = {{"type", "open"}};
  for (const char* p : {"dangwei", "gongzuozhan", "juweihui", "gongyi", "wuye", "yeweihui"})
    open.emplace_back(std::string("status_") + p, std::string(p) == "gongyi" ? "absent" : "present");
  ASSERT_EQ(shuji.post(base + "/events", open).status, 303);
  ASSERT_EQ(shuji.post(events, {{"type", "take_up"}}).status, 303);
  for (const char* user : {"shuji", "gongzuozhan", "juweihui", "wuye", "yeweihui"}) {
    Browser b(server.port());
    b.login(user);
    ASSERT_EQ(b.post(events, {{"type", "log_position"}, {"stance", "support"},
                              {"reason", std::string("理由，") + user}})
                  .status,
              303);
  }
  ASSERT_EQ(shuji.post(events, {{"type", "resolve"}, {"decision", "同意，\"东门\"先行"}}).status,
            303);
  ASSERT_EQ(shuji.post(base + "/events", {{"type", "adjourn"}}).status, 303);
  Reply draft = shuji.get(base + "/minutes");
  ASSERT_EQ(draft.status, 200);
  EXPECT_TRUE(contains(draft.body, "id=\"ev-publish_minutes\""));
  EXPECT_TRUE(contains(draft.body, "理由，wuye"));
  ASSERT_EQ(shuji.post(base + "/events", {{"type", "publish_minutes"},
                                          {"preamble", "会议由党委书记主持。"},
                                          {"closing", "各方抓好落实。"}})
                .status,
            303);

  // Sign-off: a present party signs once; an absent party's representative cannot.
  Browser wuye(server.port());
  wuye.login("wuye");
  Reply mins = wuye.get(base + "/minutes");
  EXPECT_TRUE(contains(mins.body, "id=\"ev-sign_minutes\""));
  ASSERT_EQ(wuye.post(base + "/events", {{"type", "sign_minutes"}}).status, 303);
  EXPECT_EQ(wuye.post(base + "/events", {{"type", "sign_minutes"}}).status, 409);
  Browser gongyi(server.port());
  gongyi.login("gongyi");
  EXPECT_FALSE(contains(gongyi.get(base + "/minutes").body, "id=\"ev-sign_minutes\""));
  Reply signedPage = shuji.get(base + "/minutes");
  EXPECT_TRUE(contains(signedPage.body, "id=\"sig-wuye\" class=\"signed\"")) << signedPage.body;
  EXPECT_TRUE(contains(signedPage.body, "id=\"sig-yeweihui\" class=\"unsigned\""));
  EXPECT_TRUE(contains(signedPage.body, "会议由党委书记主持。"));

  // The decisions CSV: BOM, CRLF rows, quotes doubled.
  Reply csv = shuji.get(base + "/decisions.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_TRUE(contains(csv.header("Content-Type"), "text/csv"));
  EXPECT_TRUE(contains(csv.body, "\"同意，\"\"东门\"\"先行\"")) << csv.body;
  EXPECT_TRUE(contains(csv.body, "\r\n"));

  // iCalendar: CRLF lines of at most 75 octets; unfolded, the meeting is there in UTC.
  Reply ics = shuji.get("/meetings.ics");
  ASSERT_EQ(ics.status, 200);
  EXPECT_TRUE(contains(ics.header("Content-Type"), "text/calendar"));
  EXPECT_EQ(ics.body.rfind("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 0), 0u);
  EXPECT_TRUE(contains(ics.body, "END:VCALENDAR\r\n"));
  size_t start = 0, events_ = 0;
  std::string unfolded;
  while (start < ics.body.size()) {
    const size_t end = ics.body.find("\r\n", start);
    ASSERT_NE(end, std::string::npos) << "a line without CRLF";
    const std::string line = ics.body.substr(start, end - start);
    EXPECT_LE(line.size(), 75u) << line;
    EXPECT_EQ(line.find('\n'), std::string::npos);
    if (!line.empty() && line[0] == ' ')
      unfolded += line.substr(1);
    else
      unfolded += (unfolded.empty() ? "" : "\n") + line;
    if (line == "BEGIN:VEVENT") ++events_;
    start = end + 2;
  }
  EXPECT_GE(events_, 1u);
  EXPECT_TRUE(contains(unfolded, "SUMMARY:桃源居社区 纪要测试会议")) << unfolded;
  EXPECT_TRUE(contains(unfolded, "DTSTART:20261201T063000Z")) << "14:30 in Shanghai";
  EXPECT_TRUE(contains(unfolded, "LOCATION:党群服务中心二楼"));
}

}  // namespace
}  // namespace liufang::testkit
