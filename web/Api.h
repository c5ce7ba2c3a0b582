#pragma once
// The JSON API under /api/v1: the same Engine calls as the pages, answered as JSON. Errors
// become {"error": {"code", "message"}} in the dispatcher (Router.cpp).
#include "web/Http.h"

namespace liufang::web::api {

Response openapi(RequestContext& ctx);        // GET /api/v1/openapi.json
Response createSession(RequestContext& ctx);  // POST /api/v1/session {"username","password"}
Response deleteSession(RequestContext& ctx);  // DELETE /api/v1/session
Response me(RequestContext& ctx);             // GET /api/v1/me
Response listItems(RequestContext& ctx);      // GET /api/v1/items?state=&party=&q=&limit=&offset=
Response createItem(RequestContext& ctx);     // POST /api/v1/items {"title","description","party"}
Response getItem(RequestContext& ctx);        // GET /api/v1/items/{id}
Response fireEvent(RequestContext& ctx);      // POST /api/v1/items/{id}/events {"type", ...}

}  // namespace liufang::web::api
