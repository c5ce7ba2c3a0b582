// The desk's running totals (see ScoreSummary.h and migration 013).
//
// Every summed column is defined once, below, as a per-item SQL expression over the named sets
// of SqlStoreScores.cpp; the same expressions keep the totals (one item at a time, moved),
// rebuild them (summed over every item) and check them (scoreSummaryDrift recounts the items
// and compares). Buckets are community-local dates of the item's created_at.
#include "model/sql/ScoreSummary.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <utility>

#include "model/sql/ReadRows.h"
#include "model/sql/ScoreSets.h"

namespace liufang::model::sql {
namespace {

const Date kFirstIndexedDay{2000, 1, 1};
const Date kEndOfIndex{2060, 1, 1};  // exclusive

// (column, per-item expression), in ScoreCounts order.
const std::vector<std::pair<std::string, std::string>>& columns() {
  static const std::vector<std::pair<std::string, std::string>> all = [] {
    const std::string off = kLocalOffset;
    auto one = [](const char* set) {
      return "(CASE WHEN " + scoreSetSql(set) + " THEN 1 ELSE 0 END)";
    };
    // Dates outside the index count as no working days (the item adds 0 to the sum).
    const std::string days = "COALESCE(CASE WHEN " + scoreSetSql("timed") +
                             " THEN (SELECT w.n FROM workday_index w WHERE w.day = date("
                             "i.closed_at, " + off +
                             ")) - (SELECT w.n FROM workday_index w WHERE w.day = date("
                             "i.assigned_at, " + off + ")) END, 0)";
    return std::vector<std::pair<std::string, std::string>>{
        {"raised", "1"},           {"responded", one("responded")},
        {"resolved", one("resolved")}, {"on_time", one("on_time")},
        {"overdue", one("overdue")},   {"timed", one("timed")},
        {"timed_days", days},          {"submitted", one("submitted")},
        {"reworked", one("reworked")}, {"urged", one("urged")},
        {"rated", one("rated")},       {"satisfied", one("satisfied")},
        {"urges", "i.urge_count"},
    };
  }();
  return all;
}

std::string names(const std::string& prefix = "") {
  std::string out;
  for (const auto& [name, expr] : columns()) out += ", " + prefix + name;
  return out;
}

// The community-local day raised; '' for a row without a time (no period holds it).
std::string dayOf() {
  return std::string("COALESCE(date(i.created_at, ") + kLocalOffset + "), '')";
}

// The key columns of an item's row, from items i and its lead handler h.
const std::string kItemFrom = std::string(" FROM items i") + kLeadHandlerJoin;

// An item's row in the totals: its key and what it counts, as SQL sees the item now.
std::string itemRowSql() { return "SELECT " + scoreRowColumns() + kItemFrom + " WHERE i.id = ?"; }

// Adds each of `rows` VALUES rows (grain, bucket, community, party, state, counts...) to the
// row with its key, created at zero if missing: one statement for an item's day and month rows
// (and, when its key moved, the old ones' negation).
std::string upsertSql(size_t rows) {
  std::string one = "(?, ?, ?, ?, ?";
  for (size_t k = 0; k < columns().size(); ++k) one += ", ?";
  one += ")";
  std::string sql = "INSERT INTO score_totals (grain, bucket, community_id, party, state" +
                    names() + ") VALUES " + one;
  for (size_t r = 1; r < rows; ++r) sql += ", " + one;
  sql += " ON CONFLICT (grain, bucket, community_id, party, state) DO UPDATE SET ";
  bool first = true;
  for (const auto& [name, expr] : columns()) {
    sql += (first ? "" : ", ") + name + " = " + name + " + excluded." + name;
    first = false;
  }
  return sql;
}

// The items recounted per (day, community, party, state): what the day rows must hold.
std::string recountSql() {
  std::string sql = "SELECT " + dayOf() +
                    " AS bucket, i.community_id AS community_id, COALESCE(h.party, '') AS party,"
                    " i.state AS state";
  for (const auto& [name, expr] : columns()) sql += ", SUM(" + expr + ") AS " + name;
  return sql + kItemFrom + " GROUP BY 1, 2, 3, 4";
}

// The day rows rolled up into months: what the month rows must hold.
std::string monthsFromDaysSql() {
  std::string sql = "SELECT substr(bucket, 1, 7) AS bucket, community_id, party, state";
  for (const auto& [name, expr] : columns()) sql += ", SUM(" + name + ") AS " + name;
  return sql + " FROM score_totals WHERE grain = 'day' GROUP BY 1, 2, 3, 4";
}

// The rows of one grain as (bucket, community_id, party, state, counts...).
std::string grainRows(const char* grain) {
  return "SELECT bucket, community_id, party, state" + names() +
         " FROM score_totals WHERE grain = '" + grain + "'";
}

// The rows of `sql` (bucket, community_id, party, state, counts...) that count anything: rows
// emptied by items moving on stay in the totals, all zero, and are not drift.
std::string nonZeroRows(const std::string& sql) {
  std::string out = "SELECT * FROM (" + sql + ") WHERE 0";
  for (const auto& [name, expr] : columns()) out += " OR " + name + " <> 0";
  return out;
}

void exec(Connection& c, const std::string& sql) {
  if (sqlite3_exec(c.handle(), sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
    raiseSqlite(c.handle(), sql);
}

int64_t countOf(Connection& c, const std::string& sql) {
  Step s(c, sql);
  int64_t n = 0;
  if (s.row()) s.read(0, n);
  return n;
}

// The scope as ranges of buckets: whole months from the month rows, the ragged ends by day.
struct Ranges {
  std::string monthFrom, monthTo;   // empty range when from > to
  std::string day1From, day1To;     // the part-month at the start
  std::string day2From, day2To;     // the part-month at the end
};

Date firstOfMonth(const Date& d) { return Date{d.year, d.month, 1}; }
Date firstOfNextMonth(const Date& d) {
  return d.month == 12 ? Date{d.year + 1, 1, 1} : Date{d.year, d.month + 1, 1};
}

Ranges rangesOf(const ScoreScope& scope) {
  const Date from = scope.fromDate, to = scope.toDate;
  const Date fullFrom = from.day == 1 ? from : firstOfNextMonth(from);
  const Date fullEnd = firstOfNextMonth(to) == to.plusDays(1) ? to : firstOfMonth(to).plusDays(-1);
  Ranges r;
  if (fullEnd < fullFrom) {  // no whole month: every day from the day table
    r.monthFrom = "9999-12", r.monthTo = "0000-01";
    r.day1From = from.str(), r.day1To = to.str();
    r.day2From = "9999-12-31", r.day2To = "0000-01-01";
    return r;
  }
  r.monthFrom = fullFrom.str().substr(0, 7), r.monthTo = fullEnd.str().substr(0, 7);
  r.day1From = from.str(), r.day1To = fullFrom.plusDays(-1).str();
  r.day2From = fullEnd.plusDays(1).str(), r.day2To = to.str();
  return r;
}

// The scope's rows of both tables as one set (community_id, party, month, state, counts...).
std::string scopeRows(const ScoreScope& scope, std::vector<Param>& params) {
  const Ranges r = rangesOf(scope);
  const std::string community = scope.communityId != 0 ? " AND community_id = ?" : "";
  const std::string cols = names();
  std::string sql = "SELECT community_id, party, bucket AS month, state" + cols +
                    " FROM score_totals WHERE grain = 'month' AND bucket BETWEEN ? AND ?" +
                    community +
                    " UNION ALL SELECT community_id, party, substr(bucket, 1, 7), state" + cols +
                    " FROM score_totals WHERE grain = 'day'"
                    " AND (bucket BETWEEN ? AND ? OR bucket BETWEEN ? AND ?)" + community;
  params.emplace_back(r.monthFrom), params.emplace_back(r.monthTo);
  if (scope.communityId != 0) params.emplace_back(Poco::Int64{scope.communityId});
  params.emplace_back(r.day1From), params.emplace_back(r.day1To);
  params.emplace_back(r.day2From), params.emplace_back(r.day2To);
  if (scope.communityId != 0) params.emplace_back(Poco::Int64{scope.communityId});
  return sql;
}

}  // namespace

std::string scoreRowColumns() {
  std::string sql = dayOf() + " AS day, i.community_id AS community_id,"
                    " COALESCE(h.party, '') AS party, i.state AS state";
  for (const auto& [name, expr] : columns()) sql += ", " + expr + " AS " + name;
  return sql;
}

ScoreRow readScoreRowAt(const Step& s, int firstColumn) {
  ScoreRow r;
  int col = firstColumn;
  s.read(col++, r.day), s.read(col++, r.communityId), s.read(col++, r.party);
  s.read(col++, r.state);
  r.counts.resize(columns().size());
  for (auto& v : r.counts) s.read(col++, v);
  return r;
}

std::optional<ScoreRow> readScoreRow(Connection& c, int64_t itemId) {
  static const std::string sql = itemRowSql();
  Step s(c, sql);
  s.bind(itemId);
  if (!s.row()) return std::nullopt;
  return readScoreRowAt(s, 0);
}

void applyScoreChange(Connection& c, const std::optional<ScoreRow>& before,
                      const std::optional<ScoreRow>& after) {
  // (row, sign) pairs to add; most events keep the key (an urge, a position): one difference.
  std::vector<std::pair<ScoreRow, int64_t>> adds;
  if (before && after && before->sameKey(*after)) {
    ScoreRow delta = *after;
    bool any = false;
    for (size_t k = 0; k < delta.counts.size(); ++k) {
      delta.counts[k] -= before->counts[k];
      any = any || delta.counts[k] != 0;
    }
    if (!any) return;
    adds.emplace_back(std::move(delta), 1);
  } else {
    if (before) adds.emplace_back(*before, -1);
    if (after) adds.emplace_back(*after, 1);
  }
  if (adds.empty()) return;
  static const std::string two = upsertSql(2), four = upsertSql(4);
  Step s(c, adds.size() == 1 ? two : four);
  std::vector<std::string> months;  // bound by reference: must outlive the Step's run
  months.reserve(adds.size());
  for (const auto& [row, sign] : adds) months.push_back(row.day.substr(0, 7));
  static const std::string day = "day", month = "month";
  for (size_t k = 0; k < adds.size(); ++k) {
    const auto& [row, sign] = adds[k];
    for (const std::string* grain : {&day, &month}) {
      s.bind(*grain).bind(grain == &day ? row.day : months[k]);
      s.bind(row.communityId).bind(row.party).bind(row.state);
      for (int64_t v : row.counts) s.bind(sign * v);
    }
  }
  s.run();
}

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

std::string scoreFingerprint(const std::vector<int32_t>& index) {
  // FNV-1a over the index and the column definitions: either changing means a rebuild.
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&](const void* p, size_t n) {
    for (size_t k = 0; k < n; ++k) {
      h ^= static_cast<const unsigned char*>(p)[k];
      h *= 1099511628211ULL;
    }
  };
  mix(index.data(), index.size() * sizeof(int32_t));
  for (const auto& [name, expr] : columns()) mix(expr.data(), expr.size());
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

void rebuildScoreSummary(Connection& c, const std::vector<int32_t>& index) {
  exec(c, "DELETE FROM workday_index");
  {
    const int64_t first = kFirstIndexedDay.dayNumber();
    const std::string insert = "INSERT INTO workday_index (day, n) VALUES (?, ?)";
    for (size_t k = 0; k < index.size(); ++k) {
      const std::string day = Date::fromDayNumber(first + static_cast<int64_t>(k)).str();
      Step s(c, insert);
      s.bind(day).bind(int64_t{index[k]});
      s.run();
    }
  }
  exec(c, "DELETE FROM score_totals");
  exec(c, "INSERT INTO score_totals (grain, bucket, community_id, party, state" + names() +
              ") SELECT 'day', *  FROM (" + recountSql() + ")");
  exec(c, "INSERT INTO score_totals (grain, bucket, community_id, party, state" + names() +
              ") SELECT 'month', * FROM (" + monthsFromDaysSql() + ")");
  exec(c, "INSERT INTO instance_flags (name, value) VALUES ('score_summary', '" +
              scoreFingerprint(index) + "') ON CONFLICT (name) DO UPDATE SET value = excluded.value");
}

int64_t scoreSummaryDrift(Connection& c) {
  // Logs the first rows that differ: an operator (or a test) sees which bucket drifted.
  auto logged = [&](const std::string& table, const char* side, const std::string& sql) {
    Step s(c, "SELECT * FROM (" + sql + ") LIMIT 3");
    while (s.row()) {
      std::string bucket, party, state;
      int64_t community = 0, raised = 0;
      s.read(0, bucket), s.read(1, community), s.read(2, party), s.read(3, state);
      s.read(4, raised);
      spdlog::warn("{} drift ({}): bucket {} community {} party '{}' state {} raised {}", table,
                   side, bucket, community, party, state, raised);
    }
  };
  auto differ = [&](std::string want, const char* grain) {
    want = nonZeroRows(want);
    const std::string have = nonZeroRows(grainRows(grain));
    const std::string table = std::string(grain) + " totals";
    const int64_t missing = countOf(c, "SELECT COUNT(*) FROM (" + want + " EXCEPT " + have + ")");
    const int64_t extra = countOf(c, "SELECT COUNT(*) FROM (" + have + " EXCEPT " + want + ")");
    if (missing) logged(table, "recount has", want + " EXCEPT " + have);
    if (extra) logged(table, "totals have", have + " EXCEPT " + want);
    return missing + extra;
  };
  return differ(recountSql(), "day") + differ(monthsFromDaysSql(), "month");
}

std::vector<ScoreCounts> summedScoreCounts(Connection& c, const ScoreScope& scope) {
  std::vector<Param> params;
  std::string sql = "SELECT s.community_id, s.party, s.month";
  for (const auto& [name, expr] : columns()) sql += ", SUM(s." + name + ")";
  sql += " FROM (" + scopeRows(scope, params) +
         ") s GROUP BY 1, 2, 3 HAVING SUM(s.raised) <> 0"
         " ORDER BY 1, (SELECT p.sort_order FROM parties p"
         " WHERE p.community_id = s.community_id AND p.code = s.party), 2, 3";
  Step s(c, sql);
  bindParams(s, params);
  std::vector<ScoreCounts> out;
  while (s.row()) {
    ScoreCounts r;
    s.read(0, r.communityId), s.read(1, r.party), s.read(2, r.month);
    int col = 3;
    for (auto* v : {&r.raised, &r.responded, &r.resolved, &r.onTime, &r.overdue, &r.timed,
                    &r.timedWorkingDays, &r.submitted, &r.reworked, &r.urged, &r.rated,
                    &r.satisfied, &r.urges})
      s.read(col++, *v);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<StateCount> summedStateCounts(Connection& c, const ScoreScope& scope) {
  std::vector<Param> params;
  const std::string sql = "SELECT s.community_id, s.state, SUM(s.raised) FROM (" +
                          scopeRows(scope, params) +
                          ") s GROUP BY 1, 2 HAVING SUM(s.raised) <> 0 ORDER BY 1, 2";
  Step s(c, sql);
  bindParams(s, params);
  std::vector<StateCount> out;
  while (s.row()) {
    StateCount r;
    s.read(0, r.communityId), s.read(1, r.state), s.read(2, r.count);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace liufang::model::sql
