// The per-user deadline calendar through the real server: a user makes a secret link on
// /calendar (CSRF-checked), a calendar app fetches the .ics with no cookie (RFC 5545: CRLF,
// folding, one all-day VEVENT per item the user's party handles and none of other parties),
// revoking or replacing the link kills the old URL; a supervisor's feed lists escalated items.
// Also the inbox rows: a tick notice says due soon / overdue, and every row shows the title.
#include <map>
#include <regex>

#include "EngineTestKit.h"
#include "WebTestKit.h"
#include "workflow/Supervision.h"

namespace liufang::testkit {
namespace {

Reply apiPost(uint16_t port, const std::string& token, const std::string& path,
              const std::string& json) {
  Reply r = send(port, "POST", path, json, "application/json",
                 {{"Authorization", "Bearer " + token}});
  EXPECT_LT(r.status, 300) << path << " " << json << " " << r.body;
  return r;
}

// An item raised by 居委会 and assigned by the convener with `assign` (lead, co, due…).
int64_t assigned(uint16_t port, const std::string& title, const std::string& assign) {
  const std::string shuji = signIn(port, "shuji");
  const int64_t id = apiPost(port, signIn(port, "juweihui"), "/api/v1/items",
                             jsonString({{"title", title}, {"description", "测试"}}))
                         .json()
                         ->getValue<int64_t>("id");
  const std::string events = "/api/v1/items/" + std::to_string(id) + "/events";
  apiPost(port, shuji, events, R"({"type":"take_up"})");
  apiPost(port, shuji, events, R"({"type":"resolve","decision":"办理"})");
  apiPost(port, shuji, events, R"({"type":"assign","standard":"办结",)" + assign + "}");
  return id;
}

// Makes (or replaces) the browser's calendar link; returns the token shown once.
std::string makeLink(Browser& b) {
  const Reply r = b.post("/calendar", {});
  EXPECT_EQ(r.status, 200) << r.body;
  static const std::regex re(R"(/calendar/([0-9a-f]{64})\.ics)");
  std::smatch m;
  if (!std::regex_search(r.body, m, re)) {
    ADD_FAILURE() << "no link on the page:\n" << r.body;
    return {};
  }
  return m[1];
}

struct Feed {
  std::map<int64_t, std::map<std::string, std::string>> events;  // item id -> property -> value
  std::string unfolded;
};

// Checks the framing (CRLF only, lines of at most 75 octets), unfolds and reads the VEVENTs.
Feed parse(const std::string& body) {
  Feed f;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\n') {
      EXPECT_TRUE(i > 0 && body[i - 1] == '\r') << "bare LF at " << i;
    }
  }
  EXPECT_EQ(body.substr(body.size() - 2), "\r\n");
  size_t start = 0;
  bool folded = false;
  while (start < body.size()) {
    const size_t end = body.find("\r\n", start);
    EXPECT_LE(end - start, 75u) << body.substr(start, end - start);
    if (body[start] == ' ') folded = true;
    start = end + 2;
  }
  EXPECT_TRUE(folded) << "the long titles should have been folded";
  f.unfolded = std::regex_replace(body, std::regex("\r\n "), "");
  std::istringstream in(f.unfolded);
  std::string line;
  std::map<std::string, std::string> ev;
  bool inEvent = false, inAlarm = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line == "BEGIN:VEVENT") {
      inEvent = true, ev.clear();
    } else if (line == "BEGIN:VALARM") {
      inAlarm = true;
    } else if (line == "END:VALARM") {
      inAlarm = false;
    } else if (line == "END:VEVENT") {
      inEvent = false;
      static const std::regex uid(R"(item-(\d+)@liufang)");
      std::smatch m;
      EXPECT_TRUE(std::regex_match(ev["UID"], m, uid)) << ev["UID"];
      EXPECT_EQ(f.events.count(std::stoll(m[1])), 0u) << "one VEVENT per item";
      f.events[std::stoll(m[1])] = ev;
    } else if (inEvent) {
      const size_t colon = line.find(':');
      ev[(inAlarm ? "VALARM." : "") + line.substr(0, colon)] = line.substr(colon + 1);
    }
  }
  return f;
}

std::string ymd(const std::string& date) {
  return date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2);
}

bool handles(model::Store& store, int64_t id, const std::string& party) {
  const auto item = store.findItem(id);
  if (!item) return false;
  for (const auto& h : item->handlers)
    if (h.party == party) return true;
  return false;
}

