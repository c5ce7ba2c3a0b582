#pragma once
// Whole-database file operations that the Store interface does not offer: an online copy with
// SQLite's backup API, a self-contained single-file form for copies, the "is anyone using this
// database" probe that restore needs, and the per-kind event counts a backup report prints.
// Each opens its own sqlite3 connection to the path, so they work beside a running server.
#include <cstdint>
#include <string>
#include <vector>

namespace liufang::model {

// Copies the database at `from` into a new file `to` (which must not exist) with SQLite's
// online backup API in one step, so the copy is one consistent snapshot: in WAL mode the
// server's writers go on while it is taken, and every transaction committed before the copy
// began is in it. The copy is left in rollback-journal mode (one self-contained file).
// Throws StorageError (nothing left at `to`) if `from` cannot be read or `to` written.
void backupDatabase(const std::string& from, const std::string& to);

// Folds any write-ahead log of the database at `path` into the main file and switches it to
// rollback-journal mode, so the file alone holds all of it and can be copied or renamed.
// Returns false (and changes nothing) if another connection has the database open.
// Throws StorageError if the file cannot be opened as a database.
bool makeSelfContained(const std::string& path);

// Events in one machine kind's logs.
struct KindEventStats {
  std::string kind;
  int64_t events = 0;
  std::string lastAt;  // the latest event instant of the kind ("" if none)
};

// Event counts per kind (ascending by kind) of the database at `path`, read-only.
// Throws StorageError if it cannot be read.
std::vector<KindEventStats> eventStats(const std::string& path);

}  // namespace liufang::model
