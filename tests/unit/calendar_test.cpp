// Dates, China's working-day calendar and the instant format.
#include "model/Calendar.h"

#include <gtest/gtest.h>

#include "model/Clock.h"
#include "model/Errors.h"

namespace liufang::model {
namespace {

Date d(const std::string& s) {
  auto parsed = Date::parse(s);
  EXPECT_TRUE(parsed) << s;
  return parsed.value_or(Date{});
}

TEST(Date, ParseAcceptsOnlyRealIsoDates) {
  struct Case {
    const char* text;
    bool ok;
  };
  const Case cases[] = {
      {"2026-02-16", true},   {"2024-02-29", true},   {"2000-02-29", true},  {"1970-01-01", true},
      {"2026-12-31", true},   {"2026-02-30", false},  {"2025-02-29", false}, {"1900-02-29", false},
      {"2026-2-3", false},    {"2026-02-3", false},   {"abc", false},        {"", false},
      {"2026-13-01", false},  {"2026-00-10", false},  {"2026-01-00", false}, {"2026-04-31", false},
      {" 2026-02-03", false}, {"2026-02-03 ", false}, {"2026/02/03", false}, {"+026-02-03", false},
      {"2026-0a-03", false},
  };
  for (const auto& c : cases) EXPECT_EQ(Date::parse(c.text).has_value(), c.ok) << c.text;
  const Date x = d("2026-02-16");
  EXPECT_EQ(x.year, 2026);
  EXPECT_EQ(x.month, 2);
  EXPECT_EQ(x.day, 16);
  EXPECT_EQ(x.str(), "2026-02-16");
  EXPECT_EQ((Date{5, 3, 7}).str(), "0005-03-07");
}

TEST(Date, DayNumbersAndWeekdays) {
  EXPECT_EQ(d("1970-01-01").dayNumber(), 0);
  EXPECT_EQ(d("1970-01-02").dayNumber(), 1);
  EXPECT_EQ(d("1969-12-31").dayNumber(), -1);
  EXPECT_EQ(d("2000-03-01").dayNumber(), 11017);
  EXPECT_EQ(d("1970-01-01").weekday(), 4);  // Thursday
  EXPECT_EQ(d("1969-12-29").weekday(), 1);  // Monday, before the epoch
  EXPECT_EQ(d("2026-02-16").weekday(), 1);  // Monday
  EXPECT_EQ(d("2026-02-14").weekday(), 6);  // Saturday
  EXPECT_EQ(d("2026-02-15").weekday(), 7);  // Sunday
  // Over years 0001-9999: fromDayNumber inverts dayNumber, consecutive numbers are
  // consecutive dates, and every date prints as a date parse accepts.
  const int64_t first = d("0001-01-01").dayNumber(), last = d("9999-12-31").dayNumber();
  Date prev = Date::fromDayNumber(first - 1);
  for (int64_t n = first; n <= last; ++n) {
    const Date cur = Date::fromDayNumber(n);
    ASSERT_EQ(cur.dayNumber(), n);
    ASSERT_EQ(cur.weekday(), (prev.weekday() % 7) + 1);
    if (n % 97 == 0) {
      ASSERT_TRUE(Date::parse(cur.str())) << cur.str();
    }
    prev = cur;
  }
  EXPECT_EQ(prev.str(), "9999-12-31");
  EXPECT_EQ(d("2026-02-28").plusDays(1).str(), "2026-03-01");
  EXPECT_EQ(d("2024-02-28").plusDays(1).str(), "2024-02-29");
  EXPECT_EQ(d("2026-01-01").plusDays(-1).str(), "2025-12-31");
}

TEST(Date, LocalDateUsesTheOffset) {
  const Instant t = parseInstant("2026-02-15T16:30:00.000Z");
  EXPECT_EQ(localDate(t, 480).str(), "2026-02-16");  // 00:30 in Shanghai
  EXPECT_EQ(localDate(t, 0).str(), "2026-02-15");
  EXPECT_EQ(localDate(parseInstant("2026-02-15T02:00:00Z"), -180).str(), "2026-02-14");
  EXPECT_EQ(localDate(parseInstant("1969-12-31T23:59:59Z"), 0).str(), "1969-12-31");
}

TEST(HolidayCalendar, SpringFestival2026) {
  const auto& cn = HolidayCalendar::china();
  EXPECT_FALSE(cn.isWorkingDay(d("2026-02-16")));  // Monday, but a holiday
  EXPECT_TRUE(cn.isWorkingDay(d("2026-02-14")));   // Saturday, but a make-up working day
  EXPECT_FALSE(cn.isWorkingDay(d("2026-02-15")));
  EXPECT_TRUE(cn.isWorkingDay(d("2026-02-28")));   // Saturday make-up
  EXPECT_TRUE(cn.isWorkingDay(d("2026-02-24")));   // first Tuesday back
  EXPECT_TRUE(cn.isWorkingDay(d("2026-03-04")));   // ordinary Wednesday
  EXPECT_FALSE(cn.isWorkingDay(d("2026-03-07")));  // ordinary Saturday
  // Friday 13th -> Saturday 14th (make-up) -> holidays until Tue 24th.
  EXPECT_EQ(cn.addWorkingDays(d("2026-02-13"), 1).str(), "2026-02-14");
  EXPECT_EQ(cn.addWorkingDays(d("2026-02-13"), 2).str(), "2026-02-24");
}

TEST(HolidayCalendar, AddWorkingDaysAcrossNationalDay2026) {
  const auto& cn = HolidayCalendar::china();
  // Wed 30 Sep; 1-7 Oct are holidays; Thu 8, Fri 9 and Sat 10 (make-up) are working days.
  EXPECT_EQ(cn.addWorkingDays(d("2026-09-30"), 1).str(), "2026-10-08");
  EXPECT_EQ(cn.addWorkingDays(d("2026-09-30"), 3).str(), "2026-10-10");
  EXPECT_EQ(cn.addWorkingDays(d("2026-09-30"), 4).str(), "2026-10-12");
  // From inside the holiday the start day is not counted either.
  EXPECT_EQ(cn.addWorkingDays(d("2026-10-03"), 1).str(), "2026-10-08");
  // Fri 18 Sep -> Sun 20 Sep is a make-up working day.
  EXPECT_EQ(cn.addWorkingDays(d("2026-09-18"), 1).str(), "2026-09-20");
  // Mid-Autumn 25-27 Sep: Thu 24 + 1 -> Mon 28.
  EXPECT_EQ(cn.addWorkingDays(d("2026-09-24"), 1).str(), "2026-09-28");
}

TEST(HolidayCalendar, WorkingDaysBetweenIsSignedAndHalfOpen) {
  const auto& cn = HolidayCalendar::china();
  EXPECT_EQ(cn.workingDaysBetween(d("2026-09-30"), d("2026-10-10")), 3);
  EXPECT_EQ(cn.workingDaysBetween(d("2026-10-10"), d("2026-09-30")), -3);
  EXPECT_EQ(cn.workingDaysBetween(d("2026-03-04"), d("2026-03-04")), 0);
  EXPECT_EQ(cn.workingDaysBetween(d("2026-03-04"), d("2026-03-05")), 1);
  EXPECT_EQ(cn.workingDaysBetween(d("2026-03-05"), d("2026-03-04")), -1);
  EXPECT_EQ(cn.workingDaysBetween(d("2026-03-06"), d("2026-03-09")), 1);  // Fri -> Mon
  EXPECT_EQ(cn.workingDaysBetween(d("2026-10-01"), d("2026-10-07")), 0);  // all holiday
  // 2026 as listed in data/holidays-cn.txt: 261 weekdays - 19 weekday holidays + 6 make-ups.
  EXPECT_EQ(cn.workingDaysBetween(d("2025-12-31"), d("2026-12-31")), 248);
}

TEST(HolidayCalendar, CountingAgreesWithStepping) {
  // workingDaysBetween counts arithmetically; check it against day-by-day stepping.
  const auto& cn = HolidayCalendar::china();
  for (Date from = d("2024-12-20"); from < d("2027-01-10"); from = from.plusDays(5)) {
    int stepped = 0;
    for (Date to = from.plusDays(1); to < from.plusDays(60); to = to.plusDays(1)) {
      if (cn.isWorkingDay(to)) ++stepped;
      ASSERT_EQ(cn.workingDaysBetween(from, to), stepped) << from.str() << " " << to.str();
      ASSERT_EQ(cn.workingDaysBetween(to, from), -stepped) << from.str() << " " << to.str();
    }
    for (int n = 1; n <= 30; n += 7) {
      const Date to = cn.addWorkingDays(from, n);
      ASSERT_TRUE(cn.isWorkingDay(to));
      ASSERT_EQ(cn.workingDaysBetween(from, to), n) << from.str() << " +" << n;
    }
  }
}

TEST(HolidayCalendar, ParseReadsCommentsAndRejectsBadLines) {
  const auto cal = HolidayCalendar::parse(
      "# header\n"
      "\n"
      "2026-03-04 holiday   # a Wednesday off\n"
      "  2026-03-07\tworkday\n"
      "2026-03-08 workday# no space before the comment\r\n");
  EXPECT_FALSE(cal.isWorkingDay(d("2026-03-04")));
  EXPECT_TRUE(cal.isWorkingDay(d("2026-03-07")));
  EXPECT_TRUE(cal.isWorkingDay(d("2026-03-08")));
  EXPECT_TRUE(cal.isWorkingDay(d("2026-03-05")));

  struct Case {
    std::string text;
    const char* mentions;
  };
  const Case bad[] = {
      {"2026-03-04 holiday\n\n2026-02-30 holiday\n", "line 3"},
      {"2026-03-04 vacation\n", "line 1"},
      {"2026-03-04\n", "line 1"},
      {"# ok\n2026-03-04 holiday extra\n2026-03-05 workday " + std::string(70, 'x') + "\n",
       "line 3"},
      {"2026-03-04 holiday\n2026-03-04 workday\n", "line 2"},
      {"4 March holiday\n", "line 1"},
  };
  for (const auto& c : bad) {
    try {
      HolidayCalendar::parse(c.text);
      ADD_FAILURE() << "accepted: " << c.text;
    } catch (const Invalid& e) {
      EXPECT_NE(e.english().find(c.mentions), std::string::npos) << e.english();
      EXPECT_NE(std::string(e.what()).find("line"), std::string::npos) << e.what();
    }
  }
}

TEST(Clock, FormatAndParseRoundTrip) {
  const std::string s = "2026-11-21T23:27:06.123Z";
  EXPECT_EQ(formatInstant(parseInstant(s)), s);
  EXPECT_EQ(formatInstant(parseInstant("2026-11-21T23:27:06Z")), "2026-11-21T23:27:06.000Z");
  EXPECT_EQ(formatInstant(Instant{}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(formatInstant(parseInstant("1969-12-31T23:59:59.999Z")), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(formatInstant(parseInstant("2024-02-29T12:00:00.5Z")), "2024-02-29T12:00:00.500Z");
  // Sub-millisecond digits are kept on parse and floored on format.
  EXPECT_EQ(formatInstant(parseInstant("2026-01-01T00:00:00.123999Z")), "2026-01-01T00:00:00.123Z");
  const Instant t = parseInstant(s);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count(),
            1795303626123LL);
  // Formatting is text order = time order.
  EXPECT_LT(formatInstant(t), formatInstant(t + std::chrono::milliseconds(1)));
  const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(SystemClock().now());
  EXPECT_EQ(parseInstant(formatInstant(now)), now);
}

TEST(Clock, ParseRejectsMalformedInstants) {
  for (const char* bad :
       {"", "x", "2026-11-21", "2026-11-21T23:27:06", "2026-11-21 23:27:06Z",
        "2026-11-21T23:27:06.Z", "2026-11-21T23:27:06.1234567890Z", "2026-02-30T00:00:00Z",
        "2026-11-21T24:00:00Z", "2026-11-21T23:60:00Z", "2026-11-21T23:27:60Z",
        "2026-11-21T23:27:06+08:00", "2026-11-21T23:27:06.123Zjunk", "2026-11-21t23:27:06Z"})
    EXPECT_THROW(parseInstant(bad), Invalid) << bad;
}

TEST(Clock, ManualClockMovesOnlyWhenTold) {
  ManualClock clock(parseInstant("2026-03-01T00:00:00Z"));
  EXPECT_EQ(formatInstant(clock.now()), "2026-03-01T00:00:00.000Z");
  clock.advance(std::chrono::hours(36));
  EXPECT_EQ(formatInstant(clock.now()), "2026-03-02T12:00:00.000Z");
}


TEST(HolidayCalendar, CoversEveryYearOfTheNoticesWithNames) {
  const auto& cn = HolidayCalendar::china();
  EXPECT_EQ(cn.firstYear(), 2004);
  EXPECT_GE(cn.lastYear(), 2026);
  EXPECT_EQ(cn.nameOf(d("2026-10-01")), "National Day");
  EXPECT_EQ(cn.nameOf(d("2026-10-10")), "National Day");  // the make-up day names its festival
  EXPECT_EQ(cn.nameOf(d("2026-03-04")), "");
  // 2015-09-03, the one-off Victory Day holiday, and a 2008 Olympic-era Spring Festival day.
  EXPECT_FALSE(cn.isWorkingDay(d("2015-09-03")));
  EXPECT_FALSE(cn.isWorkingDay(d("2008-02-07")));
  EXPECT_TRUE(cn.isWorkingDay(d("2008-02-02")));  // Saturday make-up
}

TEST(HolidayCalendar, ExplainsTheNationalDayArithmetic) {
  const auto& cn = HolidayCalendar::china();
  // The example: assigned Mon 2026-09-28, 5 working days.
  const Date due = cn.addWorkingDays(d("2026-09-28"), 5);
  EXPECT_EQ(due.str(), "2026-10-10");
  const auto e = cn.explain(d("2026-09-28"), due);
  EXPECT_EQ(e.workingDays, 5);
  std::string counted;
  for (const auto& c : e.counted) counted += c.date.str().substr(5) + (c.makeUp ? "*" : "") + " ";
  EXPECT_EQ(counted, "09-29 09-30 10-08 10-09 10-10* ");
  EXPECT_EQ(e.counted.back().name, "National Day");
  ASSERT_EQ(e.holidays.size(), 1u);
  EXPECT_EQ(e.holidays[0].name, "National Day");
  EXPECT_EQ(e.holidays[0].first.str(), "2026-10-01");
  EXPECT_EQ(e.holidays[0].last.str(), "2026-10-07");
  // Across Mid-Autumn and National Day: two runs, weekends not listed.
  const auto e2 = cn.explain(d("2026-09-24"), d("2026-10-09"));
  ASSERT_EQ(e2.holidays.size(), 2u);
  EXPECT_EQ(e2.holidays[0].name, "Mid-autumn Festival");
  EXPECT_EQ(e2.holidays[0].first.str(), "2026-09-25");
  EXPECT_EQ(e2.holidays[0].last.str(), "2026-09-27");
  EXPECT_EQ(e2.workingDays, static_cast<int>(e2.counted.size()));
}

TEST(HolidayCalendar, AnOperatorFileMergesOverTheBuiltIn) {
  HolidayCalendar cal = HolidayCalendar::parse(
      "2026-10-01 holiday National Day\n2026-10-10 workday National Day\n");
  cal.merge(HolidayCalendar::parse(
      "2026-10-10 holiday Local typhoon day\n2027-01-01 holiday New Year's Day\n"));
  EXPECT_FALSE(cal.isWorkingDay(d("2026-10-10")));  // replaced
  EXPECT_EQ(cal.nameOf(d("2026-10-10")), "Local typhoon day");
  EXPECT_FALSE(cal.isWorkingDay(d("2026-10-01")));  // kept
  EXPECT_FALSE(cal.isWorkingDay(d("2027-01-01")));  // added
  EXPECT_EQ(cal.lastYear(), 2027);
}

TEST(Clock, OffsetClockStartsAtItsInstantAndRunsWithTheBase) {
  ManualClock base(parseInstant("2026-11-22T05:00:00Z"));
  const OffsetClock demo(base, parseInstant("2026-12-15T01:00:00Z"));
  EXPECT_EQ(formatInstant(demo.now()), "2026-12-15T01:00:00.000Z");
  base.advance(std::chrono::hours(30));
  EXPECT_EQ(formatInstant(demo.now()), "2026-12-16T07:00:00.000Z");
}

}  // namespace
}  // namespace liufang::model
