// The SQLite connection and its pool (see Connection.h).
#include "model/sql/Connection.h"

#include <Poco/Data/SQLite/Utility.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "model/sql/Columns.h"
#include "model/sql/Dialect.h"
#include "model/sql/ScoreSummary.h"

// Every statement here executes at once (`now`), as in the rest of the store.
using namespace Poco::Data::Keywords;

namespace liufang::model::sql {

// Maps a failed SQLite call to the project's errors: uniqueness -> Conflict, a dangling
// reference -> NotFound, anything else -> StorageError. Callers that know better (which
// uniqueness) catch Conflict and rethrow a sharper message.
[[noreturn]] void raiseSqlite(sqlite3* db, const std::string& what) {
  const int ext = sqlite3_extended_errcode(db);
  const std::string msg = sqlite3_errmsg(db);
  switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      throw Conflict(Msg("The record already exists ({1}).").arg(msg));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      throw NotFound(Msg("The record refers to one that does not exist ({1}).").arg(msg));
    default:
      break;
  }
  if ((ext & 0xff) == SQLITE_BUSY || (ext & 0xff) == SQLITE_LOCKED)
    throw StorageError(what + ": database is busy (another writer held it past busy_timeout)");
  throw StorageError(what + ": " + msg);
}

const std::string& hotSql(Hot h) {
  static const std::array<std::string, static_cast<size_t>(Hot::Count)> sql = [] {
    const std::string itemData = Columns<Item>::data;
    const std::string events = Columns<EventRecord>::sql();
    return std::array<std::string, static_cast<size_t>(Hot::Count)>{
        kSqlite.beginWrite,
        "COMMIT",
        "ROLLBACK",
        // The item, its community's UTC offset and the meeting in session that has it on its
        // agenda, in one read: the Engine needs all three. Then the item's row in the desk's
        // totals as it stands before the write (ScoreSummary.h).
        "SELECT " + Columns<Item>::sql("i.") +
            ", c.utc_offset_minutes, COALESCE((SELECT a.meeting_id FROM meeting_agenda a"
            " JOIN meetings m ON m.id = a.meeting_id WHERE a.item_id = i.id"
            " AND m.state = 'in_session' ORDER BY a.meeting_id DESC LIMIT 1), 0), " +
            scoreRowColumns() + " FROM items i JOIN communities c ON c.id = i.community_id" +
            kLeadHandlerJoin + " WHERE i.id = ?",
        // Handlers (k = 0) and positions (k = 1) of one item in one read, each in its order.
        "SELECT 0 AS k, party, is_lead, done, '' AS stance, '' AS reason, '' AS at, 0 AS user_id,"
        " ord FROM item_handlers WHERE item_id = ?"
        " UNION ALL SELECT 1, party, 0, 0, stance, reason, at, user_id, ord FROM positions"
        " WHERE item_id = ? ORDER BY k, ord",
        "INSERT INTO items (" + itemData + ") VALUES (" + placeholders(itemData) + ") RETURNING id",
        "UPDATE items SET " + assignments(itemData) + " WHERE id = ? AND version = ?",
        "DELETE FROM item_handlers WHERE item_id = ?",
        "INSERT INTO item_handlers (item_id, party, is_lead, done, ord) VALUES (?, ?, ?, ?, ?)",
        "DELETE FROM positions WHERE item_id = ?",
        "INSERT INTO positions (item_id, party, stance, reason, at, user_id, ord) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        "INSERT INTO stream_events (" + events + ") VALUES (" + placeholders(events) + ")",
        "SELECT utc_offset_minutes FROM communities WHERE id = ?",
    };
  }();
  return sql[static_cast<size_t>(h)];
}

Connection::Connection(const std::string& path, const StoreOptions& opts)
    : session_(kSqlite.connector, path) {
  db_ = Poco::Data::SQLite::Utility::dbHandle(session_);
  for (const auto& sql : kSqlite.sessionSetup(opts)) session_ << sql, now;
  if (opts.onStatement) {
    trace_ = opts.onStatement;
    sqlite3_trace_v2(db_, SQLITE_TRACE_STMT, &Connection::traced, this);
  }
}

Connection::~Connection() {
  // Finalize before the session closes the handle; an open statement would keep it alive.
  for (auto* s : prepared_)
    if (s) sqlite3_finalize(s);
  for (auto& [sql, s] : reads_) sqlite3_finalize(s);
}

int Connection::traced(unsigned, void* self, void* stmt, void*) {
  // Statements that run inside a trigger are reported too; they are not ours to count.
  const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(stmt));
  if (sql) static_cast<Connection*>(self)->trace_(sql);
  return 0;
}

ConnectionPool::Lease ConnectionPool::borrow() {
  std::unique_lock<std::mutex> lock(mutex_);
  const bool ok = freed_.wait_for(lock, std::chrono::milliseconds(opts_.busyTimeoutMs),
                                  [&] { return !idle_.empty() || open_ < opts_.poolSize; });
  if (!ok)
    throw StorageError("all " + std::to_string(opts_.poolSize) +
                       " database connections are in use (pool exhausted)");
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());  // most recently used: its statements are warm
    idle_.pop_back();
    return Lease(this, std::move(c));
  }
  ++open_;
  lock.unlock();
  try {
    return Lease(this, std::make_unique<Connection>(opts_.path, opts_));
  } catch (const Poco::Exception& e) {
    release();
    throw StorageError("cannot open database " + opts_.path + ": " + e.displayText());
  } catch (...) {
    release();
    throw;
  }
}

void ConnectionPool::giveBack(std::unique_ptr<Connection> c) {
  // Every path closes its transaction; one left open would block all other writers.
  if (c->rollbackIfOpen())
    spdlog::error("database connection came back to the pool inside a transaction; rolled back");
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.push_back(std::move(c));
  freed_.notify_one();
}
void ConnectionPool::release() {
  std::lock_guard<std::mutex> lock(mutex_);
  --open_;
  freed_.notify_one();
}

}  // namespace liufang::model::sql
