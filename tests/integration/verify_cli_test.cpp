// The real `liufang` binary: `init --demo` prints the demo accounts, `verify` passes on the demo
// and counts items per state, and after one event row is changed behind the engine's back with
// the sqlite3 CLI, `verify` fails and names that item and seq.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "CliTestKit.h"
#include "EngineTestKit.h"
#include "model/Calendar.h"
#include "model/Password.h"
#include "model/Store.h"

using namespace liufang;

namespace {

using Outcome = testkit::CliOutcome;
// Runs argv[0] (searched in PATH if it has no slash) with no shell; collects its output.
Outcome run(const std::vector<std::string>& args) { return testkit::runCli(args); }

// "  deadline.overdue    2" lines of `liufang verify` -> {state: count}.
std::map<std::string, int> stateCounts(const std::string& output) {
  std::map<std::string, int> counts;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("  ", 0) != 0) continue;
    std::istringstream words(line);
    std::string state;
    int n = 0;
    if (words >> state >> n) counts[state] = n;
  }
  return counts;
}

std::string sqlQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

class LiufangCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const Outcome init = run({LIUFANG_BINARY, "init", "--demo", "--db", db_});
    ASSERT_EQ(init.exitCode, 0) << init.output;
    initOutput_ = init.output;
  }

  testkit::TempDir dir_{"verify-cli"};
  std::string db_ = dir_.file("data/demo.db");  // the folder is created by init
  std::string initOutput_;
};

}  // namespace

TEST_F(LiufangCli, InitDemoPrintsTheAccounts) {
  for (const char* user :
       {"shuji", "gongzuozhan", "juweihui", "gongyi", "wuye", "yeweihui", "ducha"})
    EXPECT_NE(initOutput_.find(user), std::string::npos) << user << " missing from:\n"
                                                         << initOutput_;
  EXPECT_NE(initOutput_.find("桃源居"), std::string::npos) << initOutput_;
  // Adding the demo twice is refused, not duplicated.
  const Outcome again = run({LIUFANG_BINARY, "init", "--demo", "--db", db_});
  EXPECT_NE(again.exitCode, 0) << again.output;
}

TEST_F(LiufangCli, VerifyPassesOnTheDemoAndCountsItemsInEveryState) {
  const Outcome v = run({LIUFANG_BINARY, "verify", "--db", db_});
  EXPECT_EQ(v.exitCode, 0) << v.output;
  EXPECT_NE(v.output.find("verify ok"), std::string::npos) << v.output;
  const auto counts = stateCounts(v.output);
  for (const char* state : {"proposal", "discussion", "assignment", "deadline.on_track",
                            "deadline.due_soon", "deadline.overdue", "followup", "closed"})
    EXPECT_GE(counts.count(state) ? counts.at(state) : 0, 1)
        << "the demo has no item in " << state << ":\n"
        << v.output;
}

TEST_F(LiufangCli, ChangedEventPayloadIsNamedByItemAndSeq) {
  // Pick a row in the middle of the longest log and change one word of its payload.
  int64_t item = 0, seq = 0;
  std::string payload;
  {
    auto store = model::openSqliteStore(testkit::testStoreOptions(db_));
    size_t longest = 0;
    for (int64_t id : store->itemIds()) {
      const auto log = store->events(id);
      if (log.size() > longest) {
        longest = log.size();
        item = id;
        seq = log[log.size() / 2].seq;
        payload = log[log.size() / 2].payload;
      }
    }
    ASSERT_GE(longest, 3u);
  }
  const std::string tampered = payload.substr(0, payload.size() - 1) + R"(,"zz":"改过"})";
  const Outcome edit = run({"sqlite3", db_,
                            "UPDATE stream_events SET payload = " + sqlQuote(tampered) +
                                " WHERE kind = 'item' AND stream_id = " + std::to_string(item) +
                                " AND seq = " + std::to_string(seq)});
  ASSERT_EQ(edit.exitCode, 0) << edit.output;
  const Outcome check =
      run({"sqlite3", db_,
           "SELECT payload FROM stream_events WHERE kind = 'item' AND stream_id = " +
               std::to_string(item) + " AND seq = " + std::to_string(seq)});
  ASSERT_NE(check.output.find("改过"), std::string::npos)
      << "the edit did not land: " << check.output;

  const Outcome v = run({LIUFANG_BINARY, "verify", "--db", db_});
  EXPECT_NE(v.exitCode, 0) << v.output;
  const std::string where = "item " + std::to_string(item) + " seq " + std::to_string(seq);
  EXPECT_NE(v.output.find(where), std::string::npos) << "expected '" << where << "' in:\n"
                                                     << v.output;
}

