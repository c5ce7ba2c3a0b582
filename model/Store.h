#pragma once
// Storage interface. The SQLite implementation comes first; a PostgreSQL one (same Poco::Data
// code, another connector) follows for multi-node setups, so SQL stays portable and the few
// dialect differences live in Dialect (see SqlStore.cpp).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/Types.h"

namespace liufang::model {

// Filters for listing items, newest (highest id) first. Empty strings, zeros and false mean
// "any". Every filter is answered by an index (migration 003), so a page costs what it shows,
// not what the database holds; only `text` (a substring search) and `party` on a rare party
// scan rows until the page is full.
struct ItemQuery {
  int64_t communityId = 0;
  std::string
      state;  // top-level state (proposal, discussion, ...) or a full one (deadline.overdue)
  std::string party;  // proposer, lead or co-handling party code
  std::string text;   // substring of title or description (matched literally, no wildcards)
  // Lead or co-handling party (not the proposer): a party's to-do list.
  std::string handledBy;
  // A party that has logged no position on the item (combine with state "discussion").
  std::string awaitingPositionOf;
  bool extensionPending = false;  // an extension request waits for a decision
  int limit = 50;                 // <= 0: no limit
  int offset = 0;                 // skips rows: cost grows with it; prefer afterId
  // Keyset paging: only items listed after this id (id < afterId, the next page) or before it
  // (id > beforeId, the previous page; still returned newest first). 0: from the start.
  int64_t afterId = 0;
  int64_t beforeId = 0;
  // For listItems' total: 0 counts every match (cost grows with the matches); N > 0 stops
  // counting at N + 1, so a total above N means "more than N".
  int64_t countCap = 0;
};

// A signed-in browser or API client. The token itself is never stored, only its hash.
struct WebSession {
  std::string tokenHash;
  int64_t userId = 0;
  std::string csrfToken;
  std::string createdAt;
  std::string lastSeenAt;
  std::string locale;
};

// One write transaction: BEGIN IMMEDIATE on SQLite, so writers never deadlock on upgrade.
// Destroying it without commit() rolls back; nothing half-written reaches the database.
class WriteTx {
 public:
  virtual ~WriteTx() = default;
  // The item with handlers and positions; nullopt if there is none. utcOffsetMinutes, if
  // given, receives its community's UTC offset (read in the same statement).
  virtual std::optional<Item> loadItem(int64_t id, int* utcOffsetMinutes = nullptr) = 0;
  // Inserts a new item (id assigned and written back into item). Returns the id.
  virtual int64_t insertItem(Item& item) = 0;
  // Writes the projection if its stored version is still expectedVersion; throws
  // liufang::Conflict otherwise. Handlers/positions are rewritten only when flagged.
  virtual void updateItem(const Item& item, int64_t expectedVersion, bool handlersChanged,
                          bool positionsChanged) = 0;
  // Appends one event row to its stream; throws liufang::Conflict if (kind, id, seq) exists.
  virtual void appendEvent(const EventRecord& e) = 0;
  // Makes everything durable (per the synchronous setting). Throws StorageError on failure.
  virtual void commit() = 0;
  // The community's UTC offset in minutes, read inside this transaction; nullopt if unknown.
  virtual std::optional<int> utcOffsetOf(int64_t communityId) = 0;
};

// Durability of commits. FULL: an acknowledged transition survives a power cut (default).
enum class Synchronous { Full, Normal };

struct StoreOptions {
  std::string path = "./data/liufang.db";
  Synchronous synchronous = Synchronous::Full;
  int busyTimeoutMs = 5000;
  int poolSize = 16;  // connections kept open for concurrent readers
  // Called with the text of every SQL statement any connection starts (sqlite3_trace_v2), for
  // tests that count what one request costs. Must be thread-safe; empty = no tracing.
  std::function<void(const char* sql)> onStatement;
};

class Store {
 public:
  virtual ~Store() = default;

  // ---- schema
  // The schema version this database is at (number of the last applied migration).
  virtual int schemaVersion() = 0;

  // ---- transactions (the Engine is the only caller for items)
  virtual std::unique_ptr<WriteTx> beginWrite() = 0;

