// The demo clock and `liufang sweep`, through the shipped binary: --now runs on a demo database
// only; on one it turns lights yellow and red; a second sweep at the same time changes nothing.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "CliTestKit.h"
#include "EngineTestKit.h"
#include "ServedDemo.h"
#include "model/Store.h"

using namespace liufang;
using testkit::runCli;

namespace {

std::map<std::string, int64_t> states(const std::string& db) {
  auto store = model::openSqliteStore(testkit::testStoreOptions(db));
  std::map<std::string, int64_t> out;
  for (const auto& [s, n] : store->countByState(0)) out[s] = n;
  return out;
}

TEST(DemoClock, RefusedOnADatabaseThatIsNotADemo) {
  testkit::TempDir dir("democlock");
  const std::string db = dir.file("plain.db");
  ASSERT_EQ(runCli({LIUFANG_BINARY, "init", "--db", db}).exitCode, 0);
  const auto serve = runCli({LIUFANG_BINARY, "serve", "--port", "0", "--bind", "127.0.0.1",
                             "--db", db, "--now", "2026-12-15T09:00"});
  EXPECT_EQ(serve.exitCode, 78) << serve.output;
  EXPECT_NE(serve.output.find("not a demo database"), std::string::npos) << serve.output;
  const auto sweep = runCli({LIUFANG_BINARY, "sweep", "--db", db, "--now", "2026-12-15T09:00"});
  EXPECT_EQ(sweep.exitCode, 1) << sweep.output;
  EXPECT_NE(sweep.output.find("not a demo database"), std::string::npos) << sweep.output;
  // Without --now the sweep runs on any database.
  const auto real = runCli({LIUFANG_BINARY, "sweep", "--db", db});
  EXPECT_EQ(real.exitCode, 0) << real.output;
  EXPECT_NE(real.output.find("sweep: 0 item(s)"), std::string::npos) << real.output;
}

TEST(DemoClock, MovesTheDemoLightsAndTheSweepIsIdempotent) {
  testkit::TempDir dir("democlock");
  const std::string db = dir.file("demo.db");
  ASSERT_EQ(runCli({LIUFANG_BINARY, "init", "--demo", "--db", db}).exitCode, 0);
  // Under the real clock the demo shows every light.
  auto before = states(db);
  EXPECT_GE(before["deadline.on_track"], 1);
  EXPECT_GE(before["deadline.due_soon"], 1);
  EXPECT_GE(before["deadline.overdue"], 1);
  EXPECT_EQ(runCli({LIUFANG_BINARY, "sweep", "--db", db}).output.find("sweep: 0 item(s)"), 0u);

  // Three months on, every item still in Deadline is overdue.
  const auto moved = runCli({LIUFANG_BINARY, "sweep", "--db", db, "--now", "2027-03-01T09:00"});
  EXPECT_EQ(moved.exitCode, 0) << moved.output;
  EXPECT_EQ(moved.output.find("sweep: 0 item(s)"), std::string::npos) << moved.output;
  auto after = states(db);
  EXPECT_EQ(after["deadline.on_track"], 0);
  EXPECT_EQ(after["deadline.due_soon"], 0);
  EXPECT_EQ(after["deadline.overdue"], before["deadline.on_track"] +
                                           before["deadline.due_soon"] +
                                           before["deadline.overdue"]);
  const auto again = runCli({LIUFANG_BINARY, "sweep", "--db", db, "--now", "2027-03-01T09:00"});
  EXPECT_EQ(again.output.find("sweep: 0 item(s)"), 0u) << again.output;
  // The log still verifies: every tick went through the Engine.
  const auto verify = runCli({LIUFANG_BINARY, "verify", "--db", db});
  EXPECT_EQ(verify.exitCode, 0) << verify.output;

  // serve --now comes up on the demo, answers and stops cleanly.
  EXPECT_EQ(testkit::serveOnce(db, {"--now", "2027-03-01T09:00"}), 0);
}

TEST(DemoClock, AnOperatorHolidayFileIsMergedAtRunTime) {
  testkit::TempDir dir("democlock");
  const std::string db = dir.file("plain.db");
  ASSERT_EQ(runCli({LIUFANG_BINARY, "init", "--db", db}).exitCode, 0);
  const std::string bad = dir.file("bad.txt");
  {
    std::ofstream f(bad);
    f << "2027-01-04 holiday Local day\n2027-01-05 vacation\n";
  }
  const auto refused = runCli({LIUFANG_BINARY, "sweep", "--db", db, "--holidays", bad});
  EXPECT_EQ(refused.exitCode, 1) << refused.output;
  EXPECT_NE(refused.output.find("line 2"), std::string::npos) << refused.output;
  const std::string props = dir.file("liufang.properties");
  {
    std::ofstream f(props);
    f << "calendar.extra_file = " << bad << "\n";
  }
  const auto serve = runCli({LIUFANG_BINARY, "serve", "--port", "0", "--bind", "127.0.0.1",
                             "--db", db, "--config", props});
  EXPECT_EQ(serve.exitCode, 78) << serve.output;
  EXPECT_NE(serve.output.find("calendar.extra_file"), std::string::npos) << serve.output;
}

}  // namespace
