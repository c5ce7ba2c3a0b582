// The Store over Poco::Data and SQLite.
//
// Layout of this file:
//   1. Dialect      — the few things that differ between SQLite and PostgreSQL.
//   2. Row columns  — one field list per row struct, shared by the Poco TypeHandlers (read
//                     side) and the prepared-statement hot path (WriteTx).
//   3. Connection   — a Poco::Data::Session plus its cached prepared statements; the pool.
//   4. Migrations   — numbered files from model/migrations, one transaction per step.
//   5. SqlWriteTx   — BEGIN IMMEDIATE ... COMMIT on cached statements (the Engine's path).
//   6. SqlStore     — everything else, through Poco::Data with ? placeholders.
//
// Why two ways of running SQL: Poco 1.11 re-prepares a Statement on every execute(), even a
// kept one (measured: 12.3 us for a kept Statement vs 6.9 us raw-prepared, one-row SELECT).
// Through Poco, load + append + update + commit took about 2.6x the raw INSERT+UPDATE
// transaction; on sqlite3_stmt objects prepared once per pooled connection it takes about
// 1.3-1.4x (CPU time, synchronous=NORMAL). So the write transaction uses those, and the rest
// uses Poco. Both run the same SQL text with ? placeholders and the same column lists; no SQL is
// ever built from user input.
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Data/TypeHandler.h>
#include <Poco/Nullable.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <type_traits>
#include <variant>

#include "model/Errors.h"
#include "model/Store.h"

// Generated from model/migrations and model/data by model/CMakeLists.txt (liufang_embed).
const std::map<std::string, std::string>& liufangModelFiles();

// Every statement here executes at once (`now` or execute()), so binding by reference (useRef)
// is safe for const fields too; Poco's use() refuses const references outright.
using namespace Poco::Data::Keywords;

namespace liufang::model {
namespace {

// ============================================================================================
// 1. Dialect
// ============================================================================================

// Everything SQLite-specific that the SQL text depends on. A PostgreSQL store takes another
// instance of this (BEGIN; identity ids; ILIKE; SET statements), and its WriteTx runs the same
// statements through Poco (or libpq prepared statements) instead of sqlite3_stmt.
// Portable as they are, so not here: INSERT ... RETURNING id (SQLite >= 3.35) for new ids and
// INSERT ... ON CONFLICT (...) DO UPDATE (SQLite >= 3.24) for upserts.
struct Dialect {
  const char* connector;     // Poco::Data connector name
  const char* beginWrite;    // takes the write lock up front, so writers queue, never deadlock
  const char* likeOperator;  // substring match, case-insensitive for ASCII
  // Statements run on every new connection.
  std::vector<std::string> sessionSetup(const StoreOptions& o) const {
    return {
        // First, so that the pragmas below wait for a busy database instead of failing.
        "PRAGMA busy_timeout = " + std::to_string(o.busyTimeoutMs),
        "PRAGMA journal_mode = WAL",  // readers never block the writer, nor it them
        "PRAGMA foreign_keys = ON",   // off by default in SQLite, per connection
        // FULL syncs the WAL on every commit (survives a power cut); NORMAL only at checkpoints.
        std::string("PRAGMA synchronous = ") +
            (o.synchronous == Synchronous::Full ? "FULL" : "NORMAL"),
    };
  }
};

const Dialect kSqlite{"SQLite", "BEGIN IMMEDIATE", "LIKE"};

// The LIKE escape character; '!' rather than '\' so the SQL reads the same in every dialect.
constexpr char kLikeEscape = '!';

// A LIKE pattern matching s literally: %, _ and the escape character lose their meaning.
std::string likeLiteral(const std::string& s) {
  std::string out;
  out.reserve(s.size() + 4);
  for (char c : s) {
    if (c == '%' || c == '_' || c == kLikeEscape) out += kLikeEscape;
    out += c;
  }
  return out;
}

// ============================================================================================
// 2. Row columns
// ============================================================================================

// Columns<Row>::each(row, f) calls f on each stored field in the order of Columns<Row>::sql.
// Row may be const (binding) or not (extraction).
template <class Row>
struct Columns;

template <>
struct Columns<Item> {
  // Everything but id: what INSERT and UPDATE write.
  static constexpr const char* data =
      "community_id, title, description, proposer_party, proposer_user, state, outcome, "
      "response, decision, standard, due, extension_due, extension_reason, result, rating, "
      "rating_comment, urge_count, escalated, rework_count, meeting_id, merged_into, created_at, "
      "updated_at, assigned_at, submitted_at, closed_at, version, last_hash";
  template <class R, class F>
  static void eachData(R& i, F&& f) {
    f(i.communityId), f(i.title), f(i.description), f(i.proposerParty), f(i.proposerUser);
    f(i.state), f(i.outcome), f(i.response), f(i.decision), f(i.standard), f(i.due);
    f(i.extensionDue), f(i.extensionReason), f(i.result), f(i.rating), f(i.ratingComment);
    f(i.urgeCount), f(i.escalated), f(i.reworkCount), f(i.meetingId), f(i.mergedInto);
    f(i.createdAt), f(i.updatedAt), f(i.assignedAt), f(i.submittedAt), f(i.closedAt);
    f(i.version), f(i.lastHash);
  }
  template <class R, class F>
  static void each(R& i, F&& f) {
    f(i.id);
    eachData(i, f);
  }
  // The column list, each name prefixed (e.g. "i.") when the query joins other tables.
  static std::string sql(const std::string& prefix = "") {
    if (prefix.empty()) return std::string("id, ") + data;
    std::string out = prefix + "id";
    std::string rest = data;
    for (size_t start = 0; start < rest.size();) {
      size_t end = rest.find(',', start);
      if (end == std::string::npos) end = rest.size();
      size_t b = rest.find_first_not_of(' ', start);
      out += ", " + prefix + rest.substr(b, end - b);
      start = end + 1;
    }
    return out;
  }
};

template <>
struct Columns<EventRecord> {
  static std::string sql() {
    return "kind, stream_id, seq, at, actor_user, actor_party, type, payload, from_state, "
           "to_state, prev_hash, hash";
  }
  template <class R, class F>
  static void each(R& e, F&& f) {
    f(e.kind), f(e.streamId), f(e.seq), f(e.at), f(e.actorUser), f(e.actorParty), f(e.type),
        f(e.payload);
    f(e.fromState), f(e.toState), f(e.prevHash), f(e.hash);
  }
};

template <>
struct Columns<Community> {
  static std::string sql() { return "id, code, name, time_zone, utc_offset_minutes"; }
  template <class R, class F>
  static void each(R& c, F&& f) {
    f(c.id), f(c.code), f(c.name), f(c.timeZone), f(c.utcOffsetMinutes);
  }
};

template <>
struct Columns<Party> {
  static std::string sql() { return "id, community_id, code, name, sort_order"; }
  template <class R, class F>
  static void each(R& p, F&& f) {
    f(p.id), f(p.communityId), f(p.code), f(p.name), f(p.sortOrder);
  }
};

// users.community_id is NULL for "no community"; reads fold it to 0.
template <>
struct Columns<User> {
  static std::string sql() {
    return "id, username, display_name, COALESCE(community_id, 0), party, convener, "
           "representative, supervisor, disabled, password_hash, locale";
  }
  template <class R, class F>
  static void each(R& u, F&& f) {
    f(u.id), f(u.username), f(u.displayName), f(u.communityId), f(u.party), f(u.convener);
    f(u.representative), f(u.supervisor), f(u.disabled), f(u.passwordHash), f(u.locale);
  }
};

template <>
struct Columns<Meeting> {
  static std::string sql() {
    return "id, community_id, title, kind, date, location, minutes, published";
  }
  template <class R, class F>
  static void each(R& m, F&& f) {
    f(m.id), f(m.communityId), f(m.title), f(m.kind), f(m.date), f(m.location), f(m.minutes);
    f(m.published);
  }
};

template <>
struct Columns<WebSession> {
  static std::string sql() {
    return "token_hash, user_id, csrf_token, created_at, last_seen_at, locale";
  }
  template <class R, class F>
  static void each(R& s, F&& f) {
    f(s.tokenHash), f(s.userId), f(s.csrfToken), f(s.createdAt), f(s.lastSeenAt), f(s.locale);
  }
};

// Child rows read for many items at once carry their item id.
struct HandlerRow {
  int64_t itemId = 0;
  Handler h;
};
template <>
struct Columns<HandlerRow> {
  static std::string sql() { return "item_id, party, is_lead, done"; }
  template <class R, class F>
  static void each(R& r, F&& f) {
    f(r.itemId), f(r.h.party), f(r.h.lead), f(r.h.done);
  }
};

struct PositionRow {
  int64_t itemId = 0;
  Position p;
};
template <>
struct Columns<PositionRow> {
  static std::string sql() { return "item_id, party, stance, reason, at, user_id"; }
  template <class R, class F>
  static void each(R& r, F&& f) {
    f(r.itemId), f(r.p.party), f(r.p.stance), f(r.p.reason), f(r.p.at), f(r.p.userId);
  }
};

// "a, b, c" -> "a = ?, b = ?, c = ?"
std::string assignments(const std::string& columns) {
  std::string out;
  size_t start = 0;
  while (start < columns.size()) {
    size_t comma = columns.find(',', start);
    if (comma == std::string::npos) comma = columns.size();
    if (!out.empty()) out += ", ";
    out += columns.substr(start, comma - start) + " = ?";
    start = comma + 1;
    while (start < columns.size() && columns[start] == ' ') ++start;
  }
  return out;
}

// "a, b, c" -> "?, ?, ?"
std::string placeholders(const std::string& columns) {
  std::string out = "?";
  for (char c : columns)
    if (c == ',') out += ", ?";
  return out;
}

}  // namespace
}  // namespace liufang::model

