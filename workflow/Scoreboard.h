#pragma once
// The supervision desk's figures (督查台): for a period and a scope (one community, or every
// community the viewer sees, side by side), counts by state and by light, and per-community,
// per-party and per-month scoreboards. Every figure carries its numerator, denominator, the
// rule it follows (an English msgid) and the named item sets behind both numbers, so a page
// can link to the items and explain the figure. The counting is the store's: one SQL GROUP BY
// per table (model/ScoreQueries.h), never a loop over listed items. Shared by the desk page,
// /api/v1/scoreboard and the ledger's filter.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/Calendar.h"
#include "model/Store.h"
#include "model/Types.h"

namespace liufang::workflow {

// The period and scope a viewer asks for. Dates are community-local and inclusive.
struct ScorePeriod {
  model::Date from;
  model::Date to;
  int64_t communityId = 0;  // 0: every community the viewer sees
};

// The period a desk shows when none is asked for: the 365 days up to `today`.
ScorePeriod defaultPeriod(const model::Date& today);

// Resolves what `viewer` may see of `asked`: a user tied to a community sees only it. Throws
// Forbidden for a user who is neither supervisor nor convener, Invalid if from > to or the
// period is longer than ten years, NotFound for an unknown community.
ScorePeriod allowedPeriod(model::Store& store, const model::User& viewer, ScorePeriod asked);

// The item query (ItemQuery::createdFrom/createdTo, community) of a period: the ledger and the
// figures' links list items with it.
model::ScoreScope scopeOf(model::Store& store, const ScorePeriod& period);

// One figure, explaining itself.
struct Figure {
  std::string key;    // response_rate, on_time_rate, overdue, avg_days, rework_rate, urges,
                      // satisfaction
  std::string label;  // English msgid, e.g. "Response rate"
  std::string rule;   // English msgid: how it is computed
  std::string unit;   // "percent" (numerator/denominator), "count" (numerator), "days" (ratio)
  int64_t numerator = 0;
  int64_t denominator = 0;
  std::string numeratorSet;    // model::scoreSetNames() entry behind the numerator
  std::string denominatorSet;  // ... and behind the denominator
  // The figure's value: a percentage (0..100), a count, or working days; nullopt when the
  // denominator is 0 (no items to rate).
  std::optional<double> value() const;
};

// One row of a scoreboard.
struct ScoreLine {
  int64_t communityId = 0;
  std::string party;  // lead party code (party rows)
  std::string month;  // "YYYY-MM" (trend rows)
  int64_t raised = 0;
  std::vector<Figure> figures;  // in figureKeys() order
};

// The figure keys in display order.
const std::vector<std::string>& figureKeys();

struct Scoreboard {
  ScorePeriod period;       // as allowed
  model::ScoreScope scope;  // its UTC bounds
  std::vector<model::StateCount> states;        // per community and full state
  std::map<std::string, int64_t> stateTotals;   // full state -> items, all communities
  std::map<std::string, int64_t> lightTotals;   // green / yellow / red -> items
  ScoreLine total;                              // every community in scope together
  std::vector<ScoreLine> communities;           // one per community with items
  std::vector<ScoreLine> parties;               // per (community, lead party)
  std::vector<ScoreLine> months;                // per month raised, communities together
};

// The desk's figures for `period` as `viewer` may see it (see allowedPeriod). Runs two
// aggregates: states, and (community, lead party, month) rolled up into the three tables.
Scoreboard loadScoreboard(model::Store& store, const model::HolidayCalendar& calendar,
                          const model::User& viewer, const ScorePeriod& period);

}  // namespace liufang::workflow
