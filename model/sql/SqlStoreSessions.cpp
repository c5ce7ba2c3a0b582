// The store's sign-in state: web sessions (kept in the database so app nodes hold no
// authoritative state) and login throttling.
#include "model/sql/SqlStore.h"

// Every statement here executes at once (`now` or execute()), so binding by reference (useRef)
// is safe for const fields too; Poco's use() refuses const references outright.
using namespace Poco::Data::Keywords;

namespace liufang::model::sql {

// ---- login throttling

// Unknown users are ignored: throttling must not reveal which usernames exist.
void SqlStore::recordLoginFailure(int64_t userId, const std::string& at) {
  auto c = pool_.borrow();
  c->guarded("recordLoginFailure", [&] {
    c->session() << "UPDATE users SET failed_logins = failed_logins + 1, last_failed_at = ?"
                    " WHERE id = ?",
        useRef(at), useRef(userId), now;
  });
}

void SqlStore::clearLoginFailures(int64_t userId) {
  auto c = pool_.borrow();
  c->guarded("clearLoginFailures", [&] {
    c->session() << "UPDATE users SET failed_logins = 0, last_failed_at = '' WHERE id = ?",
        useRef(userId), now;
  });
}

std::pair<int, std::string> SqlStore::loginFailures(int64_t userId) {
  auto c = pool_.borrow();
  return c->guarded("loginFailures", [&] {
    std::vector<int> counts;
    std::vector<std::string> ats;
    c->session() << "SELECT failed_logins, last_failed_at FROM users WHERE id = ?", useRef(userId),
        into(counts), into(ats), now;
    if (counts.empty()) return std::pair<int, std::string>(0, "");
    return std::pair<int, std::string>(counts.front(), ats.front());
  });
}

// ---- web sessions

void SqlStore::saveSession(const WebSession& s) {
  auto c = pool_.borrow();
  c->guarded("saveSession", [&] {
    WebSession row = s;  // TypeHandler<WebSession>, not <const WebSession>
    c->session() << "INSERT INTO web_sessions (" + Columns<WebSession>::sql() +
                        ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (token_hash) DO UPDATE SET "
                        "user_id = excluded.user_id, csrf_token = excluded.csrf_token, "
                        "created_at = excluded.created_at, "
                        "last_seen_at = excluded.last_seen_at, locale = excluded.locale",
        useRef(row), now;
  });
}

std::optional<WebSession> SqlStore::findSession(const std::string& tokenHash) {
  auto c = pool_.borrow();
  return c->guarded("findSession", [&]() -> std::optional<WebSession> {
    Step s(*c, "SELECT " + Columns<WebSession>::sql() + " FROM web_sessions WHERE token_hash = ?");
    s.bind(tokenHash);
    return readOne<WebSession>(s);
  });
}

void SqlStore::touchSession(const std::string& tokenHash, const std::string& at) {
  auto c = pool_.borrow();
  c->guarded("touchSession", [&] {
    c->session() << "UPDATE web_sessions SET last_seen_at = ? WHERE token_hash = ?", useRef(at),
        useRef(tokenHash), now;
  });
}

void SqlStore::deleteSession(const std::string& tokenHash) {
  auto c = pool_.borrow();
  c->guarded("deleteSession", [&] {
    c->session() << "DELETE FROM web_sessions WHERE token_hash = ?", useRef(tokenHash), now;
  });
}

void SqlStore::deleteSessionsSeenBefore(const std::string& at) {
  auto c = pool_.borrow();
  c->guarded("deleteSessionsSeenBefore", [&] {
    c->session() << "DELETE FROM web_sessions WHERE last_seen_at < ?", useRef(at), now;
  });
}

std::optional<std::pair<WebSession, User>> SqlStore::findSessionWithUser(
    const std::string& tokenHash) {
  // The session's columns are renamed in a subquery so the users columns (which share
  // names such as locale) need no table prefix and Columns<User> can be used as it is.
  static const std::string sql = [] {
    std::string renamed, picked;
    const std::string cols = Columns<WebSession>::sql();
    size_t start = 0;
    while (start < cols.size()) {
      size_t comma = cols.find(',', start);
      if (comma == std::string::npos) comma = cols.size();
      const std::string col = cols.substr(start, comma - start);
      renamed += (renamed.empty() ? "" : ", ") + col + " AS s_" + col;
      picked += (picked.empty() ? "" : ", ") + std::string("s_") + col;
      start = cols.find_first_not_of(' ', comma + 1);
      if (start == std::string::npos) break;
    }
    return "SELECT " + picked + ", " + Columns<User>::sql() + " FROM (SELECT " + renamed +
           " FROM web_sessions WHERE token_hash = ?) JOIN users ON users.id = s_user_id";
  }();
  // Every signed-in request runs this: a cached statement, not Poco's re-prepare (which was a
  // sixth of the item page's CPU time).
  auto c = pool_.borrow();
  return c->guarded("findSessionWithUser", [&]() -> std::optional<std::pair<WebSession, User>> {
    Step s(*c, sql);
    s.bind(tokenHash);
    if (!s.row()) return std::nullopt;
    std::pair<WebSession, User> out;
    int col = 0;
    Columns<WebSession>::each(out.first, [&](auto& v) { s.read(col++, v); });
    Columns<User>::each(out.second, [&](auto& v) { s.read(col++, v); });
    return out;
  });
}

void SqlStore::deleteSessionsOfUser(int64_t userId) {
  auto c = pool_.borrow();
  c->guarded("deleteSessionsOfUser", [&] {
    c->session() << "DELETE FROM web_sessions WHERE user_id = ?", useRef(userId), now;
  });
}

}  // namespace liufang::model::sql
