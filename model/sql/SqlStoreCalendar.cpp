// The deadline calendar's links and items (see model/CalendarStore.h).
#include "model/sql/SqlStore.h"

namespace liufang::model::sql {

void SqlStore::saveCalendarLink(int64_t userId, const std::string& tokenHash,
                                const std::string& at) {
  auto c = pool_.borrow();
  c->guarded("saveCalendarLink", [&] {
    // Outside the Engine, as web sessions: a feed link is the user's own access, not a stream's.
    Step s(*c, std::string("INSERT INTO calendar_links (user_id, token_hash, created_at)"
                           " VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET"
                           " token_hash = excluded.token_hash, created_at = excluded.created_at,"
                           " last_fetched_at = ''"));
    s.bind(userId).bind(tokenHash).bind(at);
    return s.run();
  });
}

void SqlStore::deleteCalendarLink(int64_t userId) {
  auto c = pool_.borrow();
  c->guarded("deleteCalendarLink", [&] {
    Step s(*c, std::string("DELETE FROM calendar_links WHERE user_id = ?"));
    s.bind(userId);
    return s.run();
  });
}

std::optional<CalendarLink> SqlStore::calendarLink(int64_t userId) {
  auto c = pool_.borrow();
  return c->guarded("calendarLink", [&]() -> std::optional<CalendarLink> {
    Step s(*c, std::string("SELECT created_at, last_fetched_at FROM calendar_links"
                           " WHERE user_id = ?"));
    s.bind(userId);
    if (!s.row()) return std::nullopt;
    CalendarLink l;
    l.userId = userId;
    s.read(0, l.createdAt), s.read(1, l.lastFetchedAt);
    return l;
  });
}

std::optional<int64_t> SqlStore::fetchCalendarLink(const std::string& tokenHash,
                                                   const std::string& at) {
  auto c = pool_.borrow();
  return c->guarded("fetchCalendarLink", [&]() -> std::optional<int64_t> {
    Step s(*c, std::string("UPDATE calendar_links SET last_fetched_at = ? WHERE token_hash = ?"
                           " RETURNING user_id"));
    s.bind(at).bind(tokenHash);
    if (!s.row()) return std::nullopt;
    int64_t userId = 0;
    s.read(0, userId);
    while (s.row()) {
    }
    return userId;
  });
}

std::vector<DueItem> SqlStore::dueItems(const DueScope& q, int limit) {
  auto c = pool_.borrow();
  return c->guarded("dueItems", [&] {
    // The state range (not LIKE) lets items_by_community_state / items_by_state serve it.
    Step s(*c, std::string(
                   "SELECT i.id, i.community_id, i.title, i.state, i.due,"
                   " COALESCE(l.party, ''), i.escalated FROM items i"
                   " LEFT JOIN item_handlers l ON l.item_id = i.id AND l.is_lead = 1"
                   " WHERE i.state >= 'deadline.' AND i.state < 'deadline/' AND i.due <> ''"
                   " AND (? = 0 OR i.community_id = ?) AND ("
                   "  (? <> '' AND EXISTS (SELECT 1 FROM item_handlers h"
                   "   WHERE h.item_id = i.id AND h.party = ?))"
                   "  OR (? AND i.escalated = 1))"
                   " ORDER BY i.due, i.id LIMIT ?"));
    s.bind(q.communityId).bind(q.communityId).bind(q.party).bind(q.party).bind(q.escalated);
    s.bind(limit);
    std::vector<DueItem> out;
    while (s.row()) {
      DueItem d;
      s.read(0, d.id), s.read(1, d.communityId), s.read(2, d.title), s.read(3, d.state);
      s.read(4, d.due), s.read(5, d.leadParty), s.read(6, d.escalated);
      out.push_back(std::move(d));
    }
    return out;
  });
}

}  // namespace liufang::model::sql
