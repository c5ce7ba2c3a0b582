#pragma once
// Rebuilding an item's projection from its log: the same machine, no permission checks (they
// held when the events were applied; roles may have changed since). Every kind replays through
// StreamKind::replay; this is the item's shorthand.
#include <vector>

#include "model/Calendar.h"
#include "model/Types.h"

namespace liufang::workflow {

// Replays `log` (seq 1 must be `propose`) from the start through one running machine.
// Throws liufang::Refused if the machine refuses an event, liufang::StorageError if a row's
// from/to states disagree with the machine or a payload is unreadable.
model::Item replayLog(const std::vector<model::EventRecord>& log, int64_t itemId,
                      int64_t communityId, int utcOffsetMinutes,
                      const model::HolidayCalendar& calendar);

}  // namespace liufang::workflow