TEST_F(LiufangCli, ChangedProjectionIsNamedByItem) {
  // A projection edited by hand (an overdue item shown as on track) is caught too.
  int64_t item = 0;
  {
    auto store = model::openSqliteStore(testkit::testStoreOptions(db_));
    model::ItemQuery q;
    q.state = "deadline.overdue";
    const auto overdue = store->listItems(q);
    ASSERT_FALSE(overdue.empty());
    item = overdue.front().id;
  }
  const Outcome edit =
      run({"sqlite3", db_,
           "UPDATE items SET state = 'deadline.on_track' WHERE id = " + std::to_string(item)});
  ASSERT_EQ(edit.exitCode, 0) << edit.output;
  const Outcome v = run({LIUFANG_BINARY, "verify", "--db", db_});
  EXPECT_NE(v.exitCode, 0) << v.output;
  EXPECT_NE(v.output.find("item " + std::to_string(item) + " "), std::string::npos) << v.output;
  EXPECT_NE(v.output.find("'state'"), std::string::npos) << "names the field: " << v.output;
}

TEST_F(LiufangCli, DriftedDeskTotalsAreNamed) {
  // The supervision desk's running totals (migration 013) are derived rows: one changed by
  // hand no longer equals a recount of the items, and verify says so.
  const Outcome ok = run({LIUFANG_BINARY, "verify", "--db", db_});
  ASSERT_EQ(ok.exitCode, 0) << ok.output;
  const Outcome edit = run({"sqlite3", db_,
                            "UPDATE score_totals SET urges = urges + 1 WHERE grain = 'month'"
                            " AND bucket = (SELECT MIN(bucket) FROM score_totals"
                            " WHERE grain = 'month' AND raised > 0)"});
  ASSERT_EQ(edit.exitCode, 0) << edit.output;
  const Outcome v = run({LIUFANG_BINARY, "verify", "--db", db_});
  EXPECT_NE(v.exitCode, 0) << v.output;
  EXPECT_NE(v.output.find("score_summary"), std::string::npos) << v.output;
  EXPECT_NE(v.output.find("differ from a recount"), std::string::npos) << v.output;
}

// KNOWN GAP (reported to the lead): an item's community is in no event row, so moving an item
// to another community by hand (out of its supervisors' and parties' sight) passes `verify`.
// Enable once the propose row (or the genesis hash) carries the community.
TEST_F(LiufangCli, ItemMovedToAnotherCommunityIsNamed) {
  const Outcome edit =
      run({"sqlite3", db_,
           "INSERT INTO communities (code, name) VALUES ('other', '别的社区'); "
           "UPDATE items SET community_id = (SELECT id FROM communities WHERE code = 'other') "
           "WHERE id = 1"});
  ASSERT_EQ(edit.exitCode, 0) << edit.output;
  const Outcome v = run({LIUFANG_BINARY, "verify", "--db", db_});
  EXPECT_NE(v.exitCode, 0) << v.output;
  EXPECT_NE(v.output.find("item 1 "), std::string::npos) << v.output;
}

