#include "workflow/Board.h"

#include <spdlog/spdlog.h>

#include "workflow/EventTable.h"

namespace liufang::workflow {

void setBoardVisibility(model::Store& store, const model::Clock& clock, int64_t itemId, bool hidden,
                        const std::string& reason, const Actor& actor) {
  if (!actor.convener) throw Forbidden("Only the convener may keep items off the public board.");
  auto item = store.findItem(itemId);
  if (!item || (actor.communityId != 0 && actor.communityId != item->communityId))
    throw NotFound("No such item.");
  // The same text rules as every event field (UTF-8, no control characters, length).
  EventInfo info;
  info.fields.push_back({"reason", FieldKind::LongText, true, "Reason", 500});
  Poco::JSON::Object in;
  in.set("reason", reason);
  const auto checked = validateFields(info, in);
  const std::string why = checked->getValue<std::string>("reason");
  store.setBoardHidden(itemId, hidden, why, actor.userId, model::formatInstant(clock.now()));
  spdlog::info("item={} user={} rid={} board={} reason={}", itemId, actor.username, actor.requestId,
               hidden ? "hidden" : "shown", why);
}

}  // namespace liufang::workflow
