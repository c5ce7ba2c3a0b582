#include "workflow/Replay.h"

#include "workflow/ItemKind.h"

namespace liufang::workflow {

model::Item replayLog(const std::vector<model::EventRecord>& log, int64_t itemId,
                      int64_t communityId, int utcOffsetMinutes,
                      const model::HolidayCalendar& calendar) {
  static const auto items = makeItemKind();
  return std::any_cast<model::Item>(
      items->replay(log, itemId, communityId, utcOffsetMinutes, calendar));
}

}  // namespace liufang::workflow
