#include "workflow/Scoreboard.h"

#include <chrono>

#include "model/Clock.h"
#include "model/Errors.h"
#include "workflow/Engine.h"

namespace liufang::workflow {
namespace {

// The instant a community-local date begins.
std::string startOf(const model::Date& d, int utcOffsetMinutes) {
  const int64_t secs = d.dayNumber() * 86400 - int64_t{utcOffsetMinutes} * 60;
  return model::formatInstant(model::Instant(std::chrono::seconds(secs)));
}

Figure figure(const char* key, const char* label, const char* rule, const char* unit,
              int64_t num, int64_t den, const char* numSet, const char* denSet) {
  Figure f;
  f.key = key;
  f.label = label;
  f.rule = rule;
  f.unit = unit;
  f.numerator = num;
  f.denominator = den;
  f.numeratorSet = numSet;
  f.denominatorSet = denSet;
  return f;
}

ScoreLine lineOf(const model::ScoreCounts& c) {
  ScoreLine l;
  l.communityId = c.communityId;
  l.party = c.party;
  l.month = c.month;
  l.raised = c.raised;
  l.figures = {
      figure("response_rate", "Response rate",
             "Items with a recorded response, divided by all items raised in the period.",
             "percent", c.responded, c.raised, "responded", "raised"),
      figure("on_time_rate", "On-time completion rate",
             "Items closed as resolved on or before their due date (community-local date), "
             "divided by all items closed as resolved.",
             "percent", c.onTime, c.resolved, "on_time", "resolved"),
      figure("overdue", "Overdue count",
             "Items past their deadline without a submitted result (red light), counted now.",
             "count", c.overdue, c.raised, "overdue", "raised"),
      figure("avg_days", "Average handling time",
             "Working days from assignment to closing (official holidays excluded, make-up "
             "working days counted), summed over the items closed as resolved, divided by "
             "their number.",
             "days", c.timedWorkingDays, c.timed, "timed", "timed"),
      figure("rework_rate", "Rework rate",
             "Items returned for rework at least once, divided by items whose result was "
             "submitted at least once.",
             "percent", c.reworked, c.submitted, "reworked", "submitted"),
      figure("urges", "Urges", "Urges summed over all items raised in the period.", "count",
             c.urges, c.raised, "urged", "raised"),
      figure("satisfaction", "Satisfaction rate",
             "Items rated satisfied or basically satisfied, divided by the items the proposer "
             "rated.",
             "percent", c.satisfied, c.rated, "satisfied", "rated"),
  };
  return l;
}

void addTo(model::ScoreCounts& sum, const model::ScoreCounts& c) {
  sum.raised += c.raised;
  sum.responded += c.responded;
  sum.resolved += c.resolved;
  sum.onTime += c.onTime;
  sum.overdue += c.overdue;
  sum.timed += c.timed;
  sum.timedWorkingDays += c.timedWorkingDays;
  sum.submitted += c.submitted;
  sum.reworked += c.reworked;
  sum.urged += c.urged;
  sum.rated += c.rated;
  sum.satisfied += c.satisfied;
  sum.urges += c.urges;
}

}  // namespace

std::optional<double> Figure::value() const {
  if (unit == "count") return static_cast<double>(numerator);
  if (denominator == 0) return std::nullopt;
  const double ratio = static_cast<double>(numerator) / static_cast<double>(denominator);
  return unit == "percent" ? 100.0 * ratio : ratio;
}

const std::vector<std::string>& figureKeys() {
  static const std::vector<std::string> keys = {"response_rate", "on_time_rate", "overdue",
                                                "avg_days",      "rework_rate",  "urges",
                                                "satisfaction"};
  return keys;
}

ScorePeriod defaultPeriod(const model::Date& today) {
  ScorePeriod p;
  p.to = today;
  p.from = today.plusDays(-364);
  return p;
}

ScorePeriod allowedPeriod(model::Store& store, const model::User& viewer, ScorePeriod asked) {
  if (!viewer.supervisor && !viewer.convener)
    throw Forbidden("Only supervisors and conveners can see the supervision desk.");
  if (asked.to < asked.from) throw Invalid("The period must not end before it begins.");
  if (asked.to.dayNumber() - asked.from.dayNumber() > 3660)
    throw Invalid("The period must not be longer than ten years.");
  if (viewer.communityId != 0) {
    asked.communityId = viewer.communityId;
  } else if (asked.communityId != 0 && !store.findCommunity(asked.communityId)) {
    throw NotFound("There is no such community.");
  }
  return asked;
}

model::ScoreScope scopeOf(model::Store& store, const ScorePeriod& period) {
  // Period bounds are taken at the community's UTC offset; for every community together, at
  // the first community's (China has one time zone; a mixed district would need one query
  // per offset).
  int offset = 480;
  if (period.communityId != 0) {
    if (auto c = store.findCommunity(period.communityId)) offset = c->utcOffsetMinutes;
  } else {
    auto all = store.communities();
    if (!all.empty()) offset = all.front().utcOffsetMinutes;
  }
  model::ScoreScope s;
  s.utcOffsetMinutes = offset;
  s.communityId = period.communityId;
  s.fromInstant = startOf(period.from, offset);
  s.toInstant = startOf(period.to.plusDays(1), offset);
  s.fromDate = period.from;
  s.toDate = period.to;
  return s;
}

Scoreboard loadScoreboard(model::Store& store, const model::HolidayCalendar& calendar,
                          const model::User& viewer, const ScorePeriod& asked) {
  Scoreboard b;
  b.period = allowedPeriod(store, viewer, asked);
  b.scope = scopeOf(store, b.period);
  store.prepareScores(calendar);
  b.states = store.stateCounts(b.scope);
  for (const auto& s : b.states) {
    b.stateTotals[s.state] += s.count;
    model::Item probe;
    probe.state = s.state;
    const std::string light = Engine::light(probe);
    if (!light.empty()) b.lightTotals[light] += s.count;
  }
  for (const char* l : {"green", "yellow", "red"}) b.lightTotals.emplace(l, 0);

  // One aggregate per (community, lead party, month); rolled up here into the three tables
  // (a few hundred aggregate rows at most, in the store's order).
  model::ScoreCounts total;
  std::vector<model::ScoreCounts> communities, parties;
  std::map<std::string, model::ScoreCounts> months;
  for (const auto& c : store.scoreCounts(b.scope, calendar)) {
    addTo(total, c);
    if (communities.empty() || communities.back().communityId != c.communityId) {
      communities.emplace_back();
      communities.back().communityId = c.communityId;
    }
    addTo(communities.back(), c);
    if (!c.party.empty()) {
      if (parties.empty() || parties.back().communityId != c.communityId ||
          parties.back().party != c.party) {
        parties.emplace_back();
        parties.back().communityId = c.communityId;
        parties.back().party = c.party;
      }
      addTo(parties.back(), c);
    }
    auto& m = months[c.month];
    m.month = c.month;
    addTo(m, c);
  }
  b.total = lineOf(total);
  for (const auto& c : communities) b.communities.push_back(lineOf(c));
  for (const auto& c : parties) b.parties.push_back(lineOf(c));
  for (const auto& [month, c] : months) b.months.push_back(lineOf(c));
  return b;
}

}  // namespace liufang::workflow
