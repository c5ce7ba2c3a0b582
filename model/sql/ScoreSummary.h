#pragma once
// The supervision desk's running totals (migration 013): score_totals holds, per (day or month
// raised, community, lead party, state), the counts of the named item sets
// (model/ScoreQueries.h) over the items raised then. The write transaction keeps them
// (readScoreRow before and after it changes an item, applyScoreChange between, in the same
// transaction), so a scoreboard sums a few thousand rows however many items there are.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/Calendar.h"
#include "model/ScoreQueries.h"
#include "model/sql/Connection.h"

namespace liufang::model::sql {

// An item's row in the totals: its key (community-local day raised, community, lead party,
// state) and what it adds to each summed column.
struct ScoreRow {
  std::string day;
  int64_t communityId = 0;
  std::string party, state;
  std::vector<int64_t> counts;
  bool sameKey(const ScoreRow& o) const {
    return day == o.day && communityId == o.communityId && party == o.party && state == o.state;
  }
};

// The join that gives an item `i` its lead handler `h`, and the columns of its totals row over
// them (day, community_id, party, state, counts...): the write transaction's item read selects
// them too, so the row before a write costs no statement of its own.
inline constexpr const char* kLeadHandlerJoin =
    " LEFT JOIN item_handlers h ON h.item_id = i.id AND h.is_lead = 1";
std::string scoreRowColumns();
// The totals row from a statement that selected scoreRowColumns() from `firstColumn` on.
ScoreRow readScoreRowAt(const Step& s, int firstColumn);

// The item's row as it stands now in the transaction; nullopt if there is no such item.
std::optional<ScoreRow> readScoreRow(Connection& c, int64_t itemId);
// Moves the totals from `before` (the item's row before the write; nullopt for a new item) to
// `after` (its row after), in one upsert of its day and month rows: the difference when the
// key is the same (nothing at all when no count changed), else the old rows out and the new
// in. WriteTx reads both rows around every item write, in the same transaction.
void applyScoreChange(Connection& c, const std::optional<ScoreRow>& before,
                      const std::optional<ScoreRow>& after);

// The working-day index of `calendar`: element k is the number of working days from
// 2000-01-01 up to and including that date + k days (2000..2059).
std::vector<int32_t> workdayIndexOf(const HolidayCalendar& calendar);

// What the totals were built with: the calendar's index and the definitions of the sets. The
// instance flag "score_summary" holds it; a mismatch means the totals must be rebuilt.
std::string scoreFingerprint(const std::vector<int32_t>& index);

// Rebuilds workday_index and both tables from the items and sets the flag, in the caller's
// write transaction.
void rebuildScoreSummary(Connection& c, const std::vector<int32_t>& index);

// Rows of the totals that differ from a recount of the items (0 when they are right).
int64_t scoreSummaryDrift(Connection& c);

// The figures' counts per (community, lead party, month) and the states per community, for a
// scope, read from the totals.
std::vector<ScoreCounts> summedScoreCounts(Connection& c, const ScoreScope& scope);
std::vector<StateCount> summedStateCounts(Connection& c, const ScoreScope& scope);

}  // namespace liufang::model::sql
