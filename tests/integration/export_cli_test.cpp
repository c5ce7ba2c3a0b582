// `liufang export` and `liufang import`, run as the real binary: the demo goes out as JSON
// lines and comes back as a new database that verifies, whose projections are the same rows,
// and whose own export is the same file; a file whose hash chain breaks, or that was cut
// short, builds nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "CliTestKit.h"
#include "EngineTestKit.h"

using namespace liufang;
using testkit::runCli;

namespace fs = std::filesystem;

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void writeFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

class ExportCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto init = runCli({LIUFANG_BINARY, "init", "--demo", "--db", db_});
    ASSERT_EQ(init.exitCode, 0) << init.output;
  }

  // Every row of `table` in the database at `db`, as the sqlite3 CLI prints them.
  std::string rows(const std::string& db, const std::string& table) {
    const auto out = runCli({"sqlite3", db, "SELECT * FROM " + table + " ORDER BY 1, 2"});
    EXPECT_EQ(out.exitCode, 0) << out.output;
    return out.output;
  }

  testkit::TempDir dir_{"export-cli"};
  std::string db_ = dir_.file("demo.db");
  std::string file_ = dir_.file("demo.jsonl");
  std::string imported_ = dir_.file("imported.db");
};

}  // namespace

TEST_F(ExportCli, RoundTripGivesTheSameProjectionsAndTheSameExport) {
  const auto exp = runCli({LIUFANG_BINARY, "export", "--format", "jsonl", "--with-password-hashes",
                           "--db", db_, "--to", file_});
  ASSERT_EQ(exp.exitCode, 0) << exp.output;
  const std::string text = readFile(file_);
  EXPECT_NE(text.find("\"type\":\"community\""), std::string::npos);
  EXPECT_NE(text.find("\"passwordHash\":\"$argon2id"), std::string::npos);
  EXPECT_NE(text.find("\"type\":\"end\""), std::string::npos);

  const auto imp = runCli({LIUFANG_BINARY, "import", "--from", file_, "--db", imported_});
  ASSERT_EQ(imp.exitCode, 0) << imp.output;
  EXPECT_NE(imp.output.find("import ok"), std::string::npos) << imp.output;

  const auto verify = runCli({LIUFANG_BINARY, "verify", "--db", imported_});
  EXPECT_EQ(verify.exitCode, 0) << verify.output;
  for (const char* table : {"items", "item_handlers", "positions", "stream_events", "communities",
                            "parties", "users", "meetings"})
    EXPECT_EQ(rows(imported_, table), rows(db_, table)) << table;
  EXPECT_FALSE(rows(db_, "items").empty());

  // Exporting the import gives the file back byte for byte.
  const auto again = runCli({LIUFANG_BINARY, "export", "--with-password-hashes", "--db", imported_,
                             "--to", dir_.file("again.jsonl")});
  ASSERT_EQ(again.exitCode, 0) << again.output;
  EXPECT_EQ(readFile(dir_.file("again.jsonl")), text);
}

TEST_F(ExportCli, PasswordHashesStayOutUnlessAsked) {
  const auto exp = runCli({LIUFANG_BINARY, "export", "--db", db_});  // to stdout
  ASSERT_EQ(exp.exitCode, 0) << exp.output;
  EXPECT_NE(exp.output.find("\"type\":\"user\""), std::string::npos) << exp.output;
  EXPECT_EQ(exp.output.find("passwordHash"), std::string::npos);
  EXPECT_EQ(exp.output.find("$argon2"), std::string::npos);

  writeFile(file_, exp.output);
  ASSERT_EQ(runCli({LIUFANG_BINARY, "import", "--from", file_, "--db", imported_}).exitCode, 0);
  EXPECT_EQ(testkit::queryOne(imported_, "SELECT COUNT(*) FROM users WHERE password_hash <> ''"),
            "0");
  EXPECT_NE(testkit::queryOne(imported_, "SELECT COUNT(*) FROM users"), "0");
}

TEST_F(ExportCli, ImportRefusesABrokenChain) {
  ASSERT_EQ(runCli({LIUFANG_BINARY, "export", "--db", db_, "--to", file_}).exitCode, 0);
  std::string text = readFile(file_);
  // Change one word of one logged position: its row no longer matches its hash.
  // (In an event line: meeting lines and minutes quote positions too.)
  const auto at = text.find("\"stance\\\":\\\"support", text.find("log_position"));
  ASSERT_NE(at, std::string::npos) << text.substr(0, 2000);
  text.replace(at, std::string("\"stance\\\":\\\"support").size(), "\"stance\\\":\\\"oppose");
  writeFile(file_, text);

  const auto imp = runCli({LIUFANG_BINARY, "import", "--from", file_, "--db", imported_});
  EXPECT_NE(imp.exitCode, 0) << imp.output;
  EXPECT_NE(imp.output.find("hash does not match"), std::string::npos) << imp.output;
  EXPECT_FALSE(fs::exists(imported_));
  EXPECT_FALSE(fs::exists(imported_ + ".importing"));
}

TEST_F(ExportCli, ImportRefusesATruncatedFile) {
  ASSERT_EQ(runCli({LIUFANG_BINARY, "export", "--db", db_, "--to", file_}).exitCode, 0);
  std::string text = readFile(file_);
  text.resize(text.rfind("{\"type\":\"end\""));
  writeFile(file_, text);
  const auto imp = runCli({LIUFANG_BINARY, "import", "--from", file_, "--db", imported_});
  EXPECT_NE(imp.exitCode, 0) << imp.output;
  EXPECT_NE(imp.output.find("truncated"), std::string::npos) << imp.output;
  EXPECT_FALSE(fs::exists(imported_));
}

TEST_F(ExportCli, ImportNeverOverwrites) {
  ASSERT_EQ(runCli({LIUFANG_BINARY, "export", "--db", db_, "--to", file_}).exitCode, 0);
  const auto imp = runCli({LIUFANG_BINARY, "import", "--from", file_, "--db", db_});
  EXPECT_NE(imp.exitCode, 0) << imp.output;
  EXPECT_EQ(runCli({LIUFANG_BINARY, "verify", "--db", db_}).exitCode, 0);
}
