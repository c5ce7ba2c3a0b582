// Schema migrations: fresh databases, old ones brought up to date, newer ones refused.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <random>

#include "EngineTestKit.h"
#include "model/Errors.h"
#include "model/Store.h"
#include "workflow/Verify.h"

namespace liufang::model {
namespace {

namespace fs = std::filesystem;

class MigrationTest : public ::testing::Test {
 protected:
  MigrationTest() : path_(dir_.file("liufang.db")) {}

  std::unique_ptr<Store> open() {
    StoreOptions o;
    o.path = path_;
    o.poolSize = 2;
    return openSqliteStore(o);
  }

  // Runs sql on a separate raw connection, as an older or newer liufang would have.
  void exec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }

  std::string queryOne(const std::string& sql) { return testkit::queryOne(path_, sql); }

  bool tableExists(const std::string& name) {
    return queryOne("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '" + name +
                    "'") == "1";
  }

  testkit::TempDir dir_{"migration"};
  std::string path_;
};

TEST_F(MigrationTest, FreshDatabaseReachesLatestVersion) {
  ASSERT_GE(latestSchemaVersion(), 1);
  auto store = open();
  EXPECT_EQ(store->schemaVersion(), latestSchemaVersion());
  EXPECT_EQ(queryOne("SELECT COUNT(*) FROM schema_version"), "1");
  for (const char* table : {"communities", "parties", "users", "meetings", "items", "item_handlers",
                            "positions", "stream_events", "web_sessions"})
    EXPECT_TRUE(tableExists(table)) << table;
}

TEST_F(MigrationTest, ReopeningKeepsDataAndVersion) {
  {
    auto store = open();
    Community c;
    c.code = "a";
    c.name = "A";
    store->addCommunity(c);
  }
  auto store = open();
  EXPECT_EQ(store->schemaVersion(), latestSchemaVersion());
  EXPECT_EQ(store->communities().size(), 1u);
  EXPECT_EQ(queryOne("SELECT COUNT(*) FROM schema_version"), "1");
}

TEST_F(MigrationTest, OldDatabaseIsUpgraded) {
  // A database as left by a build that knew no migrations yet: only the version row, at 0.
  exec(
      "CREATE TABLE schema_version (version INTEGER NOT NULL);"
      "INSERT INTO schema_version (version) VALUES (0);");
  auto store = open();
  EXPECT_EQ(store->schemaVersion(), latestSchemaVersion());
  EXPECT_EQ(queryOne("SELECT version FROM schema_version"), std::to_string(latestSchemaVersion()));
  EXPECT_EQ(queryOne("SELECT COUNT(*) FROM schema_version"), "1");
  Community c;
  c.code = "a";
  c.name = "A";
  EXPECT_GT(store->addCommunity(c), 0);  // the migrated tables are usable
}

TEST_F(MigrationTest, NewerDatabaseIsRefused) {
  open();  // create at the latest version, then pretend a newer build wrote it
  const int newer = latestSchemaVersion() + 1;
  exec("UPDATE schema_version SET version = " + std::to_string(newer));
  try {
    open();
    FAIL() << "a database from a newer liufang was opened";
  } catch (const StorageError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("newer"), std::string::npos) << what;
    EXPECT_NE(what.find(std::to_string(newer)), std::string::npos) << what;
  }
  // Refusing does not touch the file.
  EXPECT_EQ(queryOne("SELECT version FROM schema_version"), std::to_string(newer));
}

TEST_F(MigrationTest, FailedStepLeavesDatabaseAtPreviousVersion) {
  // Version 0 but with a clashing table: 001 fails halfway and must leave nothing behind.
  exec(
      "CREATE TABLE schema_version (version INTEGER NOT NULL);"
      "INSERT INTO schema_version (version) VALUES (0);"
      "CREATE TABLE meetings (id INTEGER PRIMARY KEY);");
  EXPECT_THROW(open(), StorageError);
  EXPECT_EQ(queryOne("SELECT version FROM schema_version"), "0");
  EXPECT_FALSE(tableExists("communities"));  // created before the clash, rolled back
  EXPECT_FALSE(tableExists("items"));
}

TEST_F(MigrationTest, ParentFolderIsCreated) {
  path_ = (dir_.path() / "a" / "b" / "liufang.db").string();
  auto store = open();
  EXPECT_TRUE(fs::exists(path_));
}

}  // namespace
}  // namespace liufang::model

namespace liufang::model {
namespace {

// tests/fixtures/schema1-demo.db was made by `liufang init --demo` of the version before the
// generic stream log (schema 1: item_events), then VACUUMed. Upgraded in place, every chain it
// holds must verify unchanged, and a tampered row must still be named.
TEST(StreamLogMigration, DemoOfThePreviousVersionUpgradesAndVerifies) {
  testkit::TempDir dir("upgrade");
  const std::string path = dir.file("old.db");
  fs::copy_file(std::string(LIUFANG_SOURCE_DIR) + "/tests/fixtures/schema1-demo.db", path);
  ASSERT_EQ(testkit::queryOne(path, "SELECT MAX(version) FROM schema_version"), "1");
  const std::string oldRows = testkit::queryOne(path, "SELECT COUNT(*) FROM item_events");
  const std::string oldHashes =
      testkit::queryOne(path,
                        "SELECT group_concat(hash, ',') FROM (SELECT hash FROM item_events"
                        " ORDER BY item_id, seq)");
  {
    auto store = openSqliteStore(testkit::testStoreOptions(path));
    EXPECT_EQ(store->schemaVersion(), latestSchemaVersion());
    const auto report = workflow::verifyStore(*store, HolidayCalendar::china());
    EXPECT_TRUE(report.ok) << report.badKind << " " << report.badItem << " seq " << report.badSeq
                           << ": " << report.problem;
    EXPECT_EQ(report.items, 13);
    // The three old meetings got their genesis rows: schedule each, and open, adjourn and
    // publish_minutes for the two published ones.
    EXPECT_EQ(report.streams.at("meeting"), 3);
    EXPECT_EQ(std::to_string(report.events - 3 - 2 * 3), oldRows);
    const auto oct = store->findMeeting(1);
    ASSERT_TRUE(oct);
    EXPECT_EQ(oct->state, "minutes_published");
    EXPECT_NE(oct->minutes.find("楼道杂物清理"), std::string::npos) << "old minutes kept";
    EXPECT_EQ(store->findMeeting(3)->state, "scheduled");
    EXPECT_EQ(store->events(StreamRef{"meeting", 1}).front().actorUser, 0) << "by the system";
  }
  EXPECT_EQ(
      testkit::queryOne(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'item_events'"),
      "0");
  EXPECT_EQ(testkit::queryOne(path,
                              "SELECT group_concat(hash, ',') FROM (SELECT hash FROM "
                              "stream_events WHERE kind = 'item' ORDER BY stream_id, seq)"),
            oldHashes)
      << "the rows moved unchanged";
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db,
                           "UPDATE stream_events SET payload = replace(payload, '清理', '打扫') "
                           "WHERE kind = 'item' AND stream_id = 1 AND seq = 3",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    EXPECT_EQ(sqlite3_changes(db), 1) << "the tamper must hit a row";
    sqlite3_close(db);
  }
  auto store = openSqliteStore(testkit::testStoreOptions(path));
  const auto report = workflow::verifyStore(*store, HolidayCalendar::china());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.badKind, "item");
  EXPECT_EQ(report.badItem, 1);
  EXPECT_EQ(report.badSeq, 3);
  EXPECT_NE(report.problem.find("hash"), std::string::npos) << report.problem;
}

}  // namespace
}  // namespace liufang::model
