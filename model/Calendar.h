#pragma once
// Civil dates and China's working-day calendar (official holidays and make-up working days).
#include <cstdint>
#include <map>
#include <optional>
#include <string>

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

// Working days: Monday-Friday, minus official holidays, plus make-up working days.
// Loaded from a data file of lines "YYYY-MM-DD holiday|workday [# note]".
class HolidayCalendar {
 public:
  // The calendar compiled into the binary (model/data/holidays-cn.txt).
  static const HolidayCalendar& china();
  // Parses the data file format; throws liufang::Invalid naming the bad line.
  static HolidayCalendar parse(const std::string& text);

  bool isWorkingDay(const Date& d) const;
  // The date n working days after `from` (n >= 1; `from` itself is not counted).
  Date addWorkingDays(const Date& from, int n) const;
  // Working days in (from, to]; negative when `to` is before `from`.
  int workingDaysBetween(const Date& from, const Date& to) const;

 private:
  std::map<int64_t, bool> overrides_;  // day number -> working?
};

}  // namespace liufang::model
