// The supervision desk's figures against a hand-computed fixture: items driven through the
// Engine with a ManualClock into known states, across the 2026 Mid-Autumn / National Day
// holidays, then every scoreboard figure asserted exactly, and the items behind figures listed.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "EngineTestKit.h"
#include "workflow/Ledger.h"
#include "workflow/Scoreboard.h"

namespace liufang {
namespace {

using testkit::shanghai;
using testkit::TestCommunity;
using workflow::Actor;
using workflow::Command;

class ScoreboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spdlog::set_level(spdlog::level::warn);
    store_ = model::openSqliteStore(testkit::testStoreOptions(dir_.file("score.db")));
    engine_ = std::make_unique<workflow::Engine>(*store_, clock_);
    town_ = TestCommunity::create(*store_);
    other_ = TestCommunity::create(*store_, "xinghe");
    build();
  }

  void at(const std::string& date, int hour = 10) { clock_.set(shanghai(date, hour)); }

  model::Item propose(const TestCommunity& t, const std::string& party, const std::string& date) {
    at(date, 9);
    Command c("propose");
    c.set("title", "议题 " + date).set("description", "说明").set("party", party);
    return engine_->propose(t.id, c, t.rep(party));
  }
  void fire(int64_t id, const std::string& date, const Actor& who, Command c, int hour = 10) {
    at(date, hour);
    engine_->apply(id, c, who);
  }
  // Proposed, taken up, resolved and assigned on `date` to `lead` with `due`.
  int64_t assigned(const std::string& proposer, const std::string& date, const std::string& lead,
                   const std::string& due) {
    const int64_t id = propose(town_, proposer, date).id;
    fire(id, date, town_.convener, Command("take_up"));
    fire(id, date, town_.convener, Command("resolve").set("decision", "由" + lead + "办理"));
    fire(id, date, town_.convener,
         Command("assign").set("lead", lead).set("standard", "办好").set("due", due));
    return id;
  }
  void submitAndAccept(int64_t id, const std::string& lead, const std::string& date) {
    fire(id, date, town_.rep(lead), Command("submit_result").set("result", "已办结"), 14);
    fire(id, date, town_.supervisor, Command("accept"), 15);
  }

  // The fixture (period 2026-09-01 .. 2026-10-31, community taoyuanju unless said):
  //  A  juweihui raises 09-28, wuye leads, due 10-12, closed 10-09: on time; working days
  //     (09-28, 10-09] = 09-29, 09-30, 10-08, 10-09 = 4 (10-01..10-07 National Day); satisfied
  //  B  yeweihui raises 09-10, wuye leads, due 09-15; submitted 09-14, returned (due 09-18),
  //     urged twice 09-16, closed 09-21: late; working days (09-10, 09-21] = 09-11, 14..18,
  //     09-20 (a Sunday worked for National Day), 09-21 = 8; dissatisfied
  //  C  gongyi raises 09-15, juweihui leads, due 09-22; urged 09-23 (turns red): overdue; the
  //     11-02 sweep fires the default escalation ladder on it (one more urge, escalate, report)
  //  D  wuye raises 10-05, dismissed 10-06 with a response (not adopted)
  //  E  dangwei raises 10-20, still a proposal
  //  F  juweihui raises 08-20: before the period, not counted
  //  G  community xinghe, raised 10-10: only in the all-communities scope
  void build() {
    a_ = assigned("juweihui", "2026-09-28", "wuye", "2026-10-12");
    submitAndAccept(a_, "wuye", "2026-10-09");
    fire(a_, "2026-10-10", town_.rep("juweihui"), Command("rate").set("rating", "satisfied"));

    b_ = assigned("yeweihui", "2026-09-10", "wuye", "2026-09-15");
    fire(b_, "2026-09-14", town_.rep("wuye"), Command("submit_result").set("result", "初步处理"));
    fire(b_, "2026-09-14", town_.supervisor,
         Command("return_for_rework").set("reason", "不彻底").set("due", "2026-09-18"), 16);
    fire(b_, "2026-09-16", town_.supervisor, Command("urge").set("note", "请加快"));
    fire(b_, "2026-09-16", town_.supervisor, Command("urge").set("note", "再催"), 11);
    submitAndAccept(b_, "wuye", "2026-09-21");
    fire(b_, "2026-09-22", town_.rep("yeweihui"), Command("rate").set("rating", "dissatisfied"));

    c_ = assigned("gongyi", "2026-09-15", "juweihui", "2026-09-22");
    fire(c_, "2026-09-23", town_.supervisor, Command("urge").set("note", "已逾期"));

    d_ = propose(town_, "wuye", "2026-10-05").id;
    fire(d_, "2026-10-06", town_.convener, Command("take_up"));
    fire(d_, "2026-10-06", town_.convener, Command("dismiss").set("response", "不属社区职责"));

    e_ = propose(town_, "dangwei", "2026-10-20").id;
    propose(town_, "juweihui", "2026-08-20");
    propose(other_, "wuye", "2026-10-10");
    at("2026-11-02");
    engine_->sweep();  // the deadline sweep turns C red, as the server's timer would
  }