TEST_F(LiufangCli, UserCommandsManageAccounts) {
  const Outcome add =
      run({LIUFANG_BINARY, "user", "add", "xiaowang", "--community", "taoyuanju", "--party", "wuye",
           "--name", "小王", "--password", "first-pass-1", "--db", db_});
  ASSERT_EQ(add.exitCode, 0) << add.output;
  const Outcome passwd = run(
      {LIUFANG_BINARY, "user", "passwd", "xiaowang", "--password", "second-pass-2", "--db", db_});
  EXPECT_EQ(passwd.exitCode, 0) << passwd.output;
  {
    auto store = model::openSqliteStore(testkit::testStoreOptions(db_));
    const auto u = store->findUserByName("xiaowang");
    ASSERT_TRUE(u.has_value());
    EXPECT_EQ(u->party, "wuye");
    EXPECT_TRUE(u->representative);
    EXPECT_FALSE(u->convener);
    EXPECT_TRUE(model::verifyPassword(u->passwordHash, "second-pass-2"));
    EXPECT_FALSE(model::verifyPassword(u->passwordHash, "first-pass-1"));
  }
  EXPECT_EQ(run({LIUFANG_BINARY, "user", "disable", "xiaowang", "--db", db_}).exitCode, 0);
  const Outcome list = run({LIUFANG_BINARY, "user", "list", "--db", db_});
  EXPECT_NE(list.output.find("xiaowang"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find("(disabled)"), std::string::npos) << list.output;

  // Refused, each with a message: a party off the roster, a taken name, a short password.
  const Outcome offRoster = run({LIUFANG_BINARY, "user", "add", "x2", "--community", "taoyuanju",
                                 "--party", "nobody", "--password", "long-enough-1", "--db", db_});
  EXPECT_NE(offRoster.exitCode, 0);
  EXPECT_NE(offRoster.output.find("roster"), std::string::npos) << offRoster.output;
  const Outcome taken = run({LIUFANG_BINARY, "user", "add", "xiaowang", "--supervisor",
                             "--password", "long-enough-1", "--db", db_});
  EXPECT_NE(taken.exitCode, 0);
  EXPECT_NE(taken.output.find("xiaowang"), std::string::npos) << taken.output;
  const Outcome shortPw = run(
      {LIUFANG_BINARY, "user", "add", "x3", "--supervisor", "--password", "short", "--db", db_});
  EXPECT_NE(shortPw.exitCode, 0);
  EXPECT_NE(shortPw.output.find("12 characters"), std::string::npos) << shortPw.output;
  // Length is counted in characters: four Chinese characters are 12 bytes but still too short.
  const Outcome hanzi = run(
      {LIUFANG_BINARY, "user", "add", "x4", "--supervisor", "--password", "社区党委", "--db", db_});
  EXPECT_NE(hanzi.exitCode, 0);
  EXPECT_NE(hanzi.output.find("12 characters"), std::string::npos) << hanzi.output;
  const Outcome common = run({LIUFANG_BINARY, "user", "add", "x5", "--supervisor", "--password",
                              "Password2026!", "--db", db_});
  EXPECT_NE(common.exitCode, 0);
  EXPECT_NE(common.output.find("too common"), std::string::npos) << common.output;
  const Outcome nobody =
      run({LIUFANG_BINARY, "user", "passwd", "nobody", "--password", "long-enough-1", "--db", db_});
  EXPECT_NE(nobody.exitCode, 0);
  EXPECT_NE(nobody.output.find("no user 'nobody'"), std::string::npos) << nobody.output;
}

TEST_F(LiufangCli, ConfiguresACommunityWithItsOwnRoster) {
  // 三方联动: a roster of three, set up from an empty database with the CLI alone.
  const std::string db = dir_.file("sanfang.db");
  ASSERT_EQ(run({LIUFANG_BINARY, "init", "--db", db}).exitCode, 0);
  const Outcome c = run({LIUFANG_BINARY, "community", "add", "xingfuli", "幸福里社区", "--db", db});
  ASSERT_EQ(c.exitCode, 0) << c.output;
  for (const auto& [code, name] : std::vector<std::pair<std::string, std::string>>{
           {"zhibu", "党支部"}, {"yeweihui", "业主委员会"}, {"wuye", "物业公司"}})
    ASSERT_EQ(run({LIUFANG_BINARY, "party", "add", "xingfuli", code, name, "--db", db}).exitCode,
              0);
  const Outcome dup = run({LIUFANG_BINARY, "party", "add", "xingfuli", "wuye", "物业", "--db", db});
  EXPECT_NE(dup.exitCode, 0) << "a party code is unique within its community";
  // A date to come (a meeting is not scheduled for a day that has passed).
  const std::string date =
      model::localDate(std::chrono::system_clock::now(), 480).plusDays(30).str();
  const Outcome m =
      run({LIUFANG_BINARY, "meeting", "add", "xingfuli", "三方联动例会", "--date", date, "--db", db});
  EXPECT_EQ(m.exitCode, 0) << m.output;
  EXPECT_NE(
      run({LIUFANG_BINARY, "meeting", "add", "xingfuli", "x", "--date", "2026-13-01", "--db", db})
          .exitCode,
      0);
  EXPECT_EQ(run({LIUFANG_BINARY, "user", "add", "zhang", "--community", "xingfuli", "--party",
                 "zhibu", "--convener", "--password", "secret-sanfang-1", "--db", db})
                .exitCode,
            0);

  auto store = model::openSqliteStore(testkit::testStoreOptions(db));
  ASSERT_EQ(store->communities().size(), 1u);
  const auto parties = store->parties(store->communities()[0].id);
  ASSERT_EQ(parties.size(), 3u);
  EXPECT_EQ(parties[0].code, "zhibu");
  EXPECT_EQ(parties[2].name, "物业公司");
  const auto meetings = store->meetings(store->communities()[0].id);
  ASSERT_EQ(meetings.size(), 1u);
  EXPECT_EQ(meetings[0].date, date);
  EXPECT_EQ(meetings[0].state, "scheduled");
  EXPECT_EQ(store->events(model::StreamRef{"meeting", meetings[0].id}).size(), 1u)
      << "the command line schedules through the Engine: the meeting has its log";
  EXPECT_TRUE(store->findUserByName("zhang")->convener);
}
