// The scoreboard's aggregates (model/ScoreQueries.h): the named sets behind each figure, and the
// figures' counts read from the running totals of migration 013 (model/sql/ScoreSummary.cpp),
// which the write transaction keeps, so a scoreboard sums summary rows, not items.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "model/ScoreQueries.h"
#include "model/sql/ScoreSets.h"
#include "model/sql/ScoreSummary.h"
#include "model/sql/SqlStore.h"

namespace liufang::model::sql {
namespace {

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

void SqlStore::prepareScores(const HolidayCalendar& calendar) {
  // The index is computed outside any lock (22k calendar look-ups); the flag is read again
  // under the writer slot, so two first desk views rebuild once.
  const std::vector<int32_t> index = workdayIndexOf(calendar);
  const std::string fingerprint = scoreFingerprint(index);
  if (instanceFlag("score_summary") == fingerprint) return;
  std::unique_lock<std::timed_mutex> slot(writer_, std::defer_lock);
  if (!slot.try_lock_for(std::chrono::milliseconds(opts_.busyTimeoutMs)))
    throw StorageError("database is busy: no write slot within busy_timeout");
  auto c = pool_.borrow();
  c->guarded("prepareScores", [&] {
    Step(*c, Hot::Begin).run();
    try {
      std::string have;
      {
        Step s(*c, std::string("SELECT value FROM instance_flags WHERE name = 'score_summary'"));
        if (s.row()) s.read(0, have);
      }
      if (have != fingerprint) {
        const auto started = std::chrono::steady_clock::now();
        rebuildScoreSummary(*c, index);
        spdlog::info("score summary rebuilt in {} ms (calendar or definitions changed)",
                     std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - started)
                         .count());
      }
      Step(*c, Hot::Commit).run();
    } catch (...) {
      c->rollbackIfOpen();
      throw;
    }
  });
}

std::vector<ScoreCounts> SqlStore::scoreCounts(const ScoreScope& scope,
                                               const HolidayCalendar& calendar) {
  prepareScores(calendar);
  auto c = pool_.borrow();
  return c->guarded("scoreCounts", [&] { return summedScoreCounts(*c, scope); });
}

std::vector<StateCount> SqlStore::stateCounts(const ScoreScope& scope) {
  auto c = pool_.borrow();
  return c->guarded("stateCounts", [&] { return summedStateCounts(*c, scope); });
}

int64_t SqlStore::scoreSummaryDrift() {
  auto c = pool_.borrow();
  return c->guarded("scoreSummaryDrift", [&] { return sql::scoreSummaryDrift(*c); });
}

}  // namespace liufang::model::sql