  workflow::ScorePeriod period(int64_t community) {
    workflow::ScorePeriod p;
    p.from = *model::Date::parse("2026-09-01");
    p.to = *model::Date::parse("2026-10-31");
    p.communityId = community;
    return p;
  }
  model::User supervisor() { return *store_->findUser(town_.supervisor.userId); }

  static const workflow::Figure& fig(const workflow::ScoreLine& l, const std::string& key) {
    for (const auto& f : l.figures)
      if (f.key == key) return f;
    throw std::runtime_error("no figure " + key);
  }
  // "num/den" of a figure, for compact asserts.
  static std::string nd(const workflow::ScoreLine& l, const std::string& key) {
    const auto& f = fig(l, key);
    return std::to_string(f.numerator) + "/" + std::to_string(f.denominator);
  }
  std::vector<int64_t> itemsIn(const workflow::ScorePeriod& p, const std::string& set,
                               const std::string& lead = "") {
    const auto scope = workflow::scopeOf(*store_, p);
    model::ItemQuery q;
    q.communityId = p.communityId;
    q.createdFrom = scope.fromInstant;
    q.createdTo = scope.toInstant;
    q.scoreSet = set;
    q.lead = lead;
    q.limit = 0;
    std::vector<int64_t> ids;
    for (const auto& i : store_->listItems(q)) ids.push_back(i.id);
    return ids;
  }

  testkit::TempDir dir_{"score"};
  model::ManualClock clock_{shanghai("2026-08-01")};
  std::unique_ptr<model::Store> store_;
  std::unique_ptr<workflow::Engine> engine_;
  TestCommunity town_, other_;
  int64_t a_ = 0, b_ = 0, c_ = 0, d_ = 0, e_ = 0;
};

TEST_F(ScoreboardTest, CommunityFiguresMatchTheHandComputedFixture) {
  const auto b = workflow::loadScoreboard(*store_, engine_->calendar(), supervisor(),
                                          period(town_.id));
  ASSERT_EQ(b.communities.size(), 1u);
  const auto& t = b.communities[0];
  EXPECT_EQ(t.communityId, town_.id);
  EXPECT_EQ(t.raised, 5);
  EXPECT_EQ(nd(t, "response_rate"), "3/5");  // A, B, D
  EXPECT_DOUBLE_EQ(*fig(t, "response_rate").value(), 60.0);
  EXPECT_EQ(nd(t, "on_time_rate"), "1/2");   // A of A, B
  EXPECT_EQ(nd(t, "overdue"), "1/5");        // C
  EXPECT_EQ(nd(t, "avg_days"), "12/2");      // 4 + 8 working days
  EXPECT_DOUBLE_EQ(*fig(t, "avg_days").value(), 6.0);
  EXPECT_EQ(nd(t, "rework_rate"), "1/2");    // B of A, B
  EXPECT_EQ(nd(t, "urges"), "4/5");  // B twice, C once by hand and once by the ladder's first tier
  EXPECT_EQ(nd(t, "satisfaction"), "1/2");   // A satisfied, B not
  EXPECT_EQ(fig(t, "on_time_rate").numeratorSet, "on_time");
  EXPECT_FALSE(fig(t, "on_time_rate").rule.empty());

  EXPECT_EQ(b.stateTotals.at("closed"), 3);
  EXPECT_EQ(b.stateTotals.at("deadline.overdue"), 1);
  EXPECT_EQ(b.stateTotals.at("proposal"), 1);
  EXPECT_EQ(b.lightTotals.at("red"), 1);
  EXPECT_EQ(b.lightTotals.at("green"), 0);
  EXPECT_EQ(b.lightTotals.at("yellow"), 0);

  ASSERT_EQ(b.months.size(), 2u);
  EXPECT_EQ(b.months[0].month, "2026-09");
  EXPECT_EQ(b.months[0].raised, 3);  // B, C, A
  EXPECT_EQ(b.months[1].month, "2026-10");
  EXPECT_EQ(b.months[1].raised, 2);  // D, E
}

