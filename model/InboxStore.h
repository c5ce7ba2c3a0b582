#pragma once
// The in-app inbox (migration 010): notices are written by the Engine's transaction
// (WriteTx::addNotices); these are their reads and the user's own read marks.
#include <cstdint>
#include <vector>

#include "model/Types.h"

namespace liufang::model {

class InboxStore {
 public:
  virtual ~InboxStore() = default;
  // Unread notices of the user, counted up to `cap` (the header's badge shows "99+").
  virtual int unreadNotices(int64_t userId, int cap) = 0;
  // The user's newest `limit` notices, newest first.
  virtual std::vector<Notice> notices(int64_t userId, int limit) = 0;
  // Marks one of the user's notices read (noticeId), or all of them (noticeId == 0).
  virtual void markNoticesRead(int64_t userId, int64_t noticeId) = 0;
};

}  // namespace liufang::model
