// The in-app inbox (see Inbox.h).
#include "workflow/Inbox.h"

#include "workflow/ItemEvents.h"
#include "workflow/MeetingEvents.h"

namespace liufang::workflow {

int unreadNotices(model::Store& store, int64_t userId) {
  return store.unreadNotices(userId, kInboxBadgeCap);
}

std::vector<model::Notice> inboxOf(model::Store& store, int64_t userId) {
  return store.notices(userId, kInboxPageSize);
}

void markNoticesRead(model::Store& store, int64_t userId, int64_t noticeId) {
  store.markNoticesRead(userId, noticeId);
}

std::string noticeLabel(const model::Notice& n) {
  // A tick notifies only when it turns the light (ItemKind's notices): say which way.
  if (n.kind == "item" && n.type == "tick") {
    if (n.toState == "deadline.overdue") return "Deadline passed";
    if (n.toState == "deadline.due_soon") return "Deadline near";
  }
  return n.kind == "meeting" ? meetingEventLabel(n.type) : itemEventLabel(n.type);
}

std::string noticeHref(const model::Notice& n) {
  return (n.kind == "meeting" ? "/meetings/" : "/items/") + std::to_string(n.streamId);
}

}  // namespace liufang::workflow
