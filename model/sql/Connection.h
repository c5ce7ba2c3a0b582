#pragma once
// The SQLite connection: a Poco::Data::Session plus its cached prepared statements (the hot
// write statements and the read paths), one use of such a statement (Step), and the pool.
//
// Why two ways of running SQL: Poco 1.11 re-prepares a Statement on every execute(), even a
// kept one (measured: 12.3 us for a kept Statement vs 6.9 us raw-prepared, one-row SELECT).
// Through Poco, load + append + update + commit took about 2.6x the raw INSERT+UPDATE
// transaction; on sqlite3_stmt objects prepared once per pooled connection it takes about
// 1.3-1.4x (CPU time, synchronous=NORMAL). So the write transaction uses those, and the rest
// uses Poco. Both run the same SQL text with ? placeholders and the same column lists; no SQL is
// ever built from user input.
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <sqlite3.h>

#include <array>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "model/Errors.h"
#include "model/Store.h"

namespace liufang::model::sql {

using Poco::Data::Session;
using Poco::Data::Statement;

// Maps a failed SQLite call to the project's errors: uniqueness -> Conflict, a dangling
// reference -> NotFound, anything else -> StorageError. Callers that know better (which
// uniqueness) catch Conflict and rethrow a sharper message.
[[noreturn]] void raiseSqlite(sqlite3* db, const std::string& what);

// Statements the write transaction runs on every command, prepared once per connection.
enum class Hot {
  Begin,
  Commit,
  Rollback,
  SelectItem,
  SelectChildren,
  InsertItem,
  UpdateItem,
  DeleteHandlers,
  InsertHandler,
  DeletePositions,
  InsertPosition,
  InsertEvent,
  SelectUtcOffset,
  Count
};

// The SQL text of a hot statement (the same portable, ?-bound SQL the rest uses).
const std::string& hotSql(Hot h);

// One database connection: a Poco session (not thread-safe: one borrower at a time) and the
// hot statements prepared on its handle.
class Connection {
 public:
  // Opens the database at path and runs the dialect's session setup (pragmas); throws
  // Poco's exceptions on failure (ConnectionPool::borrow turns them into StorageError).
  Connection(const std::string& path, const StoreOptions& opts);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Session& session() { return session_; }
  sqlite3* handle() const { return db_; }

  sqlite3_stmt* prepared(Hot h) {
    auto& slot = prepared_[static_cast<size_t>(h)];
    if (!slot) {
      const std::string& sql = hotSql(h);
      if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                             SQLITE_PREPARE_PERSISTENT, &slot, nullptr) != SQLITE_OK)
        raiseSqlite(db_, "prepare");
    }
    return slot;
  }

  // sqlite3_trace_v2 callback: hands each statement's text to StoreOptions::onStatement.
  static int traced(unsigned, void* self, void* stmt, void*);

  // A read statement prepared once on this connection, keyed by its SQL text: the read paths
  // every page takes (item, user, session, roster) would otherwise pay Poco's re-prepare on
  // each call, which was a third of the item page's CPU time. The texts come from fixed
  // fragments (values are bound), so there are a few dozen at most.
  sqlite3_stmt* preparedRead(const std::string& sql) {
    auto it = reads_.find(sql);
    if (it != reads_.end()) return it->second;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK)
      raiseSqlite(db_, "prepare");
    return reads_.emplace(sql, st).first->second;
  }

  // The working-day index this connection's TEMP workday_index table holds (empty: none yet);
  // see model/sql/SqlStoreScores.cpp.
  std::vector<int32_t> workdayIndex;

  // Rolls back an open transaction, if any; never throws. Returns whether there was one.
  bool rollbackIfOpen() noexcept {
    if (sqlite3_get_autocommit(db_)) return false;
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return true;
  }

  // Runs f, turning Poco's exceptions into the project's (see raiseSqlite).
  template <class F>
  auto guarded(const char* what, F&& f) -> decltype(f()) {
    try {
      return f();
    } catch (const Poco::Data::SQLite::ConstraintViolationException&) {
      raiseSqlite(db_, what);
    } catch (const Poco::Data::SQLite::DBLockedException&) {
      raiseSqlite(db_, what);
    } catch (const Poco::Exception& e) {
      throw StorageError(std::string(what) + ": " + e.displayText());
    }
  }

 private:
  Session session_;
  sqlite3* db_ = nullptr;
  std::array<sqlite3_stmt*, static_cast<size_t>(Hot::Count)> prepared_{};
  std::function<void(const char*)> trace_;
  std::map<std::string, sqlite3_stmt*> reads_;
};

// One use of a cached statement. Binds by position; strings are bound without copying, so
// only lvalues that outlive the Step may be bound (rvalues are refused at compile time).
// Resets the statement on destruction, so no read transaction lingers on the connection.
class Step {
 public:
  Step(Connection& c, Hot h) : db_(c.handle()), s_(c.prepared(h)) {}
  // A read statement from the connection's cache (see Connection::preparedRead).
  Step(Connection& c, const std::string& readSql) : db_(c.handle()), s_(c.preparedRead(readSql)) {}
  ~Step() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  Step(const Step&) = delete;
  Step& operator=(const Step&) = delete;

  Step& bind(int64_t v) {
    check(sqlite3_bind_int64(s_, next_++, v));
    return *this;
  }
  Step& bind(int v) { return bind(int64_t{v}); }
  Step& bind(bool v) { return bind(int64_t{v ? 1 : 0}); }
  Step& bind(const std::string& v) {
    check(sqlite3_bind_text(s_, next_++, v.data(), static_cast<int>(v.size()), SQLITE_STATIC));
    return *this;
  }
  Step& bind(std::string&&) = delete;

  // Advances; true while a row is available.
  bool row() {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    raiseSqlite(db_, sqlite3_sql(s_));
  }
  // Runs a statement that returns no rows; returns the number of rows it changed.
  int run() {
    while (row()) {
    }
    return sqlite3_changes(db_);
  }

  void read(int col, int64_t& v) const { v = sqlite3_column_int64(s_, col); }
  void read(int col, int& v) const { v = sqlite3_column_int(s_, col); }
  void read(int col, bool& v) const { v = sqlite3_column_int(s_, col) != 0; }
  void read(int col, std::string& v) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
    v.assign(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(s_, col)));
  }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) raiseSqlite(db_, "bind");
  }
  sqlite3* db_;
  sqlite3_stmt* s_;
  int next_ = 1;
};

// A fixed number of connections, opened on demand and handed out one borrower at a time.
class ConnectionPool {
 public:
  explicit ConnectionPool(const StoreOptions& opts) : opts_(opts) {
    if (opts_.poolSize < 1) opts_.poolSize = 1;
  }

  // Returns its connection to the pool when destroyed.
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Connection> c) : pool_(pool), c_(std::move(c)) {}
    Lease(Lease&& o) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (c_) pool_->giveBack(std::move(c_));
    }
    Connection& operator*() { return *c_; }
    Connection* operator->() { return c_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> c_;
  };

  // Waits up to busyTimeoutMs for a free connection; throws StorageError when none frees up.
  Lease borrow();

 private:
  // Takes a connection back, rolling back a transaction left open.
  void giveBack(std::unique_ptr<Connection> c);
  // Forgets a connection that failed to open.
  void release();

  StoreOptions opts_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
};

}  // namespace liufang::model::sql
