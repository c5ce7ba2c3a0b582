#pragma once
// Storage interface. The SQLite implementation comes first; a PostgreSQL one (same Poco::Data
// code, another connector) follows for multi-node setups, so SQL stays portable and the few
// dialect differences live in Dialect (see model/sql/Dialect.h).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/CalendarStore.h"
#include "model/DirectoryStore.h"
#include "model/InboxStore.h"
#include "model/ReadQueries.h"
#include "model/ScoreQueries.h"
#include "model/Residents.h"
#include "model/RosterStore.h"
#include "model/SessionStore.h"
#include "model/StreamStore.h"
#include "model/Types.h"
#include "model/WebhookStore.h"

namespace liufang::model {

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

// The whole store, one interface per concern (each header says what it holds). Callers take a
// model::Store&; a narrower one can take the part it uses.
class Store : public StreamStore,
              public ReadQueries,
              public DirectoryStore,
              public SessionStore,
              public ScoreQueries,
              public ResidentStore,
              public RosterStore,
              public InboxStore,
              public WebhookStore,
              public CalendarStore {
 public:
  ~Store() override = default;

  // ---- schema
  // The schema version this database is at (number of the last applied migration).
  virtual int schemaVersion() = 0;

  // ---- instance flags (migration 006): facts about the database as a whole, such as
  // "demo" = "1" after `init --demo`. "" when unset.
  virtual std::string instanceFlag(const std::string& name) = 0;
  virtual void setInstanceFlag(const std::string& name, const std::string& value) = 0;

  // The session and its user, read one after the other (see SessionStore).
  std::optional<std::pair<WebSession, User>> findSessionWithUser(
      const std::string& tokenHash) override {
    auto session = findSession(tokenHash);
    if (!session) return std::nullopt;
    auto user = findUser(session->userId);
    if (!user) return std::nullopt;
    return std::make_pair(std::move(*session), std::move(*user));
  }

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
