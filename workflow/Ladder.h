#pragma once
// The escalation ladder (督办阶梯): per community, tiers of "at N working days overdue, do X",
// fired by the deadline sweep as system events (Engine::sweep), once per tier and due date.
#include <string>
#include <vector>

#include "model/Store.h"
#include "model/Types.h"

namespace liufang::workflow {

// 1 → urge (催办), 5 → escalate (挂牌督办), 10 → report to the district supervisor.
const std::vector<model::LadderTier>& defaultLadder();

// "1:urge:#f5a623,5:escalate:#d0021b,10:report:#8b0000" → tiers by days ascending.
// Throws Invalid naming the bad tier: days 1..365 and distinct, action urge | escalate |
// report, colour #rgb or #rrggbb (optional; the action's default colour).
std::vector<model::LadderTier> parseLadder(const std::string& spec);
std::string formatLadder(const std::vector<model::LadderTier>& tiers);

// English msgid of an action's label (the event's label).
std::string ladderActionLabel(const std::string& action);

// The ladder in force for a community: its own, or the default.
std::vector<model::LadderTier> ladderOf(model::Store& store, int64_t communityId);

}  // namespace liufang::workflow