TEST(CalendarFeed, LinkFeedRevokeAndReplace) {
  TestServer server;
  const uint16_t port = server.port();
  server.clock().set(shanghai("2026-09-28", 9));  // Monday
  const std::string longTitle = "小区东门路灯不亮，夜间居民出行存在安全隐患需尽快维修更换灯具";
  const int64_t led = assigned(port, longTitle, R"("lead":"wuye","due":"2026-10-12")");
  const int64_t co =
      assigned(port, "楼道堆物", R"("lead":"juweihui","co":["wuye"],"due":"2026-10-09")");
  const int64_t other = assigned(port, "垃圾分类宣传", R"("lead":"gongzuozhan","due":"2026-10-09")");

  Browser wuye(port);
  wuye.login("wuye");
  const Reply page = wuye.get("/calendar");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "id=\"calendar-create\"")) << page.body;
  EXPECT_TRUE(contains(wuye.get("/inbox").body, "href=\"/calendar\"")) << "linked from the inbox";
  EXPECT_EQ(wuye.post("/calendar", {}, false).status, 403) << "no CSRF token, no link";

  const std::string token = makeLink(wuye);
  ASSERT_FALSE(token.empty());
  const std::string url = "/calendar/" + token + ".ics";
  const Reply ics = send(port, "GET", url, "", "", {});  // a calendar app: no cookie
  ASSERT_EQ(ics.status, 200) << ics.body;
  EXPECT_EQ(ics.header("Content-Type"), "text/calendar; charset=utf-8");
  const Feed feed = parse(ics.body);
  ASSERT_EQ(feed.events.count(led), 1u) << ics.body;
  ASSERT_EQ(feed.events.count(co), 1u) << "co-handled items too:\n" << ics.body;
  EXPECT_EQ(feed.events.count(other), 0u) << "another party's item:\n" << ics.body;
  for (const auto& [id, ev] : feed.events) EXPECT_TRUE(handles(server.store(), id, "wuye")) << id;
  auto ev = feed.events.at(led);
  EXPECT_EQ(ev["DTSTART;VALUE=DATE"], ymd("2026-10-12"));
  EXPECT_EQ(ev["SUMMARY"], "#" + std::to_string(led) + " " + longTitle);
  EXPECT_TRUE(contains(ev["DESCRIPTION"], "牵头方: 物业")) << ev["DESCRIPTION"];
  EXPECT_TRUE(contains(ev["DESCRIPTION"], "/items/" + std::to_string(led))) << ev["DESCRIPTION"];
  EXPECT_FALSE(ev["DTSTAMP"].empty());
  // The reminder: the working day before Monday 10-12 is the make-up Saturday 10-10, 09:00
  // in Shanghai.
  EXPECT_EQ(ev["VALARM.TRIGGER;VALUE=DATE-TIME"], "20261010T010000Z");
  EXPECT_EQ(feed.events.at(co).at("DTSTART;VALUE=DATE"), ymd("2026-10-09"));
  EXPECT_TRUE(contains(wuye.get("/calendar").body, "id=\"calendar-fetched\">2026-09-28"));

  // Revoking needs the token, then the old URL is refused.
  EXPECT_EQ(wuye.post("/calendar/revoke", {}, false).status, 403);
  EXPECT_EQ(send(port, "GET", url, "", "", {}).status, 200);
  EXPECT_EQ(wuye.post("/calendar/revoke", {}).status, 303);
  EXPECT_EQ(send(port, "GET", url, "", "", {}).status, 404);
  EXPECT_TRUE(contains(wuye.get("/calendar").body, "id=\"calendar-none\""));

  // Replacing: the newest link works, the one before does not.
  const std::string first = makeLink(wuye), second = makeLink(wuye);
  ASSERT_NE(first, second);
  EXPECT_EQ(send(port, "GET", "/calendar/" + first + ".ics", "", "", {}).status, 404);
  EXPECT_EQ(send(port, "GET", "/calendar/" + second + ".ics", "", "", {}).status, 200);
  EXPECT_EQ(send(port, "GET", "/calendar/" + second, "", "", {}).status, 404);
  EXPECT_EQ(send(port, "GET", "/calendar/not-a-token.ics", "", "", {}).status, 404);
  EXPECT_EQ(send(port, "GET", "/calendar", "", "", {}).status, 303) << "the page needs sign-in";

  // The district supervisor's feed lists the escalated (挂牌督办) items, not the others.
  apiPost(port, signIn(port, "ducha"), "/api/v1/items/" + std::to_string(co) + "/events",
          R"({"type":"escalate","note":"挂牌督办"})");
  Browser ducha(port);
  ducha.login("ducha");
  const std::string sup = makeLink(ducha);
  const Feed supFeed = parse(send(port, "GET", "/calendar/" + sup + ".ics", "", "", {}).body);
  EXPECT_EQ(supFeed.events.count(co), 1u) << supFeed.unfolded;
  EXPECT_EQ(supFeed.events.count(led), 0u) << supFeed.unfolded;
}

TEST(CalendarFeed, InboxTickNoticesSayDueSoonOrOverdueAndRowsShowTitles) {
  TestServer server;
  const uint16_t port = server.port();
  server.clock().set(shanghai("2026-09-21", 9));  // Monday
  const int64_t id = assigned(port, "小区东门路灯不亮", R"("lead":"wuye","due":"2026-09-30")");
  Browser wuye(port);
  wuye.login("wuye");
  const std::string row = "#" + std::to_string(id) + " 小区东门路灯不亮";
  Reply inbox = wuye.get("/inbox");
  EXPECT_TRUE(contains(inbox.body, "交办</strong> · " + row)) << inbox.body;

  server.clock().set(shanghai("2026-09-29", 9));
  workflow::runSweep(server.store(), server.clock());
  wuye.login("wuye");  // the session ended as the days passed
  inbox = wuye.get("/inbox");
  EXPECT_TRUE(contains(inbox.body, "即将到期</strong> · " + row)) << inbox.body;

  server.clock().set(shanghai("2026-10-09", 9));
  workflow::runSweep(server.store(), server.clock());
  wuye.login("wuye");  // the session ended as the days passed
  inbox = wuye.get("/inbox");
  EXPECT_TRUE(contains(inbox.body, "已逾期</strong> · " + row)) << inbox.body;
  EXPECT_FALSE(contains(inbox.body, "期限检查")) << inbox.body;
  EXPECT_TRUE(contains(wuye.get("/inbox?lang=en").body, "Deadline passed"));
}

}  // namespace
}  // namespace liufang::testkit