// Poco binds and extracts the row structs through these (Data/samples/TypeHandler style).
namespace Poco::Data {

template <class Row>
class RowTypeHandler : public AbstractTypeHandler {
  using Cols = liufang::model::Columns<Row>;

 public:
  static std::size_t size() {
    static const std::size_t n = [] {
      Row r;
      std::size_t k = 0;
      Cols::each(r, [&](auto&) { ++k; });
      return k;
    }();
    return n;
  }
  static void bind(std::size_t pos, const Row& r, AbstractBinder::Ptr b,
                   AbstractBinder::Direction dir) {
    Cols::each(
        r, [&](const auto& v) { TypeHandler<std::decay_t<decltype(v)>>::bind(pos++, v, b, dir); });
  }
  static void prepare(std::size_t pos, const Row& r, AbstractPreparator::Ptr p) {
    Cols::each(
        r, [&](const auto& v) { TypeHandler<std::decay_t<decltype(v)>>::prepare(pos++, v, p); });
  }
  static void extract(std::size_t pos, Row& r, const Row&, AbstractExtractor::Ptr e) {
    Cols::each(r, [&](auto& v) {
      using T = std::decay_t<decltype(v)>;
      TypeHandler<T>::extract(pos++, v, T{}, e);
    });
  }
};

template <>
class TypeHandler<liufang::model::Item> : public RowTypeHandler<liufang::model::Item> {};
template <>
class TypeHandler<liufang::model::EventRecord>
    : public RowTypeHandler<liufang::model::EventRecord> {};
template <>
class TypeHandler<liufang::model::Community> : public RowTypeHandler<liufang::model::Community> {};
template <>
class TypeHandler<liufang::model::Party> : public RowTypeHandler<liufang::model::Party> {};
template <>
class TypeHandler<liufang::model::User> : public RowTypeHandler<liufang::model::User> {};
template <>
class TypeHandler<liufang::model::Meeting> : public RowTypeHandler<liufang::model::Meeting> {};
template <>
class TypeHandler<liufang::model::WebSession> : public RowTypeHandler<liufang::model::WebSession> {
};
template <>
class TypeHandler<liufang::model::HandlerRow> : public RowTypeHandler<liufang::model::HandlerRow> {
};
template <>
class TypeHandler<liufang::model::PositionRow>
    : public RowTypeHandler<liufang::model::PositionRow> {};

}  // namespace Poco::Data

