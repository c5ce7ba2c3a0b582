// The shared iCalendar writer (see Ics.h).
#include "web/Ics.h"

#include <cstdio>

#include "model/Calendar.h"

namespace liufang::web::ics {

std::string text(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == ';' || c == ',') out += '\\', out += c;
    else if (c == '\n') out += "\\n";
    else if (c != '\r') out += c;
  }
  return out;
}

std::string line(const std::string& contentLine) {
  const std::string& l = contentLine;
  std::string out;
  size_t start = 0, limit = 75;
  while (l.size() - start > limit) {
    size_t cut = start + limit;
    while (cut > start && (static_cast<unsigned char>(l[cut]) & 0xC0) == 0x80) --cut;
    out += l.substr(start, cut - start) + "\r\n ";
    start = cut;
    limit = 74;  // the leading space counts
  }
  return out + l.substr(start) + "\r\n";
}

std::string date(const std::string& ymd) {
  const auto d = model::Date::parse(ymd);
  if (!d) return {};
  const std::string s = d->str();
  return s.substr(0, 4) + s.substr(5, 2) + s.substr(8, 2);
}

std::string utc(const std::string& day, const std::string& time, int offsetMinutes) {
  const auto d = model::Date::parse(day);
  if (!d) return {};
  int hh = 9, mm = 0;
  if (time.size() == 5) {
    hh = std::stoi(time.substr(0, 2));
    mm = std::stoi(time.substr(3, 2));
  }
  int64_t minutes = d->dayNumber() * 1440 + hh * 60 + mm - offsetMinutes;
  const int64_t n = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440;
  minutes -= n * 1440;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d%02d00Z",
                date(model::Date::fromDayNumber(n).str()).c_str(),
                static_cast<int>(minutes / 60), static_cast<int>(minutes % 60));
  return buf;
}

std::string begin(const std::string& prodId, const std::string& name) {
  return line("BEGIN:VCALENDAR") + line("VERSION:2.0") + line("PRODID:" + prodId) +
         line("CALSCALE:GREGORIAN") + line("METHOD:PUBLISH") + line("X-WR-CALNAME:" + text(name));
}

}  // namespace liufang::web::ics
