// The Store over Poco::Data and SQLite: opening it, and the store-wide methods.
//
// Layout of the SQLite store (model/sql/):
//   Dialect.h          — the few things that differ between SQLite and PostgreSQL.
//   Columns.h          — one field list per row struct, shared by the Poco TypeHandlers (read
//                        side) and the prepared-statement paths (Step, SqlWriteTx).
//   Connection.h/.cpp  — a Poco::Data::Session plus its cached prepared statements; the pool;
//                        why two ways of running SQL.
//   ReadRows.h         — reading rows from cached statements.
//   Migrations.h/.cpp  — numbered files from model/migrations, one transaction per step.
//   WriteTx.h/.cpp     — BEGIN IMMEDIATE ... COMMIT on cached statements (the Engine's path).
//   SqlStore.h         — the store class; its methods by concern in SqlStoreItems.cpp,
//                        SqlStoreDirectory.cpp, SqlStoreSessions.cpp, and this file.
#include "model/sql/SqlStore.h"

#include <Poco/Data/SQLite/Connector.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <mutex>

#include "model/Errors.h"
#include "model/sql/Migrations.h"
#include "model/sql/WriteTx.h"

// Every statement here executes at once (`now`).
using namespace Poco::Data::Keywords;

namespace liufang::model {
namespace sql {

SqlStore::SqlStore(const StoreOptions& opts) : opts_(opts), pool_(opts) {
  auto c = pool_.borrow();
  c->guarded("open", [&] {
    migrate(*c, opts_.path);
    std::string summary;
    for (const auto& [k, v] : settingsOf(*c)) summary += " " + k + "=" + v;
    spdlog::info("database {} at schema version {};{}", opts_.path, readSchemaVersion(c->session()),
                 summary);
  });
}

int SqlStore::schemaVersion() {
  auto c = pool_.borrow();
  return c->guarded("schemaVersion", [&] { return readSchemaVersion(c->session()); });
}

std::unique_ptr<WriteTx> SqlStore::beginWrite() {
  // SQLite has one writer at a time anyway. Queueing writers on a process mutex before they
  // take a connection means waiting writers hold no connection, so the writer that has the
  // lock can always borrow one for its reads, and hand-over is a mutex wake-up rather than
  // SQLite's sleep-and-retry busy handler.
  std::unique_lock<std::timed_mutex> slot(writer_, std::defer_lock);
  if (!slot.try_lock_for(std::chrono::milliseconds(opts_.busyTimeoutMs)))
    throw StorageError("database is busy: no write slot within busy_timeout");
  return beginSqlWriteTx(std::move(slot), pool_.borrow());
}

std::vector<std::pair<std::string, std::string>> SqlStore::settings() {
  auto c = pool_.borrow();
  return c->guarded("settings", [&] { return settingsOf(*c); });
}

std::string SqlStore::instanceFlag(const std::string& name) {
  auto c = pool_.borrow();
  return c->guarded("instanceFlag", [&] {
    std::vector<std::string> values;
    c->session() << "SELECT value FROM instance_flags WHERE name = ?", useRef(name),
        into(values), now;
    return values.empty() ? std::string() : values.front();
  });
}

void SqlStore::setInstanceFlag(const std::string& name, const std::string& value) {
  auto c = pool_.borrow();
  c->guarded("setInstanceFlag", [&] {
    c->session() << "INSERT INTO instance_flags (name, value) VALUES (?, ?)"
                    " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        useRef(name), useRef(value), now;
    return 0;
  });
}

std::vector<std::pair<std::string, std::string>> SqlStore::settingsOf(Connection& c) {
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

namespace {

void registerConnectorOnce() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Data::SQLite::Connector::registerConnector(); });
}

}  // namespace
}  // namespace sql

int latestSchemaVersion() {
  const auto& all = sql::migrations();
  return all.empty() ? 0 : all.rbegin()->first;
}

std::unique_ptr<Store> openSqliteStore(const StoreOptions& opts) {
  // Each pooled connection to ":memory:" would get its own empty database.
  if (opts.path.empty() || opts.path == ":memory:" || opts.path.rfind("file:", 0) == 0)
    throw StorageError(
        "database path must be a file name (in-memory databases and URIs are not "
        "supported: every pooled connection must see the same data): \"" +
        opts.path + "\"");
  sql::registerConnectorOnce();
  const std::filesystem::path path(opts.path);
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec)
      throw StorageError("cannot create folder " + path.parent_path().string() + ": " +
                         ec.message());
  }
  return std::make_unique<sql::SqlStore>(opts);
}

}  // namespace liufang::model
