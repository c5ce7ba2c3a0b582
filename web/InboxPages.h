#pragma once
// The in-app inbox page (/inbox) and its read marks; the header's badge is in View.cpp.
#include "web/Http.h"

namespace liufang::web::pages {

Response inbox(RequestContext& ctx);          // GET /inbox
Response markNoticeRead(RequestContext& ctx);  // POST /inbox/{id}/read
Response markAllRead(RequestContext& ctx);     // POST /inbox/read
}  // namespace liufang::web::pages