TEST_F(ScoreboardTest, PartyFiguresCountTheLeadParty) {
  const auto b = workflow::loadScoreboard(*store_, engine_->calendar(), supervisor(),
                                          period(town_.id));
  ASSERT_EQ(b.parties.size(), 2u);
  // Roster order: juweihui (3rd) before wuye (5th).
  const auto& ju = b.parties[0];
  const auto& wu = b.parties[1];
  EXPECT_EQ(ju.party, "juweihui");
  EXPECT_EQ(ju.raised, 1);
  EXPECT_EQ(nd(ju, "overdue"), "1/1");
  EXPECT_EQ(nd(ju, "urges"), "2/1");  // C: the supervisor's urge and the ladder's
  EXPECT_EQ(nd(ju, "on_time_rate"), "0/0");
  EXPECT_FALSE(fig(ju, "on_time_rate").value().has_value());
  EXPECT_EQ(wu.party, "wuye");
  EXPECT_EQ(wu.raised, 2);
  EXPECT_EQ(nd(wu, "response_rate"), "2/2");
  EXPECT_EQ(nd(wu, "on_time_rate"), "1/2");
  EXPECT_EQ(nd(wu, "avg_days"), "12/2");
  EXPECT_EQ(nd(wu, "rework_rate"), "1/2");
  EXPECT_EQ(nd(wu, "urges"), "2/2");
  EXPECT_EQ(nd(wu, "satisfaction"), "1/2");
}

TEST_F(ScoreboardTest, AllCommunitiesSideBySide) {
  const auto b = workflow::loadScoreboard(*store_, engine_->calendar(), supervisor(), period(0));
  ASSERT_EQ(b.communities.size(), 2u);
  EXPECT_EQ(b.communities[0].raised, 5);
  EXPECT_EQ(b.communities[1].communityId, other_.id);
  EXPECT_EQ(b.communities[1].raised, 1);
  EXPECT_EQ(b.total.raised, 6);
  EXPECT_EQ(nd(b.total, "response_rate"), "3/6");
}

TEST_F(ScoreboardTest, ACommunityUserSeesOnlyTheirCommunity) {
  const auto convener = *store_->findUser(town_.convener.userId);
  const auto b = workflow::loadScoreboard(*store_, engine_->calendar(), convener, period(0));
  EXPECT_EQ(b.period.communityId, town_.id);
  EXPECT_EQ(b.total.raised, 5);
  const auto rep = *store_->findUser(town_.rep("wuye").userId);
  EXPECT_THROW(workflow::loadScoreboard(*store_, engine_->calendar(), rep, period(0)), Forbidden);
}

TEST_F(ScoreboardTest, TheItemsBehindAFigureAreListed) {
  const auto p = period(town_.id);
  EXPECT_EQ(itemsIn(p, "on_time"), std::vector<int64_t>{a_});
  // Newest first: B was proposed after A.
  EXPECT_EQ(itemsIn(p, "resolved"), (std::vector<int64_t>{b_, a_}));
  EXPECT_EQ(itemsIn(p, "timed"), itemsIn(p, "resolved"));
  EXPECT_EQ(itemsIn(p, "overdue"), std::vector<int64_t>{c_});
  EXPECT_EQ(itemsIn(p, "reworked", "wuye"), std::vector<int64_t>{b_});
  EXPECT_EQ(itemsIn(p, "urged").size(), 2u);
  EXPECT_EQ(itemsIn(p, "raised").size(), 5u);
  EXPECT_EQ(itemsIn(p, "responded"), (std::vector<int64_t>{d_, b_, a_}));
  EXPECT_TRUE(itemsIn(p, "no_such_set").empty());
  EXPECT_EQ(itemsIn(p, "raised", "juweihui"), std::vector<int64_t>{c_});
}

