// The scoreboard's aggregates (model/ScoreQueries.h): one GROUP BY per call, over the items
// raised in a period, and the named sets behind each figure.
//
// Working days in SQL: each pooled connection keeps a TEMP table workday_index(day, n), n being
// the number of working days from 2000-01-01 up to and including `day` (per the calendar), so
// the working days in (a, b] are n(b) - n(a): two primary-key lookups per closed item, inside
// the same aggregate. The table is per connection (TEMP), filled on first use and refilled only
// when the calendar's days differ from what the connection holds (a calendar file reloaded at
// run time), and it is never written to the database file, so it needs no writer and no
// migration. 60 years are about 22,000 rows (filled in ~15 ms once per connection); dates
// outside 2000..2059 count as no day at all (the item is left out of the average's sum).
#include <algorithm>
#include <map>

#include "model/ScoreQueries.h"
#include "model/sql/ScoreSets.h"
#include "model/sql/SqlStore.h"

namespace liufang::model::sql {
namespace {

const Date kFirstIndexedDay{2000, 1, 1};
const Date kEndOfIndex{2060, 1, 1};  // exclusive

const std::map<std::string, std::string>& sets() {
  static const std::map<std::string, std::string> all = [] {
    const std::string off = kLocalOffset;
    const std::string resolved = "i.state = 'closed' AND i.outcome = 'resolved'";
    return std::map<std::string, std::string>{
        {"raised", "(1 = 1)"},
        {"responded", "(i.response <> '')"},
        {"resolved", "(" + resolved + ")"},
        {"on_time",
         "(" + resolved + " AND i.due <> '' AND date(i.closed_at, " + off + ") <= i.due)"},
        {"overdue", "(i.state = 'deadline.overdue')"},
        {"due_soon", "(i.state = 'deadline.due_soon')"},
        {"on_track", "(i.state = 'deadline.on_track')"},
        {"timed", "(" + resolved + " AND i.assigned_at <> '')"},
        {"submitted", "(i.submitted_at <> '' OR i.rework_count > 0)"},
        {"reworked", "(i.rework_count > 0)"},
        {"urged", "(i.urge_count > 0)"},
        {"rated", "(i.rating <> '')"},
        {"satisfied", "(i.rating IN ('satisfied', 'basically_satisfied'))"},
    };
  }();
  return all;
}

// The working-day index of `calendar` over [kFirstIndexedDay, kEndOfIndex).
std::vector<int32_t> workdayIndexOf(const HolidayCalendar& calendar) {
  std::vector<int32_t> n;
  const int64_t first = kFirstIndexedDay.dayNumber(), end = kEndOfIndex.dayNumber();
  n.reserve(static_cast<size_t>(end - first));
  int32_t count = 0;
  for (int64_t d = first; d < end; ++d) {
    if (calendar.isWorkingDay(Date::fromDayNumber(d))) ++count;
    n.push_back(count);
  }
  return n;
}

// Makes the connection's TEMP workday_index match `index` (see the top of this file).
void ensureWorkdayIndex(Connection& c, const std::vector<int32_t>& index) {
  if (c.workdayIndex == index) return;
  auto exec = [&](const char* sql) {
    if (sqlite3_exec(c.handle(), sql, nullptr, nullptr, nullptr) != SQLITE_OK)
      raiseSqlite(c.handle(), sql);
  };
  exec("CREATE TEMP TABLE IF NOT EXISTS workday_index (day TEXT PRIMARY KEY, n INTEGER NOT NULL)"
       " WITHOUT ROWID");
  exec("BEGIN");
  try {
    exec("DELETE FROM temp.workday_index");
    const std::string insert = "INSERT INTO temp.workday_index (day, n) VALUES (?, ?)";
    const int64_t first = kFirstIndexedDay.dayNumber();
    for (size_t k = 0; k < index.size(); ++k) {
      const std::string day = Date::fromDayNumber(first + static_cast<int64_t>(k)).str();
      Step s(c, insert);
      s.bind(day).bind(int64_t{index[k]});
      s.run();
    }
    exec("COMMIT");
  } catch (...) {
    c.rollbackIfOpen();
    c.workdayIndex.clear();
    throw;
  }
  c.workdayIndex = index;
}

// The scope's WHERE clause (items aliased i) and its parameters.
std::string scopeWhere(const ScoreScope& scope, std::vector<Param>& params) {
  std::string where = " WHERE i.created_at >= ? AND i.created_at < ?";
  params.emplace_back(scope.fromInstant);
  params.emplace_back(scope.toInstant);
  if (scope.communityId != 0) {
    where += " AND i.community_id = ?";
    params.emplace_back(Poco::Int64{scope.communityId});
  }
  return where;
}

std::string countOf(const std::string& set) {
  return "COUNT(CASE WHEN " + scoreSetSql(set) + " THEN 1 END)";
}

// The aggregate: one pass over the scope's items, grouped by (community, lead party, month).
// The month is taken at the scope's offset (a bound "480 minutes"), not per row's community.
std::string scoreSql() {
  const std::string off = kLocalOffset;
  const std::string days =
      "COALESCE(SUM(CASE WHEN " + scoreSetSql("timed") +
      " THEN (SELECT w.n FROM temp.workday_index w WHERE w.day = date(i.closed_at, " + off +
      ")) - (SELECT w.n FROM temp.workday_index w WHERE w.day = date(i.assigned_at, " + off +
      ")) END), 0)";
  return "SELECT i.community_id, COALESCE(h.party, ''), substr(date(i.created_at, ?), 1, 7),"
         " COUNT(*), " +
         countOf("responded") + ", " + countOf("resolved") + ", " + countOf("on_time") + ", " +
         countOf("overdue") + ", " + countOf("timed") + ", " + days + ", " +
         countOf("submitted") + ", " + countOf("reworked") + ", " + countOf("urged") + ", " +
         countOf("rated") + ", " + countOf("satisfied") +
         ", COALESCE(SUM(i.urge_count), 0)"
         " FROM items i LEFT JOIN item_handlers h ON h.item_id = i.id AND h.is_lead = 1"
         "{where} GROUP BY 1, 2, 3"
         " ORDER BY 1, (SELECT p.sort_order FROM parties p"
         " WHERE p.community_id = i.community_id AND p.code = h.party), 2, 3";
}

}  // namespace

const std::string& scoreSetSql(const std::string& name) {
  static const std::string nothing = "(0 = 1)";
  auto it = sets().find(name);
  return it == sets().end() ? nothing : it->second;
}

}  // namespace liufang::model::sql

