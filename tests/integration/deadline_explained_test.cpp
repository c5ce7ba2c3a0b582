// The item page explains its deadline's working-day arithmetic, in zh-CN and English, from the
// calendar's parts (HolidayCalendar::explain) — here across the 2026 National Day holiday —
// and the escalation ladder with the tiers fired.
#include "EngineTestKit.h"
#include "WebTestKit.h"
#include "workflow/Supervision.h"

namespace liufang::testkit {
namespace {

// An item raised by 居委会 and assigned to 物业 through the API by the convener, at the
// server's clock; `assign` holds the assign event's fields besides the lead and standard.
// Returns its id and the assign reply.
std::pair<int64_t, Reply> assignedItem(TestServer& server, const std::string& title,
                                       const std::string& assign) {
  const std::string shuji = signIn(server.port(), "shuji");
  const std::string juweihui = signIn(server.port(), "juweihui");
  auto call = [&](const std::string& token, const std::string& path, const std::string& json) {
    Reply r = send(server.port(), "POST", path, json, "application/json",
                   {{"Authorization", "Bearer " + token}});
    EXPECT_LT(r.status, 300) << path << " " << json << " " << r.body;
    return r;
  };
  const int64_t id =
      call(juweihui, "/api/v1/items", jsonString({{"title", title}, {"description", "南区"}}))
          .json()
          ->getValue<int64_t>("id");
  const std::string events = "/api/v1/items/" + std::to_string(id) + "/events";
  call(shuji, events, R"({"type":"take_up"})");
  call(shuji, events, R"({"type":"resolve","decision":"物业更换路灯"})");
  Reply assigned = call(shuji, events,
                        R"({"type":"assign","lead":"wuye","standard":"亮灯",)" + assign + "}");
  return {id, assigned};
}

TEST(DeadlineExplained, ItemPageShowsTheNationalDayArithmetic) {
  TestServer server;
  server.clock().set(shanghai("2026-09-28", 9));  // Monday
  const auto [id, assigned] = assignedItem(server, "国庆前后路灯维修", R"("working_days":5)");
  EXPECT_EQ(assigned.json()->getValue<std::string>("due"), "2026-10-10");

  Browser b(server.port());
  b.login("shuji");
  const Reply zh = b.get("/items/" + std::to_string(id));
  EXPECT_TRUE(contains(zh.body,
                       "交办 2026-09-28（周一），5 个工作日：09-29、09-30、10-08、10-09、"
                       "10-10（周六调休上班），截止 2026-10-10；国庆 10-01…10-07 不计"))
      << zh.body;
  const Reply en = b.get("/items/" + std::to_string(id) + "?lang=en");
  EXPECT_TRUE(contains(en.body,
                       "Assigned 2026-09-28 (Monday), 5 working days: 09-29, 09-30, 10-08, "
                       "10-09, 10-10 (Saturday make-up working day), due 2026-10-10; National "
                       "Day 10-01…10-07 not counted"))
      << en.body;
}

// The item page shows the community's escalation ladder and when each tier fired, after the
// sweep (workflow::runSweep) walks an overdue item past the same holiday.
TEST(LadderPage, ItemPageShowsTheTiersFiredAndNotYet) {
  TestServer server;
  server.clock().set(shanghai("2026-09-28", 9));  // Monday
  const int64_t id = assignedItem(server, "节前未修好的路灯", R"("due":"2026-09-30")").first;

  // 2026-10-13: 5 working days overdue (10-08, 10-09, 10-10 make-up Saturday, 10-12, 10-13).
  server.clock().set(shanghai("2026-10-13", 9));
  const auto r = workflow::runSweep(server.store(), server.clock());
  EXPECT_EQ(r.laddered, 2);
  EXPECT_EQ(workflow::runSweep(server.store(), server.clock()).laddered, 0);

  Browser b(server.port());
  b.login("shuji");
  const Reply zh = b.get("/items/" + std::to_string(id));
  EXPECT_TRUE(contains(zh.body, "督办阶梯")) << zh.body;
  EXPECT_TRUE(contains(zh.body, "id=\"ladder-tier-1\" data-action=\"urge\"")) << zh.body;
  EXPECT_TRUE(contains(zh.body, "ladder-tier fired\" id=\"ladder-tier-5\"")) << zh.body;
  EXPECT_TRUE(contains(zh.body, "已触发于 2026-10-13")) << zh.body;
  EXPECT_TRUE(contains(zh.body, "ladder-tier\" id=\"ladder-tier-10\"")) << "not reached yet";
  EXPECT_TRUE(contains(zh.body, "报区督查"));
  EXPECT_TRUE(contains(zh.body, "id=\"item-escalated\""));
  const Reply en = b.get("/items/" + std::to_string(id) + "?lang=en");
  EXPECT_TRUE(contains(en.body, "Escalation ladder")) << en.body;
  EXPECT_TRUE(contains(en.body, "10 working days overdue → Report to the district supervisor"))
      << en.body;
}

}  // namespace
}  // namespace liufang::testkit
