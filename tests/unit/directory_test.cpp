// workflow::Directory over a real SQLite file: community codes are unique and found by code, a
// representative's party must be on their community's roster, the password policy counts
// characters and refuses common passwords, and a password change ends the user's sessions.
#include "workflow/Directory.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "EngineTestKit.h"
#include "model/Errors.h"
#include "model/Password.h"
#include "workflow/PasswordPolicy.h"

using namespace liufang;
using workflow::Directory;
using workflow::NewUser;
using workflow::PasswordPolicy;

namespace {

const std::string kGood = "xingfuli-lane-7";

class DirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = model::openSqliteStore(testkit::testStoreOptions(dir_.file("directory.db")));
    dir = std::make_unique<Directory>(*store_);
    dir->addCommunity("xingfuli", "幸福里社区");
    for (const auto& [code, name] : std::vector<std::pair<std::string, std::string>>{
             {"zhibu", "党支部"}, {"yeweihui", "业主委员会"}, {"wuye", "物业公司"}})
      dir->addParty("xingfuli", code, name);
  }

  model::WebSession sessionOf(int64_t userId, const std::string& token) {
    model::WebSession s;
    s.tokenHash = token;
    s.userId = userId;
    s.csrfToken = "csrf";
    s.createdAt = s.lastSeenAt = "2026-11-01T00:00:00.000Z";
    store_->saveSession(s);
    return s;
  }

  testkit::TempDir dir_{"directory"};
  std::unique_ptr<model::Store> store_;
  std::unique_ptr<Directory> dir;
};

TEST_F(DirectoryTest, CommunityCodesAreUniqueAndFoundByCode) {
  EXPECT_EQ(dir->community("xingfuli").name, "幸福里社区");
  EXPECT_THROW(dir->addCommunity("xingfuli", "另一个"), Conflict);
  EXPECT_THROW(dir->community("nowhere"), NotFound);
  EXPECT_THROW(dir->addCommunity("Bad Code", "x"), Invalid);
  EXPECT_THROW(dir->addCommunity("ok", "  "), Invalid);
  EXPECT_THROW(dir->addCommunity("ok", "x", 900), Invalid);
  EXPECT_EQ(dir->communities().size(), 1u);
}

TEST_F(DirectoryTest, RosterKeepsTheOrderOfAddingAndUniqueCodes) {
  const auto roster = dir->roster("xingfuli");
  ASSERT_EQ(roster.size(), 3u);
  EXPECT_EQ(roster[0].code, "zhibu");
  EXPECT_EQ(roster[2].sortOrder, 3);
  EXPECT_THROW(dir->addParty("xingfuli", "wuye", "物业"), Conflict);
  EXPECT_THROW(dir->addParty("nowhere", "wuye", "物业"), NotFound);
}

TEST_F(DirectoryTest, RepresentativesPartyMustBeOnTheRoster) {
  NewUser u{"zhang", "张书记", "xingfuli", "zhibu", true, false, false};
  const model::User added = dir->addUser(u, kGood);
  EXPECT_TRUE(added.representative) << "a party makes the user its representative";
  EXPECT_EQ(added.communityId, dir->community("xingfuli").id);
  EXPECT_TRUE(model::verifyPassword(dir->user("zhang").passwordHash, kGood));

  try {
    dir->addUser({"li", "", "xingfuli", "dangwei", false, true, false}, kGood);
    FAIL() << "a party off the roster was accepted";
  } catch (const Invalid& e) {
    EXPECT_EQ(std::string(e.what()), "'dangwei' is not on the roster of xingfuli.");
  }
  EXPECT_THROW(dir->addUser({"li", "", "", "wuye", false, true, false}, kGood), Invalid)
      << "a representative belongs to a community";
  EXPECT_THROW(dir->addUser({"li", "", "xingfuli", "", false, true, false}, kGood), Invalid)
      << "a representative speaks for a party";
  EXPECT_THROW(dir->addUser({"li", "", "nowhere", "", false, false, true}, kGood), NotFound);
  EXPECT_THROW(dir->addUser({"zhang", "", "", "", false, false, true}, kGood), Conflict);
  EXPECT_THROW(dir->addUser({"two words", "", "", "", false, false, true}, kGood), Invalid);
  EXPECT_EQ(dir->users().size(), 1u) << "nothing refused was written";
}

TEST_F(DirectoryTest, AddUsersChecksEveryoneBeforeWritingAny) {
  EXPECT_THROW(dir->addUsers({{"a1", "", "xingfuli", "wuye", false, true, false},
                              {"a2", "", "xingfuli", "nobody", false, true, false}},
                             kGood),
               Invalid);
  EXPECT_TRUE(dir->users().empty());
  const auto users = dir->addUsers(
      {{"a1", "", "xingfuli", "wuye", false, true, false}, {"a2", "", "", "", false, false, true}},
      kGood);
  ASSERT_EQ(users.size(), 2u);
  EXPECT_TRUE(model::verifyPassword(dir->user("a2").passwordHash, kGood));
}

// One row per password: whether the default policy accepts it, and a word of the reason.
struct PasswordCase {
  std::string password;
  bool accepted;
  std::string reason;  // a substring of the refusal's English text
};

