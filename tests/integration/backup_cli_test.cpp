// `liufang backup` and `liufang restore`, run as the real binary against real SQLite files:
// a backup taken while another writer applies transitions through the Engine verifies and holds
// every transition acknowledged before it began; a copy that does not verify is not kept;
// restore verifies first, refuses to overwrite or to pull a database from under a running
// process, and keeps the previous file aside.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "CliTestKit.h"
#include "EngineTestKit.h"
#include "model/Clock.h"
#include "model/Store.h"
#include "workflow/Engine.h"

using namespace liufang;
using testkit::runCli;

namespace fs = std::filesystem;

namespace {

int64_t countRows(const std::string& db, const std::string& sql) {
  const std::string v = testkit::queryOne(db, sql);
  return v.empty() ? -1 : std::stoll(v);
}

// Files in `dir` whose names start with `prefix`.
std::vector<std::string> filesStartingWith(const std::string& dir, const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0) out.push_back(name);
  }
  return out;
}

class BackupCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto init = runCli({LIUFANG_BINARY, "init", "--demo", "--db", db_});
    ASSERT_EQ(init.exitCode, 0) << init.output;
  }

  // Changes one event's payload behind the engine's back, so the chain no longer verifies.
  void tamper(const std::string& db) {
    const auto edit =
        runCli({"sqlite3", db,
                "UPDATE stream_events SET payload = '{\"zz\":\"改过\"}' WHERE rowid = "
                "(SELECT rowid FROM stream_events WHERE seq = 2 LIMIT 1)"});
    ASSERT_EQ(edit.exitCode, 0) << edit.output;
  }

  testkit::TempDir dir_{"backup-cli"};
  std::string db_ = dir_.file("data/live.db");
  std::string copy_ = dir_.file("copy.db");
};

}  // namespace

TEST_F(BackupCli, CopyTakenWhileWritingVerifiesAndHoldsEveryAcknowledgedTransition) {
  auto store = model::openSqliteStore(testkit::testStoreOptions(db_));
  const auto town = testkit::TestCommunity::create(*store, "backuptown");
  model::SystemClock clock;
  workflow::Engine engine(*store, clock);

  std::mutex mutex;
  std::vector<int64_t> acknowledged;  // items whose propose committed
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      workflow::Command c("propose");
      c.set("title", "备份期间提出的议题 " + std::to_string(i))
          .set("description", "写入与备份同时进行")
          .set("party", "juweihui");
      const int64_t id = engine.propose(town.id, c, town.rep("juweihui")).id;
      std::lock_guard<std::mutex> lock(mutex);
      acknowledged.push_back(id);
    }
  });
  auto ackCount = [&] {
    std::lock_guard<std::mutex> lock(mutex);
    return acknowledged.size();
  };
  while (ackCount() < 20) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::vector<int64_t> before;
  {
    std::lock_guard<std::mutex> lock(mutex);
    before = acknowledged;
  }
  const auto backup = runCli({LIUFANG_BINARY, "backup", "--db", db_, "--to", copy_});
  const size_t during = ackCount();
  stop = true;
  writer.join();

  ASSERT_EQ(backup.exitCode, 0) << backup.output;
  EXPECT_NE(backup.output.find("backup ok"), std::string::npos) << backup.output;
  EXPECT_NE(backup.output.find("item"), std::string::npos) << backup.output;
  EXPECT_NE(backup.output.find("last event"), std::string::npos) << backup.output;
  EXPECT_GT(during, before.size()) << "the writer was not running while the backup ran";

  // One self-contained file, and no half-made copy left behind.
  EXPECT_FALSE(fs::exists(copy_ + "-wal"));
  EXPECT_FALSE(fs::exists(copy_ + ".partial"));
  EXPECT_EQ(testkit::queryOne(copy_, "PRAGMA journal_mode"), "delete");

  const auto verify = runCli({LIUFANG_BINARY, "verify", "--db", copy_});
  EXPECT_EQ(verify.exitCode, 0) << verify.output;
  for (int64_t id : before) {
    EXPECT_EQ(countRows(copy_, "SELECT COUNT(*) FROM items WHERE id = " + std::to_string(id)), 1)
        << "item " << id << " was acknowledged before the backup began";
    EXPECT_EQ(countRows(copy_,
                        "SELECT COUNT(*) FROM stream_events WHERE kind = 'item' AND "
                        "stream_id = " +
                            std::to_string(id)),
              1);
  }
}

TEST_F(BackupCli, CopyThatFailsVerificationIsReportedAndRemoved) {
  tamper(db_);
  const auto backup = runCli({LIUFANG_BINARY, "backup", "--db", db_, "--to", copy_});
  EXPECT_NE(backup.exitCode, 0) << backup.output;
  EXPECT_NE(backup.output.find("verify FAILED"), std::string::npos) << backup.output;
  EXPECT_FALSE(fs::exists(copy_));
  EXPECT_TRUE(filesStartingWith(dir_.path().string(), "copy.db").empty());
}

