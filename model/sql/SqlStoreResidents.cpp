// The store's residents' part: requests (read side), tracking-number prefixes and the public
// board (see model/Residents.h). The request's writes are in WriteTx.cpp.
#include <chrono>
#include <cstdio>

#include "model/Errors.h"
#include "model/sql/Dialect.h"
#include "model/sql/SqlStore.h"

using namespace Poco::Data::Keywords;

namespace liufang::model {

std::string formatRequestNumber(const std::string& prefix, int year, int64_t seq) {
  char tail[48];
  std::snprintf(tail, sizeof tail, "-%04d-%04lld", year, static_cast<long long>(seq));
  return prefix + tail;
}

}  // namespace liufang::model

namespace liufang::model::sql {
namespace {

// Reads the exclusion columns item_id, reason, user_id, at of the current row.
BoardExclusion exclusionAt(const Step& s) {
  BoardExclusion e;
  s.read(0, e.itemId), s.read(1, e.reason), s.read(2, e.userId), s.read(3, e.at);
  return e;
}

bool validPrefix(const std::string& p) {
  if (p.empty() || p.size() > 8) return false;
  for (char c : p)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

}  // namespace

std::optional<Request> SqlStore::findRequest(int64_t id) {
  auto c = pool_.borrow();
  return c->guarded("findRequest", [&] {
    Step s(*c, "SELECT " + Columns<Request>::sql() + " FROM requests WHERE id = ?");
    s.bind(id);
    return readOne<Request>(s);
  });
}

std::optional<Request> SqlStore::findRequestByNumber(const std::string& number) {
  auto c = pool_.borrow();
  return c->guarded("findRequestByNumber", [&] {
    Step s(*c, "SELECT " + Columns<Request>::sql() + " FROM requests WHERE number = ?");
    s.bind(number);
    return readOne<Request>(s);
  });
}

std::vector<int64_t> SqlStore::requestIds() {
  auto c = pool_.borrow();
  return c->guarded("requestIds", [&] {
    Step s(*c, std::string("SELECT id FROM requests ORDER BY id"));
    std::vector<int64_t> out;
    while (s.row()) {
      int64_t id = 0;
      s.read(0, id);
      out.push_back(id);
    }
    return out;
  });
}

std::vector<Request> SqlStore::listRequests(const RequestQuery& q) {
  std::string sql = "SELECT " + Columns<Request>::sql() + " FROM requests WHERE community_id = ?";
  std::vector<Param> params{Poco::Int64{q.communityId}};
  if (!q.state.empty()) {
    sql += " AND state = ?";
    params.emplace_back(q.state);
  }
  if (q.afterId > 0) {
    sql += " AND id < ?";
    params.emplace_back(Poco::Int64{q.afterId});
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.emplace_back(Poco::Int64{q.limit > 0 ? q.limit : 50});
  auto c = pool_.borrow();
  return c->guarded("listRequests", [&] {
    Step s(*c, sql);
    bindParams(s, params);
    return readRows<Request>(s);
  });
}

std::string SqlStore::requestContact(int64_t requestId) {
  auto c = pool_.borrow();
  return c->guarded("requestContact", [&] {
    Step s(*c, std::string("SELECT contact FROM request_contacts WHERE request_id = ?"));
    s.bind(requestId);
    std::string out;
    if (s.row()) s.read(0, out);
    return out;
  });
}

std::string SqlStore::requestPrefix(int64_t communityId) {
  auto c = pool_.borrow();
  return c->guarded("requestPrefix", [&] {
    Step s(*c, std::string("SELECT COALESCE((SELECT prefix FROM request_prefixes"
                           " WHERE community_id = c.id), UPPER(c.code)) FROM communities c"
                           " WHERE c.id = ?"));
    s.bind(communityId);
    if (!s.row()) throw NotFound("No such community.");
    std::string out;
    s.read(0, out);
    return out;
  });
}

void SqlStore::setRequestPrefix(int64_t communityId, const std::string& prefix) {
  if (!validPrefix(prefix))
    throw Invalid(Msg("A tracking-number prefix is 1 to 8 capital letters or digits, not \"{1}\".")
                      .arg(prefix));
  auto c = pool_.borrow();
  std::string p = prefix;
  Poco::Int64 id = communityId;
  try {
    c->guarded("setRequestPrefix", [&] {
      c->session() << "INSERT INTO request_prefixes (community_id, prefix) VALUES (?, ?)"
                      " ON CONFLICT (community_id) DO UPDATE SET prefix = excluded.prefix",
          useRef(id), useRef(p), now;
    });
  } catch (const NotFound&) {
    throw NotFound("No such community.");
  }
}

std::string SqlStore::peekRequestNumber(int64_t communityId, int year) {
  const std::string prefix = requestPrefix(communityId);
  auto c = pool_.borrow();
  return c->guarded("peekRequestNumber", [&] {
    Step s(*c,
           std::string("SELECT last FROM request_counters WHERE community_id = ? AND year = ?"));
    s.bind(communityId).bind(year);
    int64_t last = 0;
    if (s.row()) s.read(0, last);
    return formatRequestNumber(prefix, year, last + 1);
  });
}

std::vector<Item> SqlStore::boardItems(const BoardQuery& q) {
  // Items that reached a decision or a response: past Discussion. Every value is bound.
  std::string sql = "SELECT " + Columns<Item>::sql("i.") +
                    " FROM items i WHERE i.community_id = ?"
                    " AND i.top_state IN ('assignment', 'deadline', 'followup', 'closed')"
                    " AND NOT EXISTS (SELECT 1 FROM board_exclusions b WHERE b.item_id = i.id)";
  std::vector<Param> params{Poco::Int64{q.communityId}};
  if (!q.state.empty()) {
    sql += " AND i.top_state = ?";
    params.emplace_back(q.state);
  }
  if (!q.party.empty()) {
    sql +=
        " AND EXISTS (SELECT 1 FROM item_handlers h WHERE h.item_id = i.id AND h.is_lead = 1"
        " AND h.party = ?)";
    params.emplace_back(q.party);
  }
  if (!q.month.empty()) {
    sql += " AND substr(i.updated_at, 1, 7) = ?";
    params.emplace_back(q.month);
  }
  if (q.afterId > 0) {
    sql += " AND i.id < ?";
    params.emplace_back(Poco::Int64{q.afterId});
  }
  sql += " ORDER BY i.id DESC LIMIT ?";
  params.emplace_back(Poco::Int64{q.limit > 0 ? q.limit : 20});
  auto c = pool_.borrow();
  return c->guarded("boardItems", [&] {
    std::vector<Item> items;
    {
      Step s(*c, sql);
      bindParams(s, params);
      items = readRows<Item>(s);
    }
    attachChildren(*c, items);
    return items;
  });
}

std::vector<BoardExclusion> SqlStore::boardExclusions(int64_t communityId) {
  auto c = pool_.borrow();
  return c->guarded("boardExclusions", [&] {
    Step s(*c, std::string("SELECT b.item_id, b.reason, b.user_id, b.at FROM board_exclusions b"
                           " JOIN items i ON i.id = b.item_id WHERE i.community_id = ?"
                           " ORDER BY b.item_id DESC"));
    s.bind(communityId);
    std::vector<BoardExclusion> out;
    while (s.row()) out.push_back(exclusionAt(s));
    return out;
  });
}

std::optional<BoardExclusion> SqlStore::boardExclusion(int64_t itemId) {
  auto c = pool_.borrow();
  return c->guarded("boardExclusion", [&]() -> std::optional<BoardExclusion> {
    Step s(*c, std::string("SELECT item_id, reason, user_id, at FROM board_exclusions"
                           " WHERE item_id = ?"));
    s.bind(itemId);
    if (!s.row()) return std::nullopt;
    return exclusionAt(s);
  });
}

void SqlStore::setBoardHidden(int64_t itemId, bool hidden, const std::string& reason,
                              int64_t userId, const std::string& at) {
  // The writer slot before the connection, as in beginWrite: waiting writers hold none.
  std::unique_lock<std::timed_mutex> slot(writer_, std::defer_lock);
  if (!slot.try_lock_for(std::chrono::milliseconds(opts_.busyTimeoutMs)))
    throw StorageError("database is busy: no write slot within busy_timeout");
  auto c = pool_.borrow();
  Poco::Int64 item = itemId, user = userId;
  int flag = hidden ? 1 : 0;
  std::string why = reason, when = at;
  c->guarded("setBoardHidden", [&] {
    Session& s = c->session();
    s << kSqlite.beginWrite, now;
    try {
      Poco::Int64 present = 0;
      s << "SELECT COUNT(*) FROM board_exclusions WHERE item_id = ?", useRef(item), into(present),
          now;
      if ((present > 0) == hidden)
        throw Conflict(hidden ? Msg("The item is already off the board.")
                              : Msg("The item is already on the board."));
      if (hidden)
        s << "INSERT INTO board_exclusions (item_id, reason, user_id, at) VALUES (?, ?, ?, ?)",
            useRef(item), useRef(why), useRef(user), useRef(when), now;
      else
        s << "DELETE FROM board_exclusions WHERE item_id = ?", useRef(item), now;
      s << "INSERT INTO board_visibility_log (item_id, hidden, reason, user_id, at)"
           " VALUES (?, ?, ?, ?, ?)",
          useRef(item), useRef(flag), useRef(why), useRef(user), useRef(when), now;
      s << "COMMIT", now;
    } catch (...) {
      c->rollbackIfOpen();
      throw;
    }
  });
}

}  // namespace liufang::model::sql
