#include "model/Calendar.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "model/Errors.h"

// Generated from model/data/* by model/CMakeLists.txt (liufang_embed).
const std::map<std::string, std::string>& liufangModelFiles();

namespace liufang::model {
namespace {

int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int daysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}

// Monday-Friday days with day number in [4, n) (negative below 4); 1970-01-05 (day 4) is a
// Monday, so whole weeks from it contribute 5 each. The difference of two calls counts the
// weekdays in a range in O(1).
int64_t weekdaysFromAnchor(int64_t n) {
  const int64_t k = n - 4;
  const int64_t weeks = floorDiv(k, 7);
  const int64_t rem = k - weeks * 7;
  return weeks * 5 + (rem < 5 ? rem : 5);
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

}  // namespace

std::optional<Date> Date::parse(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p)
    for (size_t i = starts[p]; i < starts[p] + lens[p]; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      parts[p] = parts[p] * 10 + (s[i] - '0');
    }
  const Date d{parts[0], parts[1], parts[2]};
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > daysInMonth(d.year, d.month))
    return std::nullopt;
  return d;
}

std::string Date::str() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

// Howard Hinnant's days_from_civil (proleptic Gregorian).
int64_t Date::dayNumber() const {
  const int64_t y = year - (month <= 2 ? 1 : 0);
  const int64_t era = floorDiv(y, 400);
  const int64_t yoe = y - era * 400;                                             // [0, 399]
  const int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;  // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                     // [0, 146096]
  return era * 146097 + doe - 719468;
}

// Howard Hinnant's civil_from_days.
Date Date::fromDayNumber(int64_t n) {
  n += 719468;
  const int64_t era = floorDiv(n, 146097);
  const int64_t doe = n - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
  return Date{y, m, d};
}

int Date::weekday() const {
  // Day 0 (1970-01-01) was a Thursday (4).
  return static_cast<int>((dayNumber() % 7 + 7 + 3) % 7) + 1;
}

Date localDate(Instant t, int utcOffsetMinutes) {
  const int64_t secs = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count() +
                       int64_t{utcOffsetMinutes} * 60;
  return Date::fromDayNumber(floorDiv(secs, 86400));
}

namespace {
HolidayCalendar& processCalendar() {
  static HolidayCalendar calendar =
      HolidayCalendar::parse(liufangModelFiles().at("data/holidays-cn.txt"));
  return calendar;
}
}  // namespace

const HolidayCalendar& HolidayCalendar::china() { return processCalendar(); }

void HolidayCalendar::mergeExtraFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Invalid(Msg("cannot read the holiday file {1}").arg(path));
  std::ostringstream text;
  text << in.rdbuf();
  try {
    processCalendar().merge(parse(text.str()));
  } catch (const Invalid& e) {
    throw Invalid(Msg("holiday file {1}: {2}").arg(path).arg(e.english()));
  }
}

void HolidayCalendar::merge(const HolidayCalendar& over) {
  for (const auto& [day, entry] : over.overrides_) overrides_[day] = entry;
}

HolidayCalendar HolidayCalendar::parse(const std::string& text) {
  HolidayCalendar cal;
  std::istringstream in(text);
  std::string raw;
  int lineNo = 0;
  while (std::getline(in, raw)) {
    ++lineNo;
    const std::string line = trim(raw.substr(0, raw.find('#')));
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string date, kind;
    fields >> date >> kind;
    std::string name;
    std::getline(fields, name);
    name = trim(name);
    const auto d = Date::parse(date);
    const auto fail = [&](const char* why) {
      throw Invalid(Msg("holiday data line {1}: {2}: {3}")
                        .arg(static_cast<long long>(lineNo))
                        .label(why)
                        .arg(line));
    };
    if (!d) fail("expected a YYYY-MM-DD date");
    if (kind != "holiday" && kind != "workday") fail("expected holiday or workday");
    if (name.size() > 64) fail("the name is longer than 64 bytes");
    if (!cal.overrides_.emplace(d->dayNumber(), Entry{kind == "workday", name}).second)
      fail("date listed twice");
  }
  return cal;
}

std::string HolidayCalendar::nameOf(const Date& d) const {
  const auto it = overrides_.find(d.dayNumber());
  return it == overrides_.end() ? std::string() : it->second.name;
}

int HolidayCalendar::firstYear() const {
  return overrides_.empty() ? 0 : Date::fromDayNumber(overrides_.begin()->first).year;
}

int HolidayCalendar::lastYear() const {
  return overrides_.empty() ? 0 : Date::fromDayNumber(overrides_.rbegin()->first).year;
}

DeadlineExplanation HolidayCalendar::explain(const Date& from, const Date& due,
                                             int maxDays) const {
  DeadlineExplanation out;
  out.from = from;
  out.due = due;
  out.workingDays = workingDaysBetween(from, due);
  int walked = 0;
  for (Date d = from.plusDays(1); d <= due && walked < maxDays; d = d.plusDays(1), ++walked) {
    const auto it = overrides_.find(d.dayNumber());
    const bool weekend = d.weekday() > 5;
    if (it != overrides_.end() && !it->second.working) {
      // Extend the last run when it is the day before and has the same name.
      if (!out.holidays.empty() && out.holidays.back().name == it->second.name &&
          out.holidays.back().last.plusDays(1) == d)
        out.holidays.back().last = d;
      else
        out.holidays.push_back({it->second.name, d, d});
      continue;
    }
    if (it != overrides_.end() ? it->second.working : !weekend)
      out.counted.push_back({d, weekend, weekend && it != overrides_.end() ? it->second.name : ""});
  }
  return out;
}

bool HolidayCalendar::isWorkingDay(const Date& d) const {
  const auto it = overrides_.find(d.dayNumber());
  if (it != overrides_.end()) return it->second.working;
  return d.weekday() <= 5;
}

Date HolidayCalendar::addWorkingDays(const Date& from, int n) const {
  // n <= 0 is outside the contract; walk backwards for negatives rather than loop forever.
  const int step = n >= 0 ? 1 : -1;
  int left = n >= 0 ? n : -n;
  Date d = from;
  while (left > 0) {
    d = d.plusDays(step);
    if (isWorkingDay(d)) --left;
  }
  return d;
}

int HolidayCalendar::workingDaysBetween(const Date& from, const Date& to) const {
  int64_t a = from.dayNumber(), b = to.dayNumber();
  const int sign = b >= a ? 1 : -1;
  if (sign < 0) std::swap(a, b);
  // Weekdays in (a, b], then correct for listed days inside that range whose status differs
  // from the weekday default.
  int64_t count = weekdaysFromAnchor(b + 1) - weekdaysFromAnchor(a + 1);
  for (auto it = overrides_.upper_bound(a); it != overrides_.end() && it->first <= b; ++it) {
    const bool weekday = Date::fromDayNumber(it->first).weekday() <= 5;
    if (it->second.working && !weekday) ++count;
    if (!it->second.working && weekday) --count;
  }
  return static_cast<int>(count) * sign;
}

}  // namespace liufang::model
