#pragma once
// Scoreboard aggregates for the supervision desk (督查台): counts of items raised in a period,
// grouped by community, by lead party or by month, each answered by one GROUP BY query. Part
// of model::Store (Store.h). The named item sets below are the one definition of what each
// figure counts: the aggregates sum them and ItemQuery::scoreSet lists them, so a figure and
// the items behind it can never disagree.
#include <cstdint>
#include <string>
#include <vector>

#include "model/Calendar.h"

namespace liufang::model {

// The named item sets a figure counts (ItemQuery::scoreSet):
//   raised     every item raised in the period
//   responded  has a recorded response (回音)
//   resolved   closed with outcome "resolved"
//   on_time    resolved, closed (community-local date) on or before its due date
//   overdue    in deadline.overdue now (a red light)
//   due_soon   in deadline.due_soon now (yellow); on_track: deadline.on_track now (green)
//   timed      resolved and assigned: the items 平均办理时长 averages over
//   submitted  a result was submitted at least once (now in review, closed, or returned)
//   reworked   returned for rework at least once
//   urged      urged at least once
//   rated      rated by the proposer
//   satisfied  rated satisfied or basically satisfied
const std::vector<std::string>& scoreSetNames();
// Whether name is one of scoreSetNames().
bool isScoreSet(const std::string& name);

// Which items a scoreboard counts: those raised in [fromInstant, toInstant) (UTC instants,
// formatInstant() form, which sort as text) in one community or all (communityId 0).
struct ScoreScope {
  int64_t communityId = 0;
  std::string fromInstant;
  std::string toInstant;
  int utcOffsetMinutes = 480;  // the offset the instants above were taken at
  // The same period as community-local dates (inclusive): the running totals are kept by the
  // community-local day and month an item was raised in.
  Date fromDate, toDate;
};

// The counts behind every figure, for one (community, lead party, month raised) group.
struct ScoreCounts {
  int64_t communityId = 0;
  std::string party;  // the lead party's code; "" for items not yet assigned
  std::string month;  // "YYYY-MM" the items were raised in
  int64_t raised = 0, responded = 0, resolved = 0, onTime = 0, overdue = 0;
  int64_t timed = 0;
  int64_t timedWorkingDays = 0;  // sum over `timed` of working days from assigned to closed
  int64_t submitted = 0, reworked = 0, urged = 0, rated = 0, satisfied = 0;
  int64_t urges = 0;  // sum of urge counts (催办次数)
};

// Items per full state name for one community in the scope.
struct StateCount {
  int64_t communityId = 0;
  std::string state;
  int64_t count = 0;
};

class ScoreQueries {
 public:
  virtual ~ScoreQueries() = default;

  // The counts of items in scope per (community, lead party, month raised), summed from the
  // running totals (whole months by month, the period's ragged ends by day), which callers
  // roll up into communities, parties and months. Ordered by community, the party's roster
  // order, month. Working days (timedWorkingDays) are counted with `calendar` between the
  // community-local dates of assignment and closing (prepareScores first).
  virtual std::vector<ScoreCounts> scoreCounts(const ScoreScope& scope,
                                               const HolidayCalendar& calendar) = 0;
  // Items in scope per (community, full state).
  virtual std::vector<StateCount> stateCounts(const ScoreScope& scope) = 0;

  // Makes the running totals (migration 013) match `calendar` and the current definitions:
  // a no-op (one flag read) when they do; otherwise rebuilds them from the items under the
  // writer slot (seconds at 1M items). `serve` calls it before it listens; scoreCounts too.
  virtual void prepareScores(const HolidayCalendar& calendar) = 0;
  // Rows of the running totals that differ from a recount of the items: 0 when they are right
  // (`liufang verify`, tests).
  virtual int64_t scoreSummaryDrift() = 0;
};

}  // namespace liufang::model
