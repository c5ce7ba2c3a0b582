// The operator's routes on the real server over loopback: /livez and /readyz beside the
// unchanged /healthz, and /metrics in the Prometheus text format (requests by route pattern and
// status, latency histogram, events applied by kind and type, refusals by code), served only
// to metrics.allow addresses. The sweep counter and database size are read from the shipped
// binary, which runs the background work.
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <sqlite3.h>

#include <regex>

#include "ServedDemo.h"
#include "WebTestKit.h"
#include "web/Site.h"

namespace liufang::testkit {
namespace {

// The value of the sample `series` (name with labels, exactly as exposed); -1 if absent.
double sample(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  return -1;
}

std::string tokenOn(uint16_t port, const std::string& username) {
  Reply r = send(port, "POST", "/api/v1/session",
                 R"({"username":")" + username + R"(","password":")" + kPassword + R"("})",
                 "application/json");
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? r.json()->getValue<std::string>("token") : "";
}

Reply apiOn(uint16_t port, const std::string& token, const std::string& method,
            const std::string& path, const std::string& json = {}) {
  return send(port, method, path, json, json.empty() ? std::string() : "application/json",
              {{"Authorization", "Bearer " + token}});
}

TEST(WebOps, LivenessAndReadinessBesideTheOldHealthCheck) {
  TestServer server;
  Reply health = send(server.port(), "GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body.rfind("ok schema=", 0), 0u) << health.body;
  Reply live = send(server.port(), "GET", "/livez");
  EXPECT_EQ(live.status, 200);
  EXPECT_EQ(live.body, "alive\n");
  Reply ready = send(server.port(), "GET", "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, "ready schema=" + std::to_string(model::latestSchemaVersion()) + "\n");
}

// Runs one statement on the database over a connection of the test's own.
void execSql(const std::string& db, const std::string& sql) {
  sqlite3* c = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &c), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(c, sql.c_str(), nullptr, nullptr, &err);
  EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(c);
}

TEST(WebOps, ReadinessFailsWhileTheDatabaseCannotAnswer) {
  TestServer server;
  const std::string db = server.server().site().config.dbPath;
  // The table the trivial query reads goes away behind the server's back: the process is
  // alive, the database does not answer.
  execSql(db, "ALTER TABLE schema_version RENAME TO schema_version_away");
  Reply ready = send(server.port(), "GET", "/readyz");
  EXPECT_EQ(ready.status, 503) << ready.body;
  EXPECT_EQ(ready.header("Retry-After"), "5");
  EXPECT_EQ(send(server.port(), "GET", "/livez").status, 200);
  execSql(db, "ALTER TABLE schema_version_away RENAME TO schema_version");
  EXPECT_EQ(send(server.port(), "GET", "/readyz").status, 200);
}

TEST(WebOps, MetricsCountRequestsEventsAndRefusals) {
  TestServer server;
  const uint16_t port = server.port();
  const std::string token = tokenOn(port, "juweihui");
  Reply created = apiOn(port, token, "POST", "/api/v1/items",
                        jsonString({{"title", "指标测试"}, {"description", "计数"}}));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = std::to_string(created.json()->getValue<int64_t>("id"));
  // juweihui is no convener: taking the item up is forbidden.
  Reply refused =
      apiOn(port, token, "POST", "/api/v1/items/" + id + "/events", R"({"type":"take_up"})");
  ASSERT_EQ(refused.status, 403) << refused.body;
  for (int i = 0; i < 3; ++i) ASSERT_EQ(send(port, "GET", "/livez").status, 200);

  Reply m = send(port, "GET", "/metrics");
  ASSERT_EQ(m.status, 200) << m.body;
  EXPECT_NE(m.header("Content-Type").find("text/plain; version=0.0.4"), std::string::npos);
  const std::string& t = m.body;
  EXPECT_EQ(sample(t, R"(liufang_events_applied_total{kind="item",type="propose"})"), 1) << t;
  EXPECT_EQ(
      sample(t, R"(liufang_http_requests_total{method="POST",route="/api/v1/items",status="201"})"),
      1)
      << t;
  // By pattern, not by path: no series per item id.
  EXPECT_EQ(
      sample(
          t,
          R"(liufang_http_requests_total{method="POST",route="/api/v1/items/{id}/events",status="403"})"),
      1)
      << t;
  EXPECT_EQ(t.find("/api/v1/items/" + id), std::string::npos) << t;
  EXPECT_EQ(sample(t, R"(liufang_refusals_total{code="forbidden"})"), 1) << t;
  EXPECT_EQ(sample(t, R"(liufang_http_requests_total{method="GET",route="/livez",status="200"})"),
            3)
      << t;
  // The histogram: cumulative buckets ending in +Inf == count.
  const std::string livez = R"(method="GET",route="/livez")";
  EXPECT_EQ(sample(t, "liufang_http_request_duration_seconds_bucket{" + livez + R"(,le="+Inf"})"),
            3)
      << t;
  EXPECT_EQ(sample(t, "liufang_http_request_duration_seconds_count{" + livez + "}"), 3) << t;
  EXPECT_GE(sample(t, "liufang_http_request_duration_seconds_bucket{" + livez + R"(,le="2.5"})"),
            sample(t, "liufang_http_request_duration_seconds_bucket{" + livez + R"(,le="0.001"})"));
  EXPECT_GT(sample(t, "liufang_database_size_bytes"), 0) << t;
}

TEST(WebOps, MetricsAreRefusedToAddressesNotAllowed) {
  web::ServerConfig cfg;
  cfg.metricsAllow = "10.255.255.1";
  TestServer server(cfg);
  Reply m = send(server.port(), "GET", "/metrics");
  EXPECT_EQ(m.status, 403);
  EXPECT_EQ(m.body.find("liufang_"), std::string::npos) << m.body;
}

TEST(WebOps, ServeBinaryCountsItsSweepRuns) {
  ServedDemo served("ops");
  ASSERT_NE(served.port(), 0);
  Reply m = send(served.port(), "GET", "/metrics");
  EXPECT_EQ(served.stop(), 0);
  ASSERT_EQ(m.status, 200) << m.body;
  // The first sweep runs before the server listens.
  EXPECT_GE(sample(m.body, R"(liufang_sweep_runs_total{result="ok"})"), 1) << m.body;
  EXPECT_EQ(sample(m.body, R"(liufang_sweep_runs_total{result="failed"})"), 0) << m.body;
  EXPECT_GT(sample(m.body, "liufang_database_size_bytes"), 4096) << m.body;
}

}  // namespace
}  // namespace liufang::testkit
