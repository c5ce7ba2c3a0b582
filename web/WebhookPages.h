#pragma once
// The webhook delivery log (/webhooks): the convener of a community and supervisors; others
// 403. Reads through workflow/Webhooks.h.
#include "web/Http.h"

namespace liufang::web::pages {

Response webhookLog(RequestContext& ctx);  // GET /webhooks

}  // namespace liufang::web::pages
