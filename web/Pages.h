#pragma once
// The server-rendered pages. Each takes the request and answers a Response; errors they throw
// are mapped to pages by the dispatcher (Router.cpp).
#include "web/Http.h"

namespace liufang::web::pages {

Response home(RequestContext& ctx);            // GET /: the desk or the login page
Response loginForm(RequestContext& ctx);       // GET /login
Response login(RequestContext& ctx);           // POST /login
Response logout(RequestContext& ctx);          // POST /logout
Response switchLanguage(RequestContext& ctx);  // GET /lang?to=en&next=/path
Response desk(RequestContext& ctx);            // GET /desk: 我的待办
Response itemList(RequestContext& ctx);        // GET /items?state=&party=&community=&q=&page=
Response newItemForm(RequestContext& ctx);     // GET /items/new
Response createItem(RequestContext& ctx);      // POST /items
Response itemPage(RequestContext& ctx);        // GET /items/{id}
Response fireEvent(RequestContext& ctx);       // POST /items/{id}/events (type=EVENT)
Response staticFile(RequestContext& ctx);      // GET /static/{name}
Response health(RequestContext& ctx);          // GET /healthz

}  // namespace liufang::web::pages
