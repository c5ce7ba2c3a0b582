// The item page explains its deadline's working-day arithmetic, in zh-CN and English, from the
// calendar's parts (HolidayCalendar::explain) — here across the 2026 National Day holiday.
#include "EngineTestKit.h"
#include "WebTestKit.h"

namespace liufang::testkit {
namespace {

TEST(DeadlineExplained, ItemPageShowsTheNationalDayArithmetic) {
  TestServer server;
  server.clock().set(shanghai("2026-09-28", 9));  // Monday
  const std::string shuji = signIn(server.port(), "shuji");
  const std::string juweihui = signIn(server.port(), "juweihui");
  auto call = [&](const std::string& token, const std::string& path, const std::string& json) {
    Reply r = send(server.port(), "POST", path, json, "application/json",
                   {{"Authorization", "Bearer " + token}});
    EXPECT_LT(r.status, 300) << path << " " << json << " " << r.body;
    return r;
  };
  const int64_t id = call(juweihui, "/api/v1/items",
                          jsonString({{"title", "国庆前后路灯维修"}, {"description", "南区"}}))
                         .json()
                         ->getValue<int64_t>("id");
  const std::string events = "/api/v1/items/" + std::to_string(id) + "/events";
  call(shuji, events, R"({"type":"take_up"})");
  call(shuji, events, R"({"type":"resolve","decision":"物业更换路灯"})");
  Reply assigned = call(shuji, events,
                        R"({"type":"assign","lead":"wuye","standard":"亮灯","working_days":5})");
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

}  // namespace
}  // namespace liufang::testkit
