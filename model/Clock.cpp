#include "model/Clock.h"

#include <cstdio>

#include "model/Calendar.h"
#include "model/Errors.h"

namespace liufang::model {
namespace {

constexpr int64_t kMsPerDay = 86400000;

// Floor division: instants before 1970 must still land on the right day.
int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly n digits at s[pos...]; false if any is not a digit.
bool readDigits(const std::string& s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!isDigit(s[i])) return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

[[noreturn]] void badInstant(const std::string& s) {
  throw Invalid(Msg("invalid instant (expected YYYY-MM-DDTHH:MM:SS[.fff]Z): {1}").arg(s));
}

}  // namespace

std::string formatInstant(Instant t) {
  using namespace std::chrono;
  // floor, not truncation: an instant before 1970 still formats as the right day and time.
  const int64_t ms = floor<milliseconds>(t.time_since_epoch()).count();
  const int64_t day = floorDiv(ms, kMsPerDay);
  const int64_t msOfDay = ms - day * kMsPerDay;
  const Date d = Date::fromDayNumber(day);
  const int hh = static_cast<int>(msOfDay / 3600000);
  const int mm = static_cast<int>(msOfDay / 60000 % 60);
  const int ss = static_cast<int>(msOfDay / 1000 % 60);
  const int frac = static_cast<int>(msOfDay % 1000);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", d.year, d.month, d.day, hh,
                mm, ss, frac);
  return buf;
}

Instant parseInstant(const std::string& s) {
  // "YYYY-MM-DDTHH:MM:SS" then optional ".d..." (1-9 digits) then "Z".
  if (s.size() < 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':') badInstant(s);
  const auto date = Date::parse(s.substr(0, 10));
  int hh = 0, mi = 0, ss = 0;
  if (!date || !readDigits(s, 11, 2, hh) || !readDigits(s, 14, 2, mi) ||
      !readDigits(s, 17, 2, ss) || hh > 23 || mi > 59 || ss > 59)
    badInstant(s);
  size_t pos = 19;
  int64_t nanos = 0;
  if (s[pos] == '.') {
    ++pos;
    int digits = 0;
    int64_t scale = 100000000;
    while (pos < s.size() && isDigit(s[pos])) {
      if (++digits > 9) badInstant(s);
      nanos += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (digits == 0) badInstant(s);
  }
  if (pos + 1 != s.size() || s[pos] != 'Z') badInstant(s);
  using namespace std::chrono;
  const int64_t secs = date->dayNumber() * 86400 + hh * 3600 + mi * 60 + ss;
  return Instant(duration_cast<Instant::duration>(seconds(secs) + nanoseconds(nanos)));
}

}  // namespace liufang::model
