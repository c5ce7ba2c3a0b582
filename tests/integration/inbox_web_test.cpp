// The inbox through the real server: an assignment reaches the lead party's representative
// (the header badge and /inbox), not others; mark-all-read clears the badge; the read marks
// need the session's CSRF token.
#include <gtest/gtest.h>

#include "WebTestKit.h"

namespace liufang::testkit {
namespace {

Reply apiAs(uint16_t port, const std::string& token, const std::string& path,
            const std::string& json) {
  return send(port, "POST", path, json, "application/json",
              {{"Authorization", "Bearer " + token}});
}

TEST(InboxWeb, AssignNotifiesTheLeadAndMarkAllReadClearsTheBadge) {
  TestServer server;
  const uint16_t port = server.port();
  Browser wuye(port), juweihui(port);
  wuye.login("wuye");
  juweihui.login("juweihui");
  // The demo's history left notices; start from none unread.
  ASSERT_EQ(wuye.post("/inbox/read", {}).status, 303);
  ASSERT_EQ(juweihui.post("/inbox/read", {}).status, 303);
  EXPECT_FALSE(contains(wuye.get("/desk").body, "id=\"inbox-badge\""));

  const std::string shuji = signIn(port, "shuji");
  Reply created = apiAs(port, signIn(port, "juweihui"), "/api/v1/items",
                        R"({"title":"楼道堆物","description":"三楼楼道堆满杂物"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t id = created.json()->getValue<int64_t>("id");
  const std::string events = "/api/v1/items/" + std::to_string(id) + "/events";
  ASSERT_EQ(apiAs(port, shuji, events, R"({"type":"take_up"})").status, 200);
  ASSERT_EQ(apiAs(port, shuji, events, R"({"type":"resolve","decision":"清理"})").status, 200);
  // A refused event (no lead) writes nothing, so no notice either.
  ASSERT_NE(apiAs(port, shuji, events, R"({"type":"assign","standard":"清空","working_days":5})")
                .status,
            200);
  EXPECT_FALSE(contains(wuye.get("/desk").body, "id=\"inbox-badge\""));
  ASSERT_EQ(apiAs(port, shuji, events,
                  R"({"type":"assign","lead":"wuye","standard":"清空","working_days":5})")
                .status,
            200);

  const std::string link = "href=\"/items/" + std::to_string(id) + "\"";
  Reply desk = wuye.get("/desk");
  EXPECT_TRUE(contains(desk.body, "<span class=\"badge\" id=\"inbox-badge\">1</span>"))
      << desk.body;
  Reply inbox = wuye.get("/inbox");
  ASSERT_EQ(inbox.status, 200);
  EXPECT_TRUE(contains(inbox.body, link)) << inbox.body;
  EXPECT_TRUE(contains(inbox.body, "交办")) << "the event label in zh-CN:\n" << inbox.body;
  EXPECT_FALSE(contains(juweihui.get("/desk").body, "id=\"inbox-badge\""));
  EXPECT_FALSE(contains(juweihui.get("/inbox").body, link));

  // Without the token the mark is refused and the badge stays.
  EXPECT_EQ(wuye.post("/inbox/read", {}, false).status, 403);
  EXPECT_TRUE(contains(wuye.get("/desk").body, "id=\"inbox-badge\""));
  ASSERT_EQ(wuye.post("/inbox/read", {}).status, 303);
  EXPECT_FALSE(contains(wuye.get("/desk").body, "id=\"inbox-badge\""));
  EXPECT_TRUE(contains(wuye.get("/inbox").body, link)) << "read notices stay listed";
}

}  // namespace
}  // namespace liufang::testkit
