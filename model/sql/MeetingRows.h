#pragma once
// The meeting projection's rows (migration 004): the meetings row and its agenda, attendance,
// signature and erratum rows, read and written on one connection. Shared by the write
// transaction (the Engine's path) and the store's reads, so the SQL lives once.
#include <optional>

#include "model/Types.h"
#include "model/sql/Connection.h"

namespace liufang::model::sql {

// Which child tables an update rewrites.
enum MeetingChildren : unsigned {
  kAgenda = 1,
  kAttendance = 2,
  kSignatures = 4,
  kErrata = 8,
  kAllChildren = 15
};

// Meeting `id` with its child rows; nullopt if there is none. utcOffsetMinutes, if given,
// receives its community's UTC offset (read in the same statement).
std::optional<Meeting> readMeeting(Connection& c, int64_t id, int* utcOffsetMinutes = nullptr);
// Inserts the row and its children; writes the new id into m. Returns it.
int64_t insertMeeting(Connection& c, Meeting& m);
// Writes the row if its stored version is still expectedVersion (else throws Conflict) and
// rewrites the child tables named in `children`.
void updateMeeting(Connection& c, const Meeting& m, int64_t expectedVersion, unsigned children);

}  // namespace liufang::model::sql