TEST_F(BackupCli, ExistingTargetIsNotOverwritten) {
  { std::ofstream(copy_) << "precious"; }
  const auto backup = runCli({LIUFANG_BINARY, "backup", "--db", db_, "--to", copy_});
  EXPECT_NE(backup.exitCode, 0) << backup.output;
  std::ifstream in(copy_);
  std::string text;
  in >> text;
  EXPECT_EQ(text, "precious");
}

TEST_F(BackupCli, RestoreIntoANewPathGivesTheSameItems) {
  ASSERT_EQ(runCli({LIUFANG_BINARY, "backup", "--db", db_, "--to", copy_}).exitCode, 0);
  const std::string target = dir_.file("restored/liufang.db");
  const auto restore = runCli({LIUFANG_BINARY, "restore", "--from", copy_, "--db", target});
  ASSERT_EQ(restore.exitCode, 0) << restore.output;
  EXPECT_NE(restore.output.find("restore ok"), std::string::npos) << restore.output;
  const auto items = runCli({LIUFANG_BINARY, "items", "--db", target});
  const auto original = runCli({LIUFANG_BINARY, "items", "--db", db_});
  EXPECT_EQ(items.exitCode, 0);
  EXPECT_EQ(items.output, original.output);
  EXPECT_EQ(runCli({LIUFANG_BINARY, "verify", "--db", target}).exitCode, 0);
}

TEST_F(BackupCli, RestoreOverAnExistingDatabaseNeedsForceAndKeepsTheOldFile) {
  ASSERT_EQ(runCli({LIUFANG_BINARY, "backup", "--db", db_, "--to", copy_}).exitCode, 0);
  const std::string target = dir_.file("other.db");
  ASSERT_EQ(runCli({LIUFANG_BINARY, "init", "--db", target}).exitCode, 0);
  ASSERT_EQ(countRows(target, "SELECT COUNT(*) FROM items"), 0);

  const auto refused = runCli({LIUFANG_BINARY, "restore", "--from", copy_, "--db", target});
  EXPECT_NE(refused.exitCode, 0) << refused.output;
  EXPECT_NE(refused.output.find("--force"), std::string::npos) << refused.output;
  EXPECT_EQ(countRows(target, "SELECT COUNT(*) FROM items"), 0);

  const auto forced =
      runCli({LIUFANG_BINARY, "restore", "--from", copy_, "--db", target, "--force"});
  ASSERT_EQ(forced.exitCode, 0) << forced.output;
  EXPECT_GT(countRows(target, "SELECT COUNT(*) FROM items"), 0);
  const auto aside = filesStartingWith(dir_.path().string(), "other.db.before-restore-");
  ASSERT_EQ(aside.size(), 1u) << forced.output;
  EXPECT_EQ(countRows(dir_.file(aside[0]), "SELECT COUNT(*) FROM items"), 0);
  EXPECT_NE(forced.output.find(aside[0]), std::string::npos) << forced.output;
}

TEST_F(BackupCli, RestoreRefusesADatabaseInUse) {
  ASSERT_EQ(runCli({LIUFANG_BINARY, "backup", "--db", db_, "--to", copy_}).exitCode, 0);
  const std::string target = dir_.file("busy.db");
  auto store = model::openSqliteStore(testkit::testStoreOptions(target));
  ASSERT_EQ(store->listItems(model::ItemQuery{}).size(), 0u);  // a connection is open and used

  const auto refused =
      runCli({LIUFANG_BINARY, "restore", "--from", copy_, "--db", target, "--force"});
  EXPECT_NE(refused.exitCode, 0) << refused.output;
  EXPECT_NE(refused.output.find("in use"), std::string::npos) << refused.output;
  EXPECT_EQ(store->listItems(model::ItemQuery{}).size(), 0u);
  EXPECT_TRUE(filesStartingWith(dir_.path().string(), "busy.db.before-restore-").empty());
  store.reset();

  const auto ok = runCli({LIUFANG_BINARY, "restore", "--from", copy_, "--db", target, "--force"});
  EXPECT_EQ(ok.exitCode, 0) << ok.output;
}

TEST_F(BackupCli, RestoreRefusesABackupThatDoesNotVerify) {
  ASSERT_EQ(runCli({LIUFANG_BINARY, "backup", "--db", db_, "--to", copy_}).exitCode, 0);
  tamper(copy_);
  const std::string target = dir_.file("fresh.db");
  const auto restore = runCli({LIUFANG_BINARY, "restore", "--from", copy_, "--db", target});
  EXPECT_NE(restore.exitCode, 0) << restore.output;
  EXPECT_NE(restore.output.find("verify FAILED"), std::string::npos) << restore.output;
  EXPECT_FALSE(fs::exists(target));
  EXPECT_TRUE(filesStartingWith(dir_.path().string(), "fresh.db").empty());
}
