#pragma once
// The per-user deadline calendar (docs/ARCHITECTURE.md "Deadline calendar feed"): a secret,
// revocable link whose iCalendar lists the open items the user's party handles (lead or
// co-handling) and, for a supervisor, the escalated (挂牌督办) items in their scope.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/Calendar.h"
#include "model/Store.h"

namespace liufang::workflow {

// At most this many entries per feed (the nearest due dates first).
constexpr int kCalendarFeedLimit = 500;

struct CalendarEntry {
  model::DueItem item;
  std::string remindOn;  // the working day before the due date (YYYY-MM-DD)
};

struct CalendarFeed {
  model::User user;
  int utcOffsetMinutes = 480;  // of the user's community (UTC+8 when tied to none)
  std::vector<CalendarEntry> entries;
};

// Makes the user a new link, replacing any: returns the token (64 hex digits), which is shown
// once and stored only as its SHA-256.
std::string createCalendarLink(model::Store& store, int64_t userId, const std::string& at);
// Revokes the user's link: its URL stops working at once.
void revokeCalendarLink(model::Store& store, int64_t userId);
std::optional<model::CalendarLink> calendarLinkOf(model::Store& store, int64_t userId);
// The feed behind a token, recording the fetch at `at`; nullopt if the token is malformed,
// unknown or revoked, or its user is disabled.
std::optional<CalendarFeed> calendarFeed(model::Store& store,
                                         const model::HolidayCalendar& calendar,
                                         const std::string& token, const std::string& at);
// What a feed of this user lists (also for the settings page's count).
model::DueScope calendarScope(const model::User& user);
// How many entries the user's feed lists now (up to kCalendarFeedLimit).
int calendarItemCount(model::Store& store, const model::User& user);

}  // namespace liufang::workflow
