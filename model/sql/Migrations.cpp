// Migrations (see Migrations.h).
#include "model/sql/Migrations.h"

#include <Poco/Nullable.h>
#include <spdlog/spdlog.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "model/Clock.h"
#include "model/Errors.h"
#include "model/Hash.h"
#include "model/sql/Dialect.h"
#include "model/sql/Columns.h"
#include "model/sql/MeetingRows.h"

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

void backfillMeetingStreams(Connection& c) {
  std::vector<Poco::Int64> ids;
  c.session() << "SELECT id FROM meetings m WHERE NOT EXISTS (SELECT 1 FROM stream_events e"
                 " WHERE e.kind = 'meeting' AND e.stream_id = m.id) ORDER BY id",
      into(ids), now;
  const std::string at = formatInstant(std::chrono::system_clock::now());
  for (const int64_t id : ids) {
    auto m = readMeeting(c, id);
    if (!m) continue;
    const int64_t before = m->version;
    auto json = [](const Poco::JSON::Object& o) {
      std::ostringstream out;
      o.stringify(out, 0, -1);
      return out.str();
    };
    auto append = [&](const std::string& type, const Poco::JSON::Object& payload,
                      const std::string& from, const std::string& to) {
      EventRecord e;
      e.kind = "meeting";
      e.streamId = id;
      e.seq = m->version + 1;
      e.at = at;
      e.type = type;
      e.payload = json(payload);
      e.fromState = from;
      e.toState = to;
      e.prevHash = m->lastHash.empty() ? genesisHash(StreamRef{"meeting", id}) : m->lastHash;
      e.hash = eventHash(e);
      Step s(c, Hot::InsertEvent);
      Columns<EventRecord>::each(e, [&](const auto& v) { s.bind(v); });
      s.run();
      m->version = e.seq;
      m->lastHash = e.hash;
      m->updatedAt = at;
    };
    Poco::JSON::Object schedule;
    schedule.set("community", static_cast<Poco::Int64>(m->communityId));
    schedule.set("title", m->title);
    schedule.set("kind", m->kind);
    schedule.set("date", m->date);
    if (!m->location.empty()) schedule.set("place", m->location);
    // An unpublished meeting's text was a draft: kept, as the creation row's "minutes".
    if (!m->published && !m->minutes.empty()) schedule.set("minutes", m->minutes);
    m->createdAt = at;
    m->state = "scheduled";
    append("schedule", schedule, "", "scheduled");
    if (m->published) {
      Poco::JSON::Object open;
      open.set("attendance", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
      append("open", open, "scheduled", "in_session");
      append("adjourn", Poco::JSON::Object(), "in_session", "adjourned");
      Poco::JSON::Object publish;
      publish.set("minutes", m->minutes);
      append("publish_minutes", publish, "adjourned", "minutes_published");
      m->state = "minutes_published";
      m->openedAt = m->adjournedAt = m->publishedAt = at;
    }
    updateMeeting(c, *m, before, 0);
  }
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
      // 004 gave meetings a log; old meetings get theirs in the same step.
      if (number == 4) backfillMeetingStreams(c);
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
