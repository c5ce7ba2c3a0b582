// Rosters as configuration: presets fill an empty roster in one transaction, party attributes
// are checked, and renaming keeps the names old events were written under.
#include <gtest/gtest.h>

#include "EngineTestKit.h"
#include "model/Errors.h"
#include "workflow/Directory.h"
#include "workflow/PartyNames.h"
#include "workflow/RosterPresets.h"

using namespace liufang;

namespace {

class RosterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = model::openSqliteStore(testkit::testStoreOptions(dir_.file("roster.db")));
    dir = std::make_unique<workflow::Directory>(*store_);
  }
  testkit::TempDir dir_;
  std::unique_ptr<model::Store> store_;
  std::unique_ptr<workflow::Directory> dir;
};

TEST_F(RosterTest, EveryPresetFillsAnEmptyRosterWithItsConvenerFirst) {
  // Preset, party count: the rosters the source documents name.
  const std::vector<std::pair<std::string, size_t>> rows = {
      {"liufang", 6}, {"sanfang", 3}, {"wuwei", 5}, {"yiyuan", 7}};
  ASSERT_EQ(workflow::rosterPresets().size(), rows.size());
  for (const auto& [preset, count] : rows) {
    SCOPED_TRACE(preset);
    const auto c = dir->addCommunityFromPreset("c-" + preset, "社区 " + preset, preset);
    const auto roster = dir->roster(c.code);
    ASSERT_EQ(roster.size(), count);
    EXPECT_TRUE(workflow::findRosterPreset(preset)->parties.front().convening);
    for (size_t i = 0; i < roster.size(); ++i) {
      EXPECT_EQ(roster[i].sortOrder, static_cast<int>(i) + 1);
      EXPECT_EQ(roster[i].colour.size(), 7u) << roster[i].code;
      EXPECT_FALSE(roster[i].shortName.empty());
    }
  }
  EXPECT_EQ(dir->roster("c-sanfang")[0].name, "小区党支部");
  EXPECT_EQ(dir->roster("c-liufang")[5].code, "yeweihui");
}

TEST_F(RosterTest, PresetRefusesAFilledRosterAndAnUnknownNameWritingNothing) {
  dir->addCommunityFromPreset("a", "甲社区", "sanfang");
  EXPECT_THROW(dir->applyPreset("a", "liufang"), Conflict);
  EXPECT_EQ(dir->roster("a").size(), 3u);
  EXPECT_THROW(dir->addCommunityFromPreset("b", "乙社区", "nope"), NotFound);
  EXPECT_THROW(dir->community("b"), NotFound) << "the preset is checked before the community";
}

TEST_F(RosterTest, ColoursAreCheckedAndStoredLowerCase) {
  dir->addCommunity("a", "甲社区");
  model::Party p;
  p.code = "wuye";
  p.name = "物业公司";
  p.colour = "#B35C00";
  EXPECT_EQ(dir->addParty("a", p).colour, "#b35c00");
  p.code = "x";
  for (const char* bad : {"red", "#12345", "#12345g", "123456"}) {
    p.colour = bad;
    EXPECT_THROW(dir->addParty("a", p), Invalid) << bad;
  }
  EXPECT_EQ(dir->roster("a").size(), 1u);
}

TEST_F(RosterTest, RenamingKeepsTheNameAsItWasAtEachInstant) {
  const auto c = dir->addCommunityFromPreset("a", "甲社区", "sanfang");
  model::Party wuye = dir->roster("a")[2];
  const std::string before = "2026-03-01T00:00:00.000000Z";
  const std::string t1 = "2026-04-01T00:00:00.000000Z";
  const std::string t2 = "2026-05-01T00:00:00.000000Z";
  wuye.name = "幸福物业";
  dir->updateParty("a", wuye, t1);
  wuye.colour = "#000000";  // a colour change alone adds no history row
  dir->updateParty("a", wuye, "2026-04-15T00:00:00.000000Z");
  wuye.name = "安居物业";
  wuye.shortName = "安居";
  dir->updateParty("a", wuye, t2);
  const auto h = workflow::PartyNameHistory::load(*store_, c.id);
  EXPECT_EQ(h.nameAt("wuye", before), "物业公司");
  EXPECT_EQ(h.nameAt("wuye", t1), "幸福物业");
  EXPECT_EQ(h.nameAt("wuye", "2026-04-20T00:00:00.000000Z"), "幸福物业");
  EXPECT_EQ(h.nameAt("wuye", t2), "安居物业");
  EXPECT_EQ(h.shortNameAt("wuye", before), "物业");
  EXPECT_EQ(h.shortNameAt("wuye", t2), "安居");
  EXPECT_EQ(h.nameAt("wuye", ""), "安居物业") << "no instant: the name now";
  EXPECT_EQ(h.nameAt("zhibu", before), "小区党支部") << "never renamed";
  EXPECT_EQ(h.nameAt("gone", before), "gone");
  EXPECT_EQ(store_->partyNames(c.id).size(), 3u);
  wuye.name = " ";
  EXPECT_THROW(dir->updateParty("a", wuye, t2), Invalid);
  wuye.code = "nobody";
  wuye.name = "X";
  EXPECT_THROW(dir->updateParty("a", wuye, t2), NotFound);
}

TEST_F(RosterTest, GeneratedPasswordsPassThePolicyAndDiffer) {
  const std::string a = dir->generatePassword("someone");
  const std::string b = dir->generatePassword("someone");
  EXPECT_EQ(a.size(), 19u);
  EXPECT_NE(a, b);
  EXPECT_NO_THROW(dir->passwordPolicy().check(a, "someone"));
}

}  // namespace

namespace {

// The /community form's meeting settings are one write: a refused value (here the time) keeps
// every setting as it was, and accepted ones are stored together.
TEST_F(RosterTest, MeetingSettingsAreAllCheckedBeforeOneWrite) {
  dir->addCommunityFromPreset("a", "甲社区", "liufang");
  const auto before = dir->community("a");
  workflow::MeetingSettings s;
  s.quorumRule = "two_thirds";
  s.conveningParty = "wuye";
  s.meetingRule = "monthly:1:2";
  s.meetingTime = "25:61";
  s.meetingPlace = "居委会二楼";
  s.resolveOutsideMeeting = false;
  EXPECT_THROW(dir->setMeetingSettings("a", s), Invalid);
  auto now = dir->community("a");
  EXPECT_EQ(now.quorumRule, before.quorumRule);
  EXPECT_EQ(now.conveningParty, before.conveningParty);
  EXPECT_EQ(now.resolveOutsideMeeting, before.resolveOutsideMeeting);

  s.meetingTime = "19:30";
  dir->setMeetingSettings("a", s);
  now = dir->community("a");
  EXPECT_EQ(now.quorumRule, "two_thirds");
  EXPECT_EQ(now.conveningParty, "wuye");
  EXPECT_EQ(now.meetingRule, "monthly:1:2");
  EXPECT_EQ(now.meetingTime, "19:30");
  EXPECT_EQ(now.meetingPlace, "居委会二楼");
  EXPECT_FALSE(now.resolveOutsideMeeting);
}

}  // namespace