namespace liufang::model {

const std::vector<std::string>& scoreSetNames() {
  static const std::vector<std::string> names = {
      "raised",   "responded", "resolved", "on_time", "overdue", "due_soon",
      "on_track", "timed",     "submitted", "reworked", "urged",  "rated", "satisfied"};
  return names;
}

bool isScoreSet(const std::string& name) {
  const auto& n = scoreSetNames();
  return std::find(n.begin(), n.end(), name) != n.end();
}

}  // namespace liufang::model

namespace liufang::model::sql {

std::vector<ScoreCounts> SqlStore::scoreCounts(const ScoreScope& scope,
                                               const HolidayCalendar& calendar) {
  // Computed before borrowing: 22k calendar look-ups, and compared with what the connection has.
  const std::vector<int32_t> index = workdayIndexOf(calendar);
  std::vector<Param> params{std::to_string(scope.utcOffsetMinutes) + " minutes"};
  const std::string where = scopeWhere(scope, params);
  std::string sql = scoreSql();
  sql.replace(sql.find("{where}"), 7, where);
  auto c = pool_.borrow();
  return c->guarded("scoreCounts", [&] {
    ensureWorkdayIndex(*c, index);
    Step s(*c, sql);
    bindParams(s, params);
    std::vector<ScoreCounts> out;
    while (s.row()) {
      ScoreCounts r;
      int col = 0;
      s.read(col++, r.communityId);
      s.read(col++, r.party);
      s.read(col++, r.month);
      for (auto* v : {&r.raised, &r.responded, &r.resolved, &r.onTime, &r.overdue, &r.timed,
                      &r.timedWorkingDays, &r.submitted, &r.reworked, &r.urged, &r.rated,
                      &r.satisfied, &r.urges})
        s.read(col++, *v);
      out.push_back(std::move(r));
    }
    return out;
  });
}

std::vector<StateCount> SqlStore::stateCounts(const ScoreScope& scope) {
  std::vector<Param> params;
  const std::string sql = "SELECT i.community_id, i.state, COUNT(*) FROM items i" +
                          scopeWhere(scope, params) +
                          " GROUP BY i.community_id, i.state ORDER BY i.community_id, i.state";
  auto c = pool_.borrow();
  return c->guarded("stateCounts", [&] {
    Step s(*c, sql);
    bindParams(s, params);
    std::vector<StateCount> out;
    while (s.row()) {
      StateCount r;
      s.read(0, r.communityId);
      s.read(1, r.state);
      s.read(2, r.count);
      out.push_back(std::move(r));
    }
    return out;
  });
}

}  // namespace liufang::model::sql