TEST(PasswordPolicy, DefaultRulesTable) {
  const std::vector<PasswordCase> cases = {
      {"xingfuli-lane-7", true, ""},
      {"sanfang-lianying", true, ""},
      {"社区党委", false, "12 characters"},        // 12 bytes, 4 characters
      {"社区六方联席会议议事规则", true, ""},      // 12 characters
      {"elevenchars", false, "12 characters"},     // 11
      {"password123456", false, "too common"},     // a dictionary word with digits
      {"Password2026!", false, "too common"},      // the same, capitalised and decorated
      {"qwertyuiop123", false, "too common"},      // a keyboard row
      {"abcdefghijklmnop", false, "too common"},   // systematic
      {"zhang-sanfang-2026", false, "user name"},  // contains the user name
      {"aaaaaaaaaaaaaaaa", false, "too"},          // one character repeated
  };
  const PasswordPolicy policy;
  for (const auto& c : cases) {
    try {
      policy.check(c.password, "zhang");
      EXPECT_TRUE(c.accepted) << c.password << " was accepted";
    } catch (const Invalid& e) {
      EXPECT_FALSE(c.accepted) << c.password << " was refused: " << e.what();
      EXPECT_NE(std::string(e.what()).find(c.reason), std::string::npos)
          << c.password << ": " << e.what();
    }
  }
}

TEST(PasswordPolicy, MinimumIsAParameterCountedInCharacters) {
  EXPECT_EQ(workflow::utf8Length("社区党委"), 4u);
  EXPECT_EQ(workflow::utf8Length("ab社"), 3u);
  EXPECT_THROW(workflow::utf8Length(std::string("\xe7\xa4", 2)), Invalid) << "truncated";
  EXPECT_THROW(workflow::utf8Length("\xc0\xaf"), Invalid) << "overlong";
  const PasswordPolicy sixteen(16);
  EXPECT_THROW(sixteen.check(kGood, "zhang"), Invalid) << "15 characters";
  EXPECT_NO_THROW(sixteen.check(kGood + "-x", "zhang"));
  EXPECT_NO_THROW(PasswordPolicy(4).check("幸福里社", "zhang")) << "four characters suffice";
  EXPECT_NO_THROW(PasswordPolicy(12, false).check("password123456", "zhang"))
      << "without the common check only the length counts";
}

TEST_F(DirectoryTest, PasswordChangeEndsTheUsersSessions) {
  const model::User zhang =
      dir->addUser({"zhang", "", "xingfuli", "zhibu", true, false, false}, kGood);
  const model::User wang =
      dir->addUser({"wang", "", "xingfuli", "wuye", false, true, false}, kGood);
  sessionOf(zhang.id, "t-zhang-phone");
  sessionOf(zhang.id, "t-zhang-desk");
  sessionOf(wang.id, "t-wang");
  store_->recordLoginFailure(zhang.id, "2026-11-01T00:00:00.000Z");

  EXPECT_THROW(dir->setPassword("zhang", "short"), Invalid);
  EXPECT_TRUE(store_->findSession("t-zhang-phone")) << "a refused change ends nothing";

  dir->setPassword("zhang", "a-new-longer-secret");
  EXPECT_FALSE(store_->findSession("t-zhang-phone"));
  EXPECT_FALSE(store_->findSession("t-zhang-desk"));
  EXPECT_TRUE(store_->findSession("t-wang")) << "other users keep their sessions";
  EXPECT_EQ(store_->loginFailures(zhang.id).first, 0);
  const model::User after = dir->user("zhang");
  EXPECT_TRUE(model::verifyPassword(after.passwordHash, "a-new-longer-secret"));
  EXPECT_FALSE(model::verifyPassword(after.passwordHash, kGood));
  EXPECT_THROW(dir->setPassword("nobody", "a-new-longer-secret"), NotFound);

  dir->disableUser("wang");
  EXPECT_TRUE(dir->user("wang").disabled);
  EXPECT_FALSE(store_->findSession("t-wang")) << "disabling ends the sessions too";
}

TEST_F(DirectoryTest, MeetingSettingsAreCheckedAndStored) {
  model::Community c = dir->community("xingfuli");
  EXPECT_EQ(c.quorumRule, "majority_and_convener") << "the default quorum rule";
  EXPECT_TRUE(c.resolveOutsideMeeting) << "the default keeps resolving outside a meeting";
  EXPECT_THROW(dir->setQuorumRule("xingfuli", "whoever_comes", ""), Invalid);
  EXPECT_THROW(dir->setQuorumRule("xingfuli", "majority", "nosuchparty"), Invalid);
  EXPECT_THROW(dir->setQuorumRule("nowhere", "majority", ""), NotFound);
  dir->setQuorumRule("xingfuli", "two_thirds", "wuye");
  EXPECT_THROW(dir->setMeetingRule("xingfuli", "monthly:9:3", "", ""), Invalid);
  EXPECT_THROW(dir->setMeetingRule("xingfuli", "weekly:5", "25:00", ""), Invalid);
  dir->setMeetingRule("xingfuli", "monthly:1:3", "09:30", "党群服务中心");
  dir->setResolveOutsideMeeting("xingfuli", false);
  c = dir->community("xingfuli");
  EXPECT_EQ(c.quorumRule, "two_thirds");
  EXPECT_EQ(c.conveningParty, "wuye");
  EXPECT_EQ(c.meetingRule, "monthly:1:3");
  EXPECT_EQ(c.meetingTime, "09:30");
  EXPECT_EQ(c.meetingPlace, "党群服务中心");
  EXPECT_FALSE(c.resolveOutsideMeeting);
}

}  // namespace
