// The meeting projection's rows (see MeetingRows.h).
#include "model/sql/MeetingRows.h"

#include "model/Errors.h"
#include "model/sql/Columns.h"

namespace liufang::model::sql {
namespace {

using Cols = Columns<Meeting>;

// Child rows of one meeting in one read, each kind in its order: agenda (k 0), attendance
// (k 1), signatures (k 2), errata (k 3). Columns: k, n, a, b, c.
const std::string& childrenSql() {
  static const std::string sql =
      "SELECT 0 AS k, ord, item_id AS n, '' AS a, '' AS b, '' AS c FROM meeting_agenda"
      " WHERE meeting_id = ?"
      " UNION ALL SELECT 1, ord, 0, party, status, delegate FROM meeting_attendance"
      " WHERE meeting_id = ?"
      " UNION ALL SELECT 2, ord, user_id, party, at, note FROM meeting_signatures"
      " WHERE meeting_id = ?"
      " UNION ALL SELECT 3, ord, user_id, text, at, '' FROM meeting_errata WHERE meeting_id = ?"
      " ORDER BY k, ord";
  return sql;
}

void writeChildren(Connection& c, const Meeting& m, unsigned children, bool replace) {
  auto clear = [&](const char* table) {
    if (replace) Step(c, std::string("DELETE FROM ") + table + " WHERE meeting_id = ?").bind(m.id).run();
  };
  if (children & kAgenda) {
    clear("meeting_agenda");
    int ord = 0;
    for (const int64_t item : m.agenda)
      Step(c, "INSERT INTO meeting_agenda (meeting_id, ord, item_id) VALUES (?, ?, ?)")
          .bind(m.id)
          .bind(ord++)
          .bind(item)
          .run();
  }
  if (children & kAttendance) {
    clear("meeting_attendance");
    int ord = 0;
    for (const auto& a : m.attendance)
      Step(c,
           "INSERT INTO meeting_attendance (meeting_id, party, status, delegate, ord)"
           " VALUES (?, ?, ?, ?, ?)")
          .bind(m.id)
          .bind(a.party)
          .bind(a.status)
          .bind(a.delegate)
          .bind(ord++)
          .run();
  }
  if (children & kSignatures) {
    clear("meeting_signatures");
    int ord = 0;
    for (const auto& s : m.signatures)
      Step(c,
           "INSERT INTO meeting_signatures (meeting_id, party, user_id, at, note, ord)"
           " VALUES (?, ?, ?, ?, ?, ?)")
          .bind(m.id)
          .bind(s.party)
          .bind(s.userId)
          .bind(s.at)
          .bind(s.note)
          .bind(ord++)
          .run();
  }
  if (children & kErrata) {
    clear("meeting_errata");
    int ord = 0;
    for (const auto& e : m.errata)
      Step(c,
           "INSERT INTO meeting_errata (meeting_id, ord, text, user_id, at) VALUES (?, ?, ?, ?, ?)")
          .bind(m.id)
          .bind(ord++)
          .bind(e.text)
          .bind(e.userId)
          .bind(e.at)
          .run();
  }
}

}  // namespace

std::optional<Meeting> readMeeting(Connection& c, int64_t id, int* utcOffsetMinutes) {
  Meeting m;
  {
    static const std::string sql = [] {
      std::string cols;
      for (const std::string& name : {std::string("id, "), std::string(Cols::data)}) cols += name;
      std::string prefixed;
      size_t start = 0;
      while (start < cols.size()) {
        size_t comma = cols.find(',', start);
        if (comma == std::string::npos) comma = cols.size();
        const size_t b = cols.find_first_not_of(' ', start);
        prefixed += (prefixed.empty() ? "m." : ", m.") + cols.substr(b, comma - b);
        start = comma + 1;
      }
      return "SELECT " + prefixed +
             ", c.utc_offset_minutes FROM meetings m JOIN communities c ON c.id = m.community_id"
             " WHERE m.id = ?";
    }();
    Step s(c, sql);
    s.bind(id);
    if (!s.row()) return std::nullopt;
    int col = 0;
    Cols::each(m, [&](auto& v) { s.read(col++, v); });
    if (utcOffsetMinutes) s.read(col, *utcOffsetMinutes);
  }
  Step s(c, childrenSql());
  s.bind(id).bind(id).bind(id).bind(id);
  while (s.row()) {
    int64_t k = 0, n = 0;
    s.read(0, k);
    s.read(2, n);
    std::string a, b, cc;
    s.read(3, a), s.read(4, b), s.read(5, cc);
    if (k == 0)
      m.agenda.push_back(n);
    else if (k == 1)
      m.attendance.push_back({a, b, cc});
    else if (k == 2)
      m.signatures.push_back({a, n, b, cc});
    else
      m.errata.push_back({a, n, b});
  }
  return m;
}

int64_t insertMeeting(Connection& c, Meeting& m) {
  static const std::string sql = std::string("INSERT INTO meetings (") + Cols::data +
                                 ") VALUES (" + placeholders(Cols::data) + ") RETURNING id";
  {
    Step s(c, sql);
    Cols::eachData(m, [&](const auto& v) { s.bind(v); });
    if (!s.row()) throw StorageError("INSERT ... RETURNING id returned no row");
    s.read(0, m.id);
  }
  writeChildren(c, m, kAllChildren, false);
  return m.id;
}

void updateMeeting(Connection& c, const Meeting& m, int64_t expectedVersion, unsigned children) {
  static const std::string sql =
      std::string("UPDATE meetings SET ") + assignments(Cols::data) + " WHERE id = ? AND version = ?";
  int changed = 0;
  {
    Step s(c, sql);
    Cols::eachData(m, [&](const auto& v) { s.bind(v); });
    s.bind(m.id).bind(expectedVersion);
    changed = s.run();
  }
  if (changed == 0)
    throw Conflict(Msg("Meeting {1} was changed by someone else; reload and try again.")
                       .arg(static_cast<long long>(m.id)));
  writeChildren(c, m, children, true);
}

}  // namespace liufang::model::sql
