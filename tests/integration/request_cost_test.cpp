// What one request costs in SQL, counted on the store's own connections (sqlite3_trace_v2), so
// a lean request path cannot quietly grow back.
#include <atomic>
#include <mutex>

#include "WebTestKit.h"

namespace liufang::testkit {
namespace {

// Every statement the store starts while `on` is set.
struct StatementLog {
  std::atomic<bool> on{false};
  std::mutex mutex;
  std::vector<std::string> sql;

  std::function<void(model::StoreOptions&)> tracer() {
    return [this](model::StoreOptions& o) {
      o.onStatement = [this](const char* s) {
        if (!on) return;
        std::lock_guard<std::mutex> lock(mutex);
        sql.emplace_back(s);
      };
    };
  }
  std::string list() {
    std::lock_guard<std::mutex> lock(mutex);
    std::string out;
    for (const auto& s : sql) out += "  " + s.substr(0, 160) + "\n";
    return out;
  }
};

TEST(RequestCost, OneApiEventRunsAtMostTenStatements) {
  StatementLog log;
  TestServer server({}, log.tracer());
  const uint16_t port = server.port();
  const std::vector<std::pair<std::string, std::string>> convener = {
      {"Authorization", "Bearer " + signIn(port, "shuji")}};
  const std::vector<std::pair<std::string, std::string>> rep = {
      {"Authorization", "Bearer " + signIn(port, "juweihui")}};
  Reply created =
      send(port, "POST", "/api/v1/items",
           R"({"title":"楼道堆物","description":"三楼楼道堆满杂物"})", "application/json", rep);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string path =
      "/api/v1/items/" + std::to_string(created.json()->getValue<int64_t>("id")) + "/events";
  // Warm: pooled connections opened, statements prepared, the session recently seen.
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(send(port, "GET", "/api/v1/me", {}, {}, convener).status, 200);

  log.on = true;
  Reply r = send(port, "POST", path, R"({"type":"take_up"})", "application/json", convener);
  log.on = false;
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("state"), "discussion");
  EXPECT_EQ(r.json()->getArray("applied")->size(), 1u) << "the answer lists what was applied";
  // Eight, plus two for the desk's running totals (the item's row read after the write, one
  // upsert of the difference; the row before comes with the item's own read).
  EXPECT_LE(log.sql.size(), 10u) << "statements for one API event, BEGIN and COMMIT included:\n"
                                << log.list();
  EXPECT_GE(log.sql.size(), 4u) << "the trace saw too little to be counting:\n" << log.list();
}

}  // namespace
}  // namespace liufang::testkit
