#pragma once
// Civil dates and China's working-day calendar (official holidays and make-up working days).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/Clock.h"

namespace liufang::model {

// A calendar date with no time zone; what people see and what deadlines are.
struct Date {
  int year = 1970, month = 1, day = 1;

  // Parses strict ISO "YYYY-MM-DD"; returns nullopt if malformed or not a real date.
  static std::optional<Date> parse(const std::string& s);
  std::string str() const;               // "YYYY-MM-DD"
  int64_t dayNumber() const;             // days since 1970-01-01
  static Date fromDayNumber(int64_t n);  // inverse of dayNumber()
  int weekday() const;                   // 1 = Monday ... 7 = Sunday
  Date plusDays(int64_t n) const { return fromDayNumber(dayNumber() + n); }
  bool operator<(const Date& o) const { return dayNumber() < o.dayNumber(); }
  bool operator<=(const Date& o) const { return dayNumber() <= o.dayNumber(); }
  bool operator==(const Date& o) const { return dayNumber() == o.dayNumber(); }
};

// The local date of an instant at a fixed UTC offset (Asia/Shanghai is +480 minutes, no DST).
Date localDate(Instant t, int utcOffsetMinutes);

// How a deadline was counted, in parts the web formats (zh-CN or English): "assigned
// 2026-09-28 (Mon), 5 working days: 09-29, 09-30, 10-08, 10-09, 10-10 (Saturday make-up),
// due 2026-10-10; National Day 10-01...10-07 not counted".
struct DeadlineExplanation {
  struct Counted {
    Date date;
    bool makeUp = false;  // a weekend made a working day by the notice
    std::string name;     // the festival it makes up for (make-up days only)
  };
  struct Skipped {         // a run of consecutive official holidays of one name
    std::string name;      // English msgid, e.g. "National Day"; may be empty
    Date first, last;
  };
  Date from, due;
  int workingDays = 0;           // signed, as workingDaysBetween(from, due)
  std::vector<Counted> counted;  // the working days in (from, due], in order
  std::vector<Skipped> holidays; // official holidays in (from, due] (weekends are not listed)
};

// Working days: Monday-Friday, minus official holidays, plus make-up working days.
// Loaded from a data file of lines "YYYY-MM-DD holiday|workday [Name] [# comment]"
// (docs/OPERATIONS.md, "Working days").
class HolidayCalendar {
 public:
  // The calendar in force in this process: the one compiled into the binary
  // (model/data/holidays-cn.txt), merged with the operator's file if mergeExtraFile was called.
  static const HolidayCalendar& china();
  // Merges an operator's file (same format; its lines replace the built-in ones for the same
  // dates) into china(), in place, so engines already holding china() see it. Call at start-up,
  // before other threads read the calendar. Throws Invalid naming the file and the bad line.
  static void mergeExtraFile(const std::string& path);
  // Parses the data file format; throws liufang::Invalid naming the bad line.
  static HolidayCalendar parse(const std::string& text);
  // This calendar with `over`'s lines replacing or adding to its own.
  void merge(const HolidayCalendar& over);

  bool isWorkingDay(const Date& d) const;
  // The date n working days after `from` (n >= 1; `from` itself is not counted).
  Date addWorkingDays(const Date& from, int n) const;
  // Working days in (from, to]; negative when `to` is before `from`.
  int workingDaysBetween(const Date& from, const Date& to) const;
  // The counted days and the skipped holidays between `from` and `due` (at most `maxDays`
  // calendar days are walked; a longer span lists the first ones only, workingDays stays exact).
  DeadlineExplanation explain(const Date& from, const Date& due, int maxDays = 366) const;
  // The name listed for d ("" if none or not listed).
  std::string nameOf(const Date& d) const;
  // First and last listed years (0 when empty): what the data covers.
  int firstYear() const;
  int lastYear() const;

 private:
  struct Entry {
    bool working = false;
    std::string name;
  };
  std::map<int64_t, Entry> overrides_;  // day number -> listed status
};

}  // namespace liufang::model
