// The inbox's reads and read marks (see model/InboxStore.h).
#include "model/sql/SqlStore.h"

namespace liufang::model::sql {

int SqlStore::unreadNotices(int64_t userId, int cap) {
  auto c = pool_.borrow();
  return c->guarded("unreadNotices", [&] {
    // The LIMIT inside keeps the badge's cost bounded however many notices pile up.
    Step s(*c, std::string("SELECT COUNT(*) FROM (SELECT 1 FROM inbox WHERE user_id = ?"
                           " AND read = 0 LIMIT ?)"));
    s.bind(userId).bind(cap);
    int64_t n = 0;
    if (s.row()) s.read(0, n);
    return static_cast<int>(n);
  });
}

std::vector<Notice> SqlStore::notices(int64_t userId, int limit) {
  auto c = pool_.borrow();
  return c->guarded("notices", [&] {
    // The title and a tick's light are joined in, so the page needs no query per row.
    Step s(*c, std::string(
                   "SELECT n.id, n.kind, n.stream_id, n.seq, n.type, n.at, n.read,"
                   " COALESCE(i.title, m.title, ''), COALESCE(e.to_state, '') FROM inbox n"
                   " LEFT JOIN items i ON n.kind = 'item' AND i.id = n.stream_id"
                   " LEFT JOIN meetings m ON n.kind = 'meeting' AND m.id = n.stream_id"
                   " LEFT JOIN stream_events e ON n.type = 'tick' AND e.kind = n.kind"
                   "  AND e.stream_id = n.stream_id AND e.seq = n.seq"
                   " WHERE n.user_id = ? ORDER BY n.id DESC LIMIT ?"));
    s.bind(userId).bind(limit);
    std::vector<Notice> out;
    while (s.row()) {
      Notice n;
      s.read(0, n.id), s.read(1, n.kind), s.read(2, n.streamId), s.read(3, n.seq);
      s.read(4, n.type), s.read(5, n.at), s.read(6, n.read), s.read(7, n.title);
      s.read(8, n.toState);
      out.push_back(std::move(n));
    }
    return out;
  });
}

void SqlStore::markNoticesRead(int64_t userId, int64_t noticeId) {
  auto c = pool_.borrow();
  c->guarded("markNoticesRead", [&] {
    // Outside the Engine: a read mark is the user's own view state, not a stream's.
    Step s(*c, std::string("UPDATE inbox SET read = 1 WHERE user_id = ? AND read = 0"
                           " AND (? = 0 OR id = ?)"));
    s.bind(userId).bind(noticeId).bind(noticeId);
    return s.run();
  });
}

}  // namespace liufang::model::sql
