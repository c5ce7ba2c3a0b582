#pragma once
// The SQL condition of each named item set (model/ScoreQueries.h), over items aliased `i`.
// One definition: SqlStoreScores.cpp counts them, listItems (ItemQuery::scoreSet) lists them.
#include <string>

namespace liufang::model::sql {

// The community's UTC offset as a date() modifier ("480 minutes"), for community-local dates.
inline const char* kLocalOffset =
    "(SELECT co.utc_offset_minutes || ' minutes' FROM communities co"
    " WHERE co.id = i.community_id)";

// The condition for a set name; "0 = 1" (nothing) for an unknown name.
const std::string& scoreSetSql(const std::string& name);

}  // namespace liufang::model::sql
