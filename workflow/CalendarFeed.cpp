// The per-user deadline calendar (see CalendarFeed.h).
#include "workflow/CalendarFeed.h"

#include "model/Hash.h"
#include "model/Password.h"

namespace liufang::workflow {
namespace {

bool wellFormed(const std::string& token) {
  return token.size() == 64 &&
         token.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::string createCalendarLink(model::Store& store, int64_t userId, const std::string& at) {
  const std::string token = model::randomToken(32);
  store.saveCalendarLink(userId, model::sha256Hex(token), at);
  return token;
}

void revokeCalendarLink(model::Store& store, int64_t userId) { store.deleteCalendarLink(userId); }

std::optional<model::CalendarLink> calendarLinkOf(model::Store& store, int64_t userId) {
  return store.calendarLink(userId);
}

model::DueScope calendarScope(const model::User& user) {
  model::DueScope scope;
  scope.communityId = user.communityId;
  // A party is only meaningful within its community.
  if (user.communityId != 0) scope.party = user.party;
  scope.escalated = user.supervisor;
  return scope;
}

int calendarItemCount(model::Store& store, const model::User& user) {
  return static_cast<int>(store.dueItems(calendarScope(user), kCalendarFeedLimit).size());
}

std::optional<CalendarFeed> calendarFeed(model::Store& store,
                                         const model::HolidayCalendar& calendar,
                                         const std::string& token, const std::string& at) {
  // A malformed token never reaches the database.
  if (!wellFormed(token)) return std::nullopt;
  const auto userId = store.fetchCalendarLink(model::sha256Hex(token), at);
  if (!userId) return std::nullopt;
  auto user = store.findUser(*userId);
  if (!user || user->disabled) return std::nullopt;
  CalendarFeed feed;
  feed.user = *user;
  if (user->communityId != 0)
    if (auto c = store.findCommunity(user->communityId)) feed.utcOffsetMinutes = c->utcOffsetMinutes;
  for (auto& item : store.dueItems(calendarScope(*user), kCalendarFeedLimit)) {
    CalendarEntry e;
    if (const auto due = model::Date::parse(item.due)) {
      model::Date d = due->plusDays(-1);
      for (int i = 0; i < 30 && !calendar.isWorkingDay(d); ++i) d = d.plusDays(-1);
      e.remindOn = d.str();
    }
    e.item = std::move(item);
    feed.entries.push_back(std::move(e));
  }
  return feed;
}

}  // namespace liufang::workflow
