#pragma once
// The in-app inbox as the pages see it (docs/ARCHITECTURE.md "Inbox"). Notices are written by
// the Engine in the event's transaction (Traits::notices); this module reads them and keeps the
// user's read marks.
#include <string>
#include <vector>

#include "model/Store.h"

namespace liufang::workflow {

// The header badge's cap: more unread notices show as "99+".
constexpr int kInboxBadgeCap = 99;
constexpr int kInboxPageSize = 100;

// Unread notices of the user, up to kInboxBadgeCap (one indexed COUNT).
int unreadNotices(model::Store& store, int64_t userId);
// The user's newest kInboxPageSize notices, newest first.
std::vector<model::Notice> inboxOf(model::Store& store, int64_t userId);
// Marks one notice of the user read, or all of them (noticeId == 0).
void markNoticesRead(model::Store& store, int64_t userId, int64_t noticeId);
// The English label (msgid) of the notice's event, and the page it points to.
std::string noticeLabel(const model::Notice& n);
std::string noticeHref(const model::Notice& n);

}  // namespace liufang::workflow
