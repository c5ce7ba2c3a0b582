#pragma once
// The per-user deadline calendar (migration 012): one secret feed link per user, of which only
// the token's hash is kept, and the items a feed lists. Part of model::Store (Store.h).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace liufang::model {

// A user's feed link as the settings page shows it; the token itself is never stored.
struct CalendarLink {
  int64_t userId = 0;
  std::string createdAt;      // instant
  std::string lastFetchedAt;  // instant; "" if never fetched
};

// An open item with a due date, as a calendar entry shows it.
struct DueItem {
  int64_t id = 0;
  int64_t communityId = 0;
  std::string title;
  std::string state;  // deadline.on_track | deadline.due_soon | deadline.overdue
  std::string due;    // YYYY-MM-DD
  std::string leadParty;
  bool escalated = false;
};

// Which open items a feed lists: those a party handles (lead or co-handling) in one community,
// and/or the escalated (挂牌督办) ones in a scope (communityId 0 = every community).
struct DueScope {
  int64_t communityId = 0;
  std::string party;       // "" = none
  bool escalated = false;  // also the escalated items in scope
};

class CalendarStore {
 public:
  virtual ~CalendarStore() = default;
  // Creates or replaces the user's link (the old hash stops matching at once).
  virtual void saveCalendarLink(int64_t userId, const std::string& tokenHash,
                                const std::string& at) = 0;
  virtual void deleteCalendarLink(int64_t userId) = 0;
  virtual std::optional<CalendarLink> calendarLink(int64_t userId) = 0;
  // The user whose link has this hash, recording the fetch time; nullopt if none.
  virtual std::optional<int64_t> fetchCalendarLink(const std::string& tokenHash,
                                                   const std::string& at) = 0;
  // Open items in the Deadline state with a due date, in due-date order, at most `limit`.
  virtual std::vector<DueItem> dueItems(const DueScope& scope, int limit) = 0;
};

}  // namespace liufang::model
