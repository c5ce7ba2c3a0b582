#pragma once
// The iCalendar (RFC 5545) writer the calendar feeds share: /meetings.ics
// (MeetingDocuments.cpp) and the per-user deadline feed /calendar/{token}.ics (CalendarPages.cpp).
#include <string>

namespace liufang::web::ics {

// RFC 5545 text escaping (backslash, semicolon, comma, newline).
std::string text(const std::string& s);
// One content line, folded at 75 octets without splitting a UTF-8 sequence, CRLF-terminated.
std::string line(const std::string& contentLine);
// "20260315T063000Z" for a community-local date (YYYY-MM-DD) and HH:MM (09:00 if not HH:MM);
// "" for a malformed date.
std::string utc(const std::string& date, const std::string& time, int offsetMinutes);
// "20260315" for "2026-03-15" (a DATE value); "" for a malformed date.
std::string date(const std::string& ymd);
// BEGIN:VCALENDAR and its properties, for a calendar named `name` (already translated).
std::string begin(const std::string& prodId, const std::string& name);
inline std::string end() { return line("END:VCALENDAR"); }

}  // namespace liufang::web::ics
