#pragma once
// Migrations: the numbered files from model/migrations, embedded in the binary and applied one
// transaction per step; a database written by a newer liufang is refused.
#include <map>
#include <string>
#include <vector>

#include "model/sql/Connection.h"

namespace liufang::model::sql {

// One embedded migration file.
struct Migration {
  std::string name;  // "001_init"
  std::string sql;
};

// The embedded migrations by number. Numbers must run 1..N without gaps: a gap is a build
// mistake, caught on first use (StorageError).
const std::map<int, Migration>& migrations();

// Splits a migration file into statements at semicolons outside quotes and comments.
std::vector<std::string> splitStatements(const std::string& sql);

// The version row, or 0 if there is none yet.
int readSchemaVersion(Session& s);

// Gives every meeting without a log its genesis rows, inside the caller's write transaction:
// `schedule` by the system (actor 0) with the row's title, kind, date and place; for a
// published one also `open` (no attendance on record), `adjourn` and `publish_minutes` with its
// minutes text. Updates the row's state, version and hash to match. The state and event names
// are the meeting machine's (workflow/MeetingEvents.cpp); this is the one place the model
// writes them, as an upgrade of data made before meetings had a log (migration 004).
void backfillMeetingStreams(Connection& c);

// Brings the database to latestSchemaVersion(), one transaction per step, so a failure
// leaves it at the last good version. Throws StorageError if the database is newer than this
// build or a step fails.
void migrate(Connection& c, const std::string& path);

}  // namespace liufang::model::sql
