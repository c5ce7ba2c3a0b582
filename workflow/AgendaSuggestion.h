#pragma once
// The agenda the schedule form proposes (议程建议): open proposals, which include items deferred
// at an earlier meeting (defer returns them to Proposal), and items whose deadline has passed
// (Deadline.Overdue), oldest first, so carry-over comes before new business. The convener
// orders, adds and removes before scheduling.
#include <cstdint>
#include <vector>

#include "model/Store.h"
#include "model/Types.h"

namespace liufang::workflow {

// At most `limit` items of the community, overdue ones first, then proposals, oldest first in
// each group; two indexed queries.
std::vector<model::Item> suggestedAgenda(model::Store& store, int64_t communityId,
                                         int limit = 30);

}  // namespace liufang::workflow
