#include "model/Backup.h"

#include <sqlite3.h>

#include <filesystem>
#include <memory>

#include "model/Errors.h"

namespace liufang::model {

namespace {

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;

Db open(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK)
    throw StorageError("cannot open " + path + ": " +
                       (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  return db;
}

void exec(sqlite3* db, const std::string& sql, const std::string& what) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    throw StorageError(what + ": " + msg);
  }
}

// The one-text-column answer of a PRAGMA such as journal_mode.
std::string pragmaText(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
    throw StorageError(sql + ": " + sqlite3_errmsg(db));
  std::string out;
  const int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return "";  // busy: the caller reads "" as "no"
  return out;
}

}  // namespace

void backupDatabase(const std::string& from, const std::string& to) {
  if (std::filesystem::exists(to)) throw StorageError("backup target exists: " + to);
  Db src = open(from, SQLITE_OPEN_READONLY);
  // A writer holding the database briefly must not fail the backup; the copy's read snapshot
  // itself never blocks the writers in WAL mode.
  sqlite3_busy_timeout(src.get(), 10000);
  try {
    Db dst = open(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    sqlite3_backup* b = sqlite3_backup_init(dst.get(), "main", src.get(), "main");
    if (!b) throw StorageError("backup of " + from + ": " + sqlite3_errmsg(dst.get()));
    // -1: every page in one step under one read transaction, so the copy is one snapshot (a
    // stepwise copy restarts whenever another process writes, and may never finish).
    int rc = SQLITE_OK;
    for (int tries = 0; tries < 100; ++tries) {
      rc = sqlite3_backup_step(b, -1);
      if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
      sqlite3_sleep(100);
    }
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) throw StorageError("backup of " + from + ": " + sqlite3_errstr(rc));
    exec(dst.get(), "PRAGMA journal_mode = DELETE", "backup of " + from);
  } catch (...) {
    for (const char* ext : {"", "-journal", "-wal", "-shm"}) std::filesystem::remove(to + ext);
    throw;
  }
}

bool makeSelfContained(const std::string& path) {
  Db db = open(path, SQLITE_OPEN_READWRITE);
  // No busy wait: a connection held open elsewhere (a running server) is the answer, not a
  // reason to wait. Leaving WAL mode needs the only connection, so it doubles as the probe.
  sqlite3_busy_timeout(db.get(), 0);
  if (pragmaText(db.get(), "PRAGMA journal_mode") == "wal") {
    if (pragmaText(db.get(), "PRAGMA wal_checkpoint(TRUNCATE)").empty()) return false;
    if (pragmaText(db.get(), "PRAGMA journal_mode = DELETE") != "delete") return false;
  }
  // In rollback mode other connections hold no lock while idle; an exclusive transaction that
  // starts at once still proves nobody is writing right now.
  if (sqlite3_exec(db.get(), "BEGIN EXCLUSIVE; COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
    return false;
  return true;
}

std::vector<KindEventStats> eventStats(const std::string& path) {
  Db db = open(path, SQLITE_OPEN_READONLY);
  sqlite3_stmt* st = nullptr;
  const char* sql =
      "SELECT kind, COUNT(*), COALESCE(MAX(at), '') FROM stream_events GROUP BY kind ORDER BY kind";
  if (sqlite3_prepare_v2(db.get(), sql, -1, &st, nullptr) != SQLITE_OK)
    throw StorageError(std::string("event counts of ") + path + ": " + sqlite3_errmsg(db.get()));
  std::vector<KindEventStats> out;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    KindEventStats k;
    k.kind = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    k.events = sqlite3_column_int64(st, 1);
    k.lastAt = reinterpret_cast<const char*>(sqlite3_column_text(st, 2));
    out.push_back(std::move(k));
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    throw StorageError(std::string("event counts of ") + path + ": " + sqlite3_errmsg(db.get()));
  return out;
}

}  // namespace liufang::model
