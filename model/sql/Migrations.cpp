// Migrations (see Migrations.h).
#include "model/sql/Migrations.h"

#include <Poco/Nullable.h>
#include <spdlog/spdlog.h>

#include "model/Errors.h"
#include "model/sql/Dialect.h"

// Generated from model/migrations and model/data by model/CMakeLists.txt (liufang_embed).
const std::map<std::string, std::string>& liufangModelFiles();

// Every statement here executes at once (`now`), so binding by reference (useRef) is safe.
using namespace Poco::Data::Keywords;

namespace liufang::model::sql {

// The embedded migrations by number, applied in ascending order. Numbers are handed out per
// branch of work (docs/ARCHITECTURE.md), so a branch may carry 006 before 004 and 005 are
// merged: gaps are allowed, but a released build must hold every number below its newest.
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

namespace {

[[noreturn]] void refuseNewer(int found) {
  throw StorageError("database schema version " + std::to_string(found) +
                     " was written by a newer liufang (this build knows up to " +
                     std::to_string(latestSchemaVersion()) + "); upgrade liufang");
}

}  // namespace

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

}  // namespace liufang::model::sql