  // ---- items (read side)
  virtual std::optional<Item> findItem(int64_t id) = 0;
  // Items matching q, newest first; total (if given) receives the count without paging
  // (afterId, beforeId, limit and offset ignored), capped per q.countCap.
  virtual std::vector<Item> listItems(const ItemQuery& q, int64_t* total = nullptr) = 0;
  // Every item id, ascending.
  virtual std::vector<int64_t> itemIds() = 0;
  // ---- streams (the event log of every machine kind)
  // A stream's event log in seq order (empty if it has none).
  virtual std::vector<EventRecord> events(const StreamRef& stream) = 0;
  // An item's event log in seq order.
  std::vector<EventRecord> events(int64_t itemId) { return events(StreamRef{"item", itemId}); }
  // The ids of every stream of a kind that has at least one event, ascending.
  virtual std::vector<int64_t> streamIds(const std::string& kind) = 0;
  // Counts of items per full state name, for one community or all (0).
  virtual std::vector<std::pair<std::string, int64_t>> countByState(int64_t communityId) = 0;

  // ---- communities and rosters
  virtual int64_t addCommunity(Community& c) = 0;  // Conflict on duplicate code
  virtual std::vector<Community> communities() = 0;
  virtual std::optional<Community> findCommunity(int64_t id) = 0;
  virtual int64_t addParty(Party& p) = 0;  // Conflict on duplicate code in the community
  virtual std::vector<Party> parties(int64_t communityId) = 0;  // by sortOrder

  // ---- users
  virtual int64_t addUser(User& u) = 0;  // Conflict on duplicate username
  virtual void updateUser(const User& u) = 0;
  virtual std::optional<User> findUser(int64_t id) = 0;
  virtual std::optional<User> findUserByName(const std::string& username) = 0;
  virtual std::vector<User> users() = 0;
  // Login throttling: failures since the last success, and when the last one happened.
  virtual void recordLoginFailure(int64_t userId, const std::string& at) = 0;
  virtual void clearLoginFailures(int64_t userId) = 0;
  virtual std::pair<int, std::string> loginFailures(int64_t userId) = 0;

  // ---- meetings
  virtual int64_t addMeeting(Meeting& m) = 0;
  virtual void updateMeeting(const Meeting& m) = 0;
  virtual std::optional<Meeting> findMeeting(int64_t id) = 0;
  virtual std::vector<Meeting> meetings(int64_t communityId) = 0;  // newest first

  // ---- web sessions (kept in the database so app nodes hold no authoritative state)
  virtual void saveSession(const WebSession& s) = 0;
  virtual std::optional<WebSession> findSession(const std::string& tokenHash) = 0;
  virtual void touchSession(const std::string& tokenHash, const std::string& at) = 0;
  virtual void deleteSession(const std::string& tokenHash) = 0;
  virtual void deleteSessionsSeenBefore(const std::string& at) = 0;
  // The session and its user, read together because every signed-in request needs both (the
  // SQL store does it in one statement); nullopt if either is missing.
  virtual std::optional<std::pair<WebSession, User>> findSessionWithUser(
      const std::string& tokenHash) {
    auto session = findSession(tokenHash);
    if (!session) return std::nullopt;
    auto user = findUser(session->userId);
    if (!user) return std::nullopt;
    return std::make_pair(std::move(*session), std::move(*user));
  }
  // Ends every session of one user (after a password change or reset, or disabling).
  virtual void deleteSessionsOfUser(int64_t userId) = 0;

  // ---- diagnostics
  // The connection settings actually in effect, as (name, value) pairs such as
  // ("journal_mode", "wal"), ("synchronous", "normal"), ("foreign_keys", "1"): for start-up
  // logs and tests (SQLite's per-connection pragmas cannot be seen from another connection).
  // Empty for stores without such settings.
  virtual std::vector<std::pair<std::string, std::string>> settings() { return {}; }
};

// Opens (creating if absent) and migrates the SQLite database at opts.path; the parent folder
// is created if missing. Throws StorageError if the file was written by a newer liufang.
std::unique_ptr<Store> openSqliteStore(const StoreOptions& opts);

// The newest schema version this build knows.
int latestSchemaVersion();

}  // namespace liufang::model