TEST_F(ScoreboardTest, LedgerHasOneRowPerItemWithNamesAndDates) {
  std::ostringstream out;
  const auto n = workflow::writeLedgerCsv(out, *store_, period(town_.id),
                                          [](const std::string& s) { return s; });
  EXPECT_EQ(n, 5);
  const std::string csv = out.str();
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv.find("\r\n" + std::to_string(a_) + ",议题 2026-09-28,juweihui方,wuye方,,2026-09-28,"
                     "2026-10-12,Closed,已办结,2026-10-09,Yes,0,0,Satisfied\r\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",2026-09-21,No,2,1,Dissatisfied\r\n"), std::string::npos) << csv;
}

// The running totals (migration 013) are kept by the write transaction: they equal a recount
// of the items after every event, without a rebuild.
TEST_F(ScoreboardTest, RunningTotalsEqualARecountAfterEveryEvent) {
  store_->prepareScores(engine_->calendar());
  EXPECT_EQ(store_->scoreSummaryDrift(), 0);
  const auto before = workflow::loadScoreboard(*store_, engine_->calendar(), supervisor(),
                                               period(town_.id));
  // After the 11-02 sweep: C is urged again, answered and closed late; E is dismissed.
  fire(c_, "2026-11-03", town_.supervisor, Command("urge").set("note", "三催"));
  EXPECT_EQ(store_->scoreSummaryDrift(), 0);
  fire(c_, "2026-11-04", town_.rep("juweihui"), Command("submit_result").set("result", "修好"));
  fire(c_, "2026-11-04", town_.supervisor, Command("accept"), 15);
  fire(e_, "2026-11-05", town_.convener, Command("take_up"));
  fire(e_, "2026-11-05", town_.convener, Command("dismiss").set("response", "另案处理"));
  EXPECT_EQ(store_->scoreSummaryDrift(), 0);

  const auto after = workflow::loadScoreboard(*store_, engine_->calendar(), supervisor(),
                                              period(town_.id));
  const auto& t = after.communities.at(0);
  EXPECT_EQ(t.raised, before.communities.at(0).raised);
  EXPECT_EQ(nd(t, "overdue"), "0/5");
  EXPECT_EQ(nd(t, "on_time_rate"), "1/3");
  // C: (09-15, 11-04] = 11 days in September (Sunday 09-20 worked, 09-25 Mid-Autumn off),
  // 18 in October after the holiday (Saturday 10-10 worked), 3 in November = 32; with A's 4
  // and B's 8: 44 over 3.
  EXPECT_EQ(nd(t, "avg_days"), "44/3");
  EXPECT_EQ(nd(t, "urges"), "5/5");
  EXPECT_EQ(nd(t, "response_rate"), "5/5");
  EXPECT_EQ(after.stateTotals.at("closed"), 5);
  EXPECT_EQ(after.lightTotals.at("red"), 0);
}

// A period that starts and ends inside months reads its ends by day: every figure's numerator
// and denominator equal the items listed for its sets, whatever the bounds.
TEST_F(ScoreboardTest, FiguresAgreeWithTheListedItemsForRaggedPeriods) {
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"2026-09-01", "2026-10-31"},
           {"2026-09-11", "2026-10-09"},
           {"2026-09-28", "2026-09-28"},
           {"2026-09-15", "2026-09-27"},
           {"2026-08-20", "2026-12-31"},
           {"2025-01-01", "2026-12-31"}}) {
    for (int64_t community : {int64_t{0}, town_.id}) {
      workflow::ScorePeriod p;
      p.from = *model::Date::parse(from);
      p.to = *model::Date::parse(to);
      p.communityId = community;
      const auto b = workflow::loadScoreboard(*store_, engine_->calendar(), supervisor(), p);
      SCOPED_TRACE(from + " .. " + to + " community " + std::to_string(community));
      EXPECT_EQ(b.total.raised, static_cast<int64_t>(itemsIn(p, "raised").size()));
      for (const auto& f : b.total.figures) {
        if (f.unit == "days") {
          EXPECT_EQ(f.denominator, static_cast<int64_t>(itemsIn(p, f.denominatorSet).size()));
          continue;
        }
        if (f.key != "urges") {
          EXPECT_EQ(f.numerator, static_cast<int64_t>(itemsIn(p, f.numeratorSet).size()))
              << f.key;
        }
        EXPECT_EQ(f.denominator, static_cast<int64_t>(itemsIn(p, f.denominatorSet).size()))
            << f.key;
      }
      int64_t states = 0;
      for (const auto& [state, n] : b.stateTotals) states += n;
      EXPECT_EQ(states, b.total.raised);
    }
  }
}

// A changed holiday calendar (an operator's file) rebuilds the totals: 10-09 made a holiday
// takes a working day off A's handling time.
TEST_F(ScoreboardTest, AChangedCalendarRebuildsTheTotals) {
  store_->prepareScores(engine_->calendar());
  const std::string built = store_->instanceFlag("score_summary");
  EXPECT_FALSE(built.empty());
  model::HolidayCalendar changed = engine_->calendar();
  changed.merge(model::HolidayCalendar::parse("2026-10-09 holiday Local\n"));
  const auto b = workflow::loadScoreboard(*store_, changed, supervisor(), period(town_.id));
  EXPECT_EQ(nd(b.communities.at(0), "avg_days"), "11/2");
  EXPECT_NE(store_->instanceFlag("score_summary"), built);
  EXPECT_EQ(store_->scoreSummaryDrift(), 0);
}

TEST(Csv, QuotesPerRfc4180) {
  EXPECT_EQ(workflow::csvRecord({"a", "b,c", "say \"hi\"", "two\r\nlines", "中文"}),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"two\r\nlines\",中文\r\n");
}

}  // namespace
}  // namespace liufang