namespace liufang::model {
namespace {

using Poco::Data::Session;
using Poco::Data::Statement;

// ============================================================================================
// 3. Connection and pool
// ============================================================================================

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

const std::string& hotSql(Hot h) {
  static const std::array<std::string, static_cast<size_t>(Hot::Count)> sql = [] {
    const std::string itemData = Columns<Item>::data;
    const std::string events = Columns<EventRecord>::sql();
    return std::array<std::string, static_cast<size_t>(Hot::Count)>{
        kSqlite.beginWrite,
        "COMMIT",
        "ROLLBACK",
        // The item and its community's UTC offset in one read: the Engine needs both.
        "SELECT " + Columns<Item>::sql("i.") +
            ", c.utc_offset_minutes FROM items i JOIN communities c ON c.id = i.community_id"
            " WHERE i.id = ?",
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

// One database connection: a Poco session (not thread-safe: one borrower at a time) and the
// hot statements prepared on its handle.
class Connection {
 public:
  Connection(const std::string& path, const StoreOptions& opts)
      : session_(kSqlite.connector, path) {
    db_ = Poco::Data::SQLite::Utility::dbHandle(session_);
    for (const auto& sql : kSqlite.sessionSetup(opts)) session_ << sql, now;
    if (opts.onStatement) {
      trace_ = opts.onStatement;
      sqlite3_trace_v2(db_, SQLITE_TRACE_STMT, &Connection::traced, this);
    }
  }
  ~Connection() {
    // Finalize before the session closes the handle; an open statement would keep it alive.
    for (auto* s : prepared_)
      if (s) sqlite3_finalize(s);
    for (auto& [sql, s] : reads_) sqlite3_finalize(s);
  }
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

  static int traced(unsigned, void* self, void* stmt, void*) {
    // Statements that run inside a trigger are reported too; they are not ours to count.
    const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(stmt));
    if (sql) static_cast<Connection*>(self)->trace_(sql);
    return 0;
  }

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
  Lease borrow() {
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

 private:
  void giveBack(std::unique_ptr<Connection> c) {
    // Every path closes its transaction; one left open would block all other writers.
    if (c->rollbackIfOpen())
      spdlog::error("database connection came back to the pool inside a transaction; rolled back");
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(std::move(c));
    freed_.notify_one();
  }
  void release() {
    std::lock_guard<std::mutex> lock(mutex_);
    --open_;
    freed_.notify_one();
  }

  StoreOptions opts_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
};

// ============================================================================================
// 4. Migrations
// ============================================================================================

struct Migration {
  std::string name;  // "001_init"
  std::string sql;
};

// The embedded migrations by number. Numbers must run 1..N without gaps: a gap is a build
// mistake, caught on first use.
const std::map<int, Migration>& migrations() {
  static const std::map<int, Migration> all = [] {
    std::map<int, Migration> out;
    const std::string prefix = "migrations/";
    for (const auto& [path, text] : liufangModelFiles()) {
      if (path.rfind(prefix, 0) != 0 || path.size() < prefix.size() + 8) continue;
      const std::string file = path.substr(prefix.size());
      if (file.size() < 8 || file.compare(file.size() - 4, 4, ".sql") != 0) continue;
      const std::string digits = file.substr(0, 3);
      if (digits.find_first_not_of("0123456789") != std::string::npos || file[3] != '_')
        throw StorageError("badly named migration " + path + " (expected NNN_name.sql)");
      out[std::stoi(digits)] = Migration{file.substr(0, file.size() - 4), text};
    }
    int expect = 1;
    for (const auto& m : out)
      if (m.first != expect++)
        throw StorageError("migration numbers have a gap before " + m.second.name);
    return out;
  }();
  return all;
}

// Splits a migration file into statements at semicolons outside quotes and comments.
std::vector<std::string> splitStatements(const std::string& sql) {
  std::vector<std::string> out;
  std::string current;
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;  // line comment: dropped
      current += '\n';
      continue;
    }
    if (c == '\'' || c == '"') {
      const size_t end = sql.find(c, i + 1);  // a doubled quote just reopens: still correct
      const size_t stop = end == std::string::npos ? sql.size() : end + 1;
      current.append(sql, i, stop - i);
      i = stop - 1;
      continue;
    }
    if (c == ';') {
      if (current.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(current);
      current.clear();
      continue;
    }
    current += c;
  }
  if (current.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(current);
  return out;
}

// The version row, or 0 if there is none yet.
int readSchemaVersion(Session& s) {
  Poco::Nullable<Poco::Int64> v;
  s << "SELECT MAX(version) FROM schema_version", into(v), now;
  return v.isNull() ? 0 : static_cast<int>(v.value());
}

[[noreturn]] void refuseNewer(int found) {
  throw StorageError("database schema version " + std::to_string(found) +
                     " was written by a newer liufang (this build knows up to " +
                     std::to_string(latestSchemaVersion()) + "); upgrade liufang");
}

// Brings the database to latestSchemaVersion(), one transaction per step, so a failure
// leaves it at the last good version. Safe against another process migrating concurrently:
// the version is re-read under the write lock.
void migrate(Connection& c, const std::string& path) {
  Session& s = c.session();
  s << "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", now;
  const int found = readSchemaVersion(s);
  if (found > latestSchemaVersion()) refuseNewer(found);
  for (const auto& [number, m] : migrations()) {
    if (number <= found) continue;
    s << kSqlite.beginWrite, now;
    try {
      const int current = readSchemaVersion(s);
      if (current > latestSchemaVersion()) refuseNewer(current);
      if (current >= number) {
        s << "COMMIT", now;
        continue;
      }
      for (const auto& stmt : splitStatements(m.sql)) s << stmt, now;
      Poco::Int64 rows = 0;
      s << "SELECT COUNT(*) FROM schema_version", into(rows), now;
      Poco::Int64 version = number;
      if (rows == 0)
        s << "INSERT INTO schema_version (version) VALUES (?)", useRef(version), now;
      else
        s << "UPDATE schema_version SET version = ?", useRef(version), now;
      s << "COMMIT", now;
    } catch (const StorageError&) {
      c.rollbackIfOpen();
      throw;
    } catch (const Poco::Exception& e) {
      c.rollbackIfOpen();
      throw StorageError("migration " + m.name + " failed on " + path + ": " + e.displayText());
    }
    spdlog::info("database {}: applied migration {}", path, m.name);
  }
}

// ============================================================================================
// 5. The write transaction
// ============================================================================================

void bindItemData(Step& s, const Item& item) {
  Columns<Item>::eachData(item, [&](const auto& v) { s.bind(v); });
}

class SqlWriteTx : public WriteTx {
 public:
  // `slot` is the process's writer slot (see SqlStore::beginWrite); held until destruction.
  SqlWriteTx(std::unique_lock<std::timed_mutex> slot, ConnectionPool::Lease lease)
      : slot_(std::move(slot)), c_(std::move(lease)) {
    Step(*c_, Hot::Begin).run();
  }

  ~SqlWriteTx() override {
    if (sqlite3_get_autocommit(c_->handle())) return;  // committed
    // Rolling back must not throw from a destructor; a failure here leaves the connection's
    // transaction to the pool's check when the lease goes back.
    try {
      Step(*c_, Hot::Rollback).run();
    } catch (const std::exception& e) {
      spdlog::error("rollback failed: {}", e.what());
    }
  }

  std::optional<Item> loadItem(int64_t id, int* utcOffsetMinutes) override {
    open();
    Item item;
    {
      Step s(*c_, Hot::SelectItem);
      s.bind(id);
      if (!s.row()) return std::nullopt;
      int col = 0;
      Columns<Item>::each(item, [&](auto& v) { s.read(col++, v); });
      if (utcOffsetMinutes) s.read(col, *utcOffsetMinutes);
    }
    Step s(*c_, Hot::SelectChildren);
    s.bind(id).bind(id);
    while (s.row()) {
      int64_t k = 0;
      s.read(0, k);
      if (k == 0) {
        Handler h;
        s.read(1, h.party), s.read(2, h.lead), s.read(3, h.done);
        item.handlers.push_back(std::move(h));
      } else {
        Position p;
        s.read(1, p.party), s.read(4, p.stance), s.read(5, p.reason), s.read(6, p.at);
        s.read(7, p.userId);
        item.positions.push_back(std::move(p));
      }
    }
    return item;
  }

  int64_t insertItem(Item& item) override {
    open();
    {
      Step s(*c_, Hot::InsertItem);
      bindItemData(s, item);
      if (!s.row()) throw StorageError("INSERT ... RETURNING id returned no row");
      s.read(0, item.id);
    }
    writeHandlers(item, false);
    writePositions(item, false);
    return item.id;
  }

  void updateItem(const Item& item, int64_t expectedVersion, bool handlersChanged,
                  bool positionsChanged) override {
    open();
    int changed = 0;
    {
      Step s(*c_, Hot::UpdateItem);
      bindItemData(s, item);
      s.bind(item.id).bind(expectedVersion);
      changed = s.run();
    }
    if (changed == 0)
      throw Conflict(Msg("Item {1} was changed by someone else; reload and try again.")
                         .arg(static_cast<long long>(item.id)));
    if (handlersChanged) writeHandlers(item, true);
    if (positionsChanged) writePositions(item, true);
  }

  void appendEvent(const EventRecord& e) override {
    open();
    try {
      Step s(*c_, Hot::InsertEvent);
      Columns<EventRecord>::each(e, [&](const auto& v) { s.bind(v); });
      s.run();
    } catch (const Conflict&) {
      throw Conflict(Msg("Record {1} {2} was changed by someone else (it already has event {3}); "
                         "reload and try again.")
                         .arg(e.kind)
                         .arg(static_cast<long long>(e.streamId))
                         .arg(static_cast<long long>(e.seq)));
    }
  }

  void commit() override {
    open();
    Step(*c_, Hot::Commit).run();
  }

  std::optional<int> utcOffsetOf(int64_t communityId) override {
    open();
    Step s(*c_, Hot::SelectUtcOffset);
    s.bind(communityId);
    if (!s.row()) return std::nullopt;
    int offset = 0;
    s.read(0, offset);
    return offset;
  }

 private:
  void open() {
    if (sqlite3_get_autocommit(c_->handle()))
      throw StorageError("write transaction used after commit or after a failed commit");
  }

  void writeHandlers(const Item& item, bool replace) {
    if (replace) Step(*c_, Hot::DeleteHandlers).bind(item.id).run();
    int ord = 0;
    for (const auto& h : item.handlers) {
      Step s(*c_, Hot::InsertHandler);
      s.bind(item.id).bind(h.party).bind(h.lead).bind(h.done).bind(ord++);
      try {
        s.run();
      } catch (const Conflict&) {
        throw Invalid(Msg("Party \"{1}\" is listed twice as a handler.").arg(h.party));
      }
    }
  }

  void writePositions(const Item& item, bool replace) {
    if (replace) Step(*c_, Hot::DeletePositions).bind(item.id).run();
    int ord = 0;
    for (const auto& p : item.positions) {
      Step s(*c_, Hot::InsertPosition);
      s.bind(item.id).bind(p.party).bind(p.stance).bind(p.reason).bind(p.at).bind(p.userId);
      s.bind(ord++);
      try {
        s.run();
      } catch (const Conflict&) {
        throw Invalid(Msg("Two positions for one party: \"{1}\".").arg(p.party));
      }
    }
  }

  std::unique_lock<std::timed_mutex> slot_;  // declared first: released after the lease
  ConnectionPool::Lease c_;
};

// ============================================================================================
// 6. The store
// ============================================================================================

// A query parameter for statements whose filters vary (listItems).
using Param = std::variant<Poco::Int64, std::string>;

Poco::Nullable<Poco::Int64> optionalId(int64_t id) {
  return id == 0 ? Poco::Nullable<Poco::Int64>() : Poco::Nullable<Poco::Int64>(id);
}

// ---- read helpers: cached statements (Connection::preparedRead) instead of Poco's re-prepare.

void bindParams(Step& s, const std::vector<Param>& params) {
  for (const auto& p : params) std::visit([&](const auto& v) { s.bind(v); }, p);
}

// The rows of s, each read column by column in Columns<Row> order.
template <class Row>
std::vector<Row> readRows(Step& s) {
  std::vector<Row> out;
  while (s.row()) {
    Row r;
    int col = 0;
    Columns<Row>::each(r, [&](auto& v) { s.read(col++, v); });
    out.push_back(std::move(r));
  }
  return out;
}

template <class Row>
std::optional<Row> readOne(Step& s) {
  auto rows = readRows<Row>(s);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

// The WHERE clause of an item query, from fixed fragments; every value is a parameter. The
// keyset bounds (afterId, beforeId) are left to the caller: counts ignore them.
void itemFilter(const ItemQuery& q, std::string& where, std::vector<Param>& params) {
  where = " WHERE 1 = 1";
  const std::string esc = std::string(" ESCAPE '") + kLikeEscape + "'";
  if (q.communityId != 0) {
    where += " AND i.community_id = ?";
    params.emplace_back(Poco::Int64{q.communityId});
  }
  if (!q.state.empty()) {
    // top_state (migration 003) is indexed; "state = ? OR state LIKE 'x.%'" could use no index.
    where += q.state.find('.') != std::string::npos ? " AND i.state = ?" : " AND i.top_state = ?";
    params.emplace_back(q.state);
  }
  if (q.extensionPending) where += " AND i.extension_due <> ''";
  if (!q.party.empty()) {
    where +=
        " AND (i.proposer_party = ? OR EXISTS (SELECT 1 FROM item_handlers h"
        " WHERE h.item_id = i.id AND h.party = ?))";
    params.emplace_back(q.party);
    params.emplace_back(q.party);
  }
  if (!q.handledBy.empty()) {
    where += " AND EXISTS (SELECT 1 FROM item_handlers h WHERE h.item_id = i.id AND h.party = ?)";
    params.emplace_back(q.handledBy);
  }
  if (!q.awaitingPositionOf.empty()) {
    where += " AND NOT EXISTS (SELECT 1 FROM positions p WHERE p.item_id = i.id AND p.party = ?)";
    params.emplace_back(q.awaitingPositionOf);
  }
  if (!q.text.empty()) {
    const std::string like = std::string(" ") + kSqlite.likeOperator + " ?" + esc;
    where += " AND (i.title" + like + " OR i.description" + like + ")";
    const std::string pattern = "%" + likeLiteral(q.text) + "%";
    params.emplace_back(pattern);
    params.emplace_back(pattern);
  }
}

class SqlStore : public Store {
 public:
  explicit SqlStore(const StoreOptions& opts) : opts_(opts), pool_(opts) {
    auto c = pool_.borrow();
    c->guarded("open", [&] {
      migrate(*c, opts_.path);
      std::string summary;
      for (const auto& [k, v] : settingsOf(*c)) summary += " " + k + "=" + v;
      spdlog::info("database {} at schema version {};{}", opts_.path,
                   readSchemaVersion(c->session()), summary);
    });
  }

  int schemaVersion() override {
    auto c = pool_.borrow();
    return c->guarded("schemaVersion", [&] { return readSchemaVersion(c->session()); });
  }

  std::unique_ptr<WriteTx> beginWrite() override {
    // SQLite has one writer at a time anyway. Queueing writers on a process mutex before they
    // take a connection means waiting writers hold no connection, so the writer that has the
    // lock can always borrow one for its reads, and hand-over is a mutex wake-up rather than
    // SQLite's sleep-and-retry busy handler.
    std::unique_lock<std::timed_mutex> slot(writer_, std::defer_lock);
    if (!slot.try_lock_for(std::chrono::milliseconds(opts_.busyTimeoutMs)))
      throw StorageError("database is busy: no write slot within busy_timeout");
    return std::make_unique<SqlWriteTx>(std::move(slot), pool_.borrow());
  }

  // ---- items (read side)

  std::optional<Item> findItem(int64_t id) override {
    auto c = pool_.borrow();
    return c->guarded("findItem", [&]() -> std::optional<Item> {
      std::vector<Item> items;
      {
        Step s(*c, "SELECT " + Columns<Item>::sql() + " FROM items WHERE id = ?");
        s.bind(id);
        items = readRows<Item>(s);
      }
      if (items.empty()) return std::nullopt;
      attachChildren(*c, items);
      return std::move(items.front());
    });
  }

  std::vector<Item> listItems(const ItemQuery& q, int64_t* total) override {
    std::string where;
    std::vector<Param> params;
    itemFilter(q, where, params);
    std::string page = where;
    std::vector<Param> pageParams = params;
    if (q.afterId > 0) {
      page += " AND i.id < ?";
      pageParams.emplace_back(Poco::Int64{q.afterId});
    }
    if (q.beforeId > 0) {
      page += " AND i.id > ?";
      pageParams.emplace_back(Poco::Int64{q.beforeId});
    }
    // The page before beforeId is read upwards from it, then turned round (newest first).
    const bool backwards = q.beforeId > 0 && q.afterId == 0;
    // limit <= 0: no limit (the largest int64 rather than dialect-specific syntax).
    const Poco::Int64 limit = q.limit > 0 ? q.limit : INT64_MAX;
    const Poco::Int64 offset = q.offset > 0 ? q.offset : 0;
    pageParams.emplace_back(limit);
    pageParams.emplace_back(offset);

    auto c = pool_.borrow();
    return c->guarded("listItems", [&] {
      std::vector<Item> items;
      {
        Step s(*c, "SELECT " + Columns<Item>::sql() + " FROM items i" + page + " ORDER BY i.id " +
                       (backwards ? "ASC" : "DESC") + " LIMIT ? OFFSET ?");
        bindParams(s, pageParams);
        items = readRows<Item>(s);
      }
      if (backwards) std::reverse(items.begin(), items.end());
      if (total) {
        Step s(*c, q.countCap > 0
                       ? "SELECT COUNT(*) FROM (SELECT 1 FROM items i" + where + " LIMIT ?)"
                       : "SELECT COUNT(*) FROM items i" + where);
        bindParams(s, params);
        const Poco::Int64 cap = q.countCap + 1;
        if (q.countCap > 0) s.bind(cap);
        *total = 0;
        if (s.row()) s.read(0, *total);
      }
      attachChildren(*c, items);
      return items;
    });
  }

  std::vector<int64_t> itemIds() override {
    auto c = pool_.borrow();
    return c->guarded("itemIds", [&] {
      std::vector<Poco::Int64> ids;
      c->session() << "SELECT id FROM items ORDER BY id", into(ids), now;
      return std::vector<int64_t>(ids.begin(), ids.end());
    });
  }

  std::vector<EventRecord> events(const StreamRef& stream) override {
    auto c = pool_.borrow();
    return c->guarded("events", [&] {
      std::vector<EventRecord> out;
      Poco::Int64 id = stream.id;
      c->session() << "SELECT " + Columns<EventRecord>::sql() +
                          " FROM stream_events WHERE kind = ? AND stream_id = ? ORDER BY seq",
          useRef(stream.kind), useRef(id), into(out), now;
      return out;
    });
  }

  std::vector<int64_t> streamIds(const std::string& kind) override {
    auto c = pool_.borrow();
    return c->guarded("streamIds", [&] {
      std::vector<Poco::Int64> ids;
      c->session() << "SELECT DISTINCT stream_id FROM stream_events WHERE kind = ?"
                      " ORDER BY stream_id",
          useRef(kind), into(ids), now;
      return std::vector<int64_t>(ids.begin(), ids.end());
    });
  }

  std::vector<std::pair<std::string, int64_t>> countByState(int64_t communityId) override {
    auto c = pool_.borrow();
    return c->guarded("countByState", [&] {
      std::vector<std::string> states;
      std::vector<Poco::Int64> counts;
      Poco::Int64 cid = communityId;
      if (communityId == 0)
        c->session() << "SELECT state, COUNT(*) FROM items GROUP BY state ORDER BY state",
            into(states), into(counts), now;
      else
        c->session() << "SELECT state, COUNT(*) FROM items WHERE community_id = ?"
                        " GROUP BY state ORDER BY state",
            useRef(cid), into(states), into(counts), now;
      std::vector<std::pair<std::string, int64_t>> out;
      for (size_t i = 0; i < states.size(); ++i) out.emplace_back(states[i], counts[i]);
      return out;
    });
  }

  // ---- communities and rosters

  int64_t addCommunity(Community& cm) override {
    auto c = pool_.borrow();
    try {
      return c->guarded("addCommunity", [&] {
        Poco::Int64 id = 0;
        c->session() << "INSERT INTO communities (code, name, time_zone, utc_offset_minutes)"
                        " VALUES (?, ?, ?, ?) RETURNING id",
            useRef(cm.code), useRef(cm.name), useRef(cm.timeZone), useRef(cm.utcOffsetMinutes),
            into(id), now;
        return cm.id = id;
      });
    } catch (const Conflict&) {
      throw Conflict(Msg("The community code \"{1}\" is already taken.").arg(cm.code));
    }
  }

  std::vector<Community> communities() override {
    auto c = pool_.borrow();
    return c->guarded("communities", [&] {
      Step s(*c, "SELECT " + Columns<Community>::sql() + " FROM communities ORDER BY id");
      return readRows<Community>(s);
    });
  }

  std::optional<Community> findCommunity(int64_t id) override {
    auto c = pool_.borrow();
    return c->guarded("findCommunity", [&]() -> std::optional<Community> {
      Step s(*c, "SELECT " + Columns<Community>::sql() + " FROM communities WHERE id = ?");
      s.bind(id);
      return readOne<Community>(s);
    });
  }

  int64_t addParty(Party& p) override {
    auto c = pool_.borrow();
    try {
      return c->guarded("addParty", [&] {
        Poco::Int64 id = 0;
        c->session() << "INSERT INTO parties (community_id, code, name, sort_order)"
                        " VALUES (?, ?, ?, ?) RETURNING id",
            useRef(p.communityId), useRef(p.code), useRef(p.name), useRef(p.sortOrder), into(id),
            now;
        return p.id = id;
      });
    } catch (const Conflict&) {
      throw Conflict(Msg("The party code \"{1}\" is already taken in this community.").arg(p.code));
    } catch (const NotFound&) {
      throw NotFound(Msg("No such community: {1}.").arg(static_cast<long long>(p.communityId)));
    }
  }

  std::vector<Party> parties(int64_t communityId) override {
    auto c = pool_.borrow();
    return c->guarded("parties", [&] {
      Step s(*c, "SELECT " + Columns<Party>::sql() +
                     " FROM parties WHERE community_id = ? ORDER BY sort_order, id");
      s.bind(communityId);
      return readRows<Party>(s);
    });
  }

  // ---- users

  int64_t addUser(User& u) override {
    auto c = pool_.borrow();
    try {
      return c->guarded("addUser", [&] {
        Poco::Int64 id = 0;
        auto community = optionalId(u.communityId);
        c->session() << "INSERT INTO users (username, display_name, community_id, party, "
                        "convener, representative, supervisor, disabled, password_hash, locale)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            useRef(u.username), useRef(u.displayName), useRef(community), useRef(u.party),
            useRef(u.convener), useRef(u.representative), useRef(u.supervisor), useRef(u.disabled),
            useRef(u.passwordHash), useRef(u.locale), into(id), now;
        return u.id = id;
      });
    } catch (const Conflict&) {
      throw Conflict(Msg("The username \"{1}\" is already taken.").arg(u.username));
    }
  }

  void updateUser(const User& u) override {
    auto c = pool_.borrow();
    size_t changed = 0;
    try {
      changed = c->guarded("updateUser", [&] {
        auto community = optionalId(u.communityId);
        Statement st(c->session());
        st << "UPDATE users SET username = ?, display_name = ?, community_id = ?, party = ?, "
              "convener = ?, representative = ?, supervisor = ?, disabled = ?, "
              "password_hash = ?, locale = ? WHERE id = ?",
            useRef(u.username), useRef(u.displayName), useRef(community), useRef(u.party),
            useRef(u.convener), useRef(u.representative), useRef(u.supervisor), useRef(u.disabled),
            useRef(u.passwordHash), useRef(u.locale), useRef(u.id);
        return st.execute();
      });
    } catch (const Conflict&) {
      throw Conflict(Msg("The username \"{1}\" is already taken.").arg(u.username));
    }
    if (changed == 0) throw NotFound(Msg("No such user: {1}.").arg(static_cast<long long>(u.id)));
  }

  std::optional<User> findUser(int64_t id) override {
    return findUserWhere("id = ?", Param{Poco::Int64{id}});
  }

  std::optional<User> findUserByName(const std::string& username) override {
    return findUserWhere("username = ?", Param{username});
  }

  std::vector<User> users() override {
    auto c = pool_.borrow();
    return c->guarded("users", [&] {
      std::vector<User> out;
      c->session() << "SELECT " + Columns<User>::sql() + " FROM users ORDER BY id", into(out), now;
      return out;
    });
  }

  // Unknown users are ignored: throttling must not reveal which usernames exist.
  void recordLoginFailure(int64_t userId, const std::string& at) override {
    auto c = pool_.borrow();
    c->guarded("recordLoginFailure", [&] {
      c->session() << "UPDATE users SET failed_logins = failed_logins + 1, last_failed_at = ?"
                      " WHERE id = ?",
          useRef(at), useRef(userId), now;
    });
  }

  void clearLoginFailures(int64_t userId) override {
    auto c = pool_.borrow();
    c->guarded("clearLoginFailures", [&] {
      c->session() << "UPDATE users SET failed_logins = 0, last_failed_at = '' WHERE id = ?",
          useRef(userId), now;
    });
  }

  std::pair<int, std::string> loginFailures(int64_t userId) override {
    auto c = pool_.borrow();
    return c->guarded("loginFailures", [&] {
      std::vector<int> counts;
      std::vector<std::string> ats;
      c->session() << "SELECT failed_logins, last_failed_at FROM users WHERE id = ?",
          useRef(userId), into(counts), into(ats), now;
      if (counts.empty()) return std::pair<int, std::string>(0, "");
      return std::pair<int, std::string>(counts.front(), ats.front());
    });
  }

  // ---- meetings

  int64_t addMeeting(Meeting& m) override {
    auto c = pool_.borrow();
    try {
      return c->guarded("addMeeting", [&] {
        Poco::Int64 id = 0;
        c->session() << "INSERT INTO meetings (community_id, title, kind, date, location, "
                        "minutes, published) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            useRef(m.communityId), useRef(m.title), useRef(m.kind), useRef(m.date),
            useRef(m.location), useRef(m.minutes), useRef(m.published), into(id), now;
        return m.id = id;
      });
    } catch (const NotFound&) {
      throw NotFound(Msg("No such community: {1}.").arg(static_cast<long long>(m.communityId)));
    }
  }

  void updateMeeting(const Meeting& m) override {
    auto c = pool_.borrow();
    const size_t changed = c->guarded("updateMeeting", [&] {
      Statement st(c->session());
      st << "UPDATE meetings SET community_id = ?, title = ?, kind = ?, date = ?, location = ?, "
            "minutes = ?, published = ? WHERE id = ?",
          useRef(m.communityId), useRef(m.title), useRef(m.kind), useRef(m.date),
          useRef(m.location), useRef(m.minutes), useRef(m.published), useRef(m.id);
      return st.execute();
    });
    if (changed == 0)
      throw NotFound(Msg("No such meeting: {1}.").arg(static_cast<long long>(m.id)));
  }

  std::optional<Meeting> findMeeting(int64_t id) override {
    auto c = pool_.borrow();
    return c->guarded("findMeeting", [&]() -> std::optional<Meeting> {
      Step s(*c, "SELECT " + Columns<Meeting>::sql() + " FROM meetings WHERE id = ?");
      s.bind(id);
      return readOne<Meeting>(s);
    });
  }

  // communityId 0: every community's meetings.
  std::vector<Meeting> meetings(int64_t communityId) override {
    auto c = pool_.borrow();
    return c->guarded("meetings", [&] {
      const std::string sql = "SELECT " + Columns<Meeting>::sql() + " FROM meetings";
      if (communityId == 0) {
        Step s(*c, sql + " ORDER BY date DESC, id DESC");
        return readRows<Meeting>(s);
      }
      Step s(*c, sql + " WHERE community_id = ? ORDER BY date DESC, id DESC");
      s.bind(communityId);
      return readRows<Meeting>(s);
    });
  }

  // ---- web sessions

  void saveSession(const WebSession& s) override {
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

  std::optional<WebSession> findSession(const std::string& tokenHash) override {
    auto c = pool_.borrow();
    return c->guarded("findSession", [&]() -> std::optional<WebSession> {
      Step s(*c,
             "SELECT " + Columns<WebSession>::sql() + " FROM web_sessions WHERE token_hash = ?");
      s.bind(tokenHash);
      return readOne<WebSession>(s);
    });
  }

  void touchSession(const std::string& tokenHash, const std::string& at) override {
    auto c = pool_.borrow();
    c->guarded("touchSession", [&] {
      c->session() << "UPDATE web_sessions SET last_seen_at = ? WHERE token_hash = ?", useRef(at),
          useRef(tokenHash), now;
    });
  }

  void deleteSession(const std::string& tokenHash) override {
    auto c = pool_.borrow();
    c->guarded("deleteSession", [&] {
      c->session() << "DELETE FROM web_sessions WHERE token_hash = ?", useRef(tokenHash), now;
    });
  }

  void deleteSessionsSeenBefore(const std::string& at) override {
    auto c = pool_.borrow();
    c->guarded("deleteSessionsSeenBefore", [&] {
      c->session() << "DELETE FROM web_sessions WHERE last_seen_at < ?", useRef(at), now;
    });
  }

  std::optional<std::pair<WebSession, User>> findSessionWithUser(
      const std::string& tokenHash) override {
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
    auto c = pool_.borrow();
    return c->guarded("findSessionWithUser",
                      [&]() -> std::optional<std::pair<WebSession, User>> {
                        std::vector<WebSession> sessions;
                        std::vector<User> users;
                        c->session() << sql, useRef(tokenHash), into(sessions), into(users), now;
                        if (sessions.empty() || users.empty()) return std::nullopt;
                        return std::make_pair(sessions.front(), users.front());
                      });
  }

  void deleteSessionsOfUser(int64_t userId) override {
    auto c = pool_.borrow();
    c->guarded("deleteSessionsOfUser", [&] {
      c->session() << "DELETE FROM web_sessions WHERE user_id = ?", useRef(userId), now;
    });
  }

  std::vector<std::pair<std::string, std::string>> settings() override {
    auto c = pool_.borrow();
    return c->guarded("settings", [&] { return settingsOf(*c); });
  }

 private:
  static std::vector<std::pair<std::string, std::string>> settingsOf(Connection& c) {
    std::string journal;
    int sync = 0, fk = 0, busy = 0;
    c.session() << "PRAGMA journal_mode", into(journal), now;
    c.session() << "PRAGMA synchronous", into(sync), now;
    c.session() << "PRAGMA foreign_keys", into(fk), now;
    c.session() << "PRAGMA busy_timeout", into(busy), now;
    static const char* kSyncNames[] = {"off", "normal", "full", "extra"};
    return {{"journal_mode", journal},
            {"synchronous", sync >= 0 && sync <= 3 ? kSyncNames[sync] : std::to_string(sync)},
            {"foreign_keys", std::to_string(fk)},
            {"busy_timeout", std::to_string(busy)}};
  }

  std::optional<User> findUserWhere(const std::string& condition, const Param& value) {
    auto c = pool_.borrow();
    return c->guarded("findUser", [&]() -> std::optional<User> {
      Step s(*c, "SELECT " + Columns<User>::sql() + " FROM users WHERE " + condition);
      const std::vector<Param> params{value};  // outlives the Step: strings bind by pointer
      bindParams(s, params);
      return readOne<User>(s);
    });
  }

  // Fills handlers and positions of already-read items, up to 500 ids per query. The IN list
  // is padded (repeating the last id) to one of a few sizes, so its statements stay cached.
  static void attachChildren(Connection& c, std::vector<Item>& items) {
    if (items.empty()) return;
    std::map<int64_t, Item*> byId;
    for (auto& i : items) byId[i.id] = &i;
    constexpr size_t kSizes[] = {1, 4, 20, 100, 500};
    for (size_t start = 0; start < items.size();) {
      const size_t left = items.size() - start;
      size_t width = kSizes[0];
      for (size_t w : kSizes)
        if ((width = w) >= left) break;
      const size_t end = start + std::min(left, width);
      std::string in = "?";
      for (size_t k = 1; k < width; ++k) in += ", ?";
      auto bindIds = [&](Step& s) {
        for (size_t k = 0; k < width; ++k) s.bind(items[std::min(start + k, end - 1)].id);
      };
      {
        Step s(c, "SELECT " + Columns<HandlerRow>::sql() +
                      " FROM item_handlers WHERE item_id IN (" + in + ") ORDER BY item_id, ord");
        bindIds(s);
        for (auto& r : readRows<HandlerRow>(s)) byId[r.itemId]->handlers.push_back(std::move(r.h));
      }
      {
        Step s(c, "SELECT " + Columns<PositionRow>::sql() + " FROM positions WHERE item_id IN (" +
                      in + ") ORDER BY item_id, ord");
        bindIds(s);
        for (auto& r : readRows<PositionRow>(s))
          byId[r.itemId]->positions.push_back(std::move(r.p));
      }
      start = end;
    }
  }

  StoreOptions opts_;
  ConnectionPool pool_;
  std::timed_mutex writer_;  // one write transaction per process at a time
};

void registerConnectorOnce() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Data::SQLite::Connector::registerConnector(); });
}

}  // namespace

int latestSchemaVersion() {
  const auto& all = migrations();
  return all.empty() ? 0 : all.rbegin()->first;
}

std::unique_ptr<Store> openSqliteStore(const StoreOptions& opts) {
  // Each pooled connection to ":memory:" would get its own empty database.
  if (opts.path.empty() || opts.path == ":memory:" || opts.path.rfind("file:", 0) == 0)
    throw StorageError(
        "database path must be a file name (in-memory databases and URIs are not "
        "supported: every pooled connection must see the same data): \"" +
        opts.path + "\"");
  registerConnectorOnce();
  const std::filesystem::path path(opts.path);
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec)
      throw StorageError("cannot create folder " + path.parent_path().string() + ": " +
                         ec.message());
  }
  return std::make_unique<SqlStore>(opts);
}

}  // namespace liufang::model
