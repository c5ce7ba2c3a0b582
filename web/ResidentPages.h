#pragma once
// The residents' side (no sign-in): the request form (居民点单), the tracking page, the public
// board (公示) with its Atom feed and printable poster; and, signed in, the moderation queue
// and the board's hide/show. See docs/ARCHITECTURE.md, "Residents".
#include <kainjow/mustache.hpp>

#include "web/Http.h"
#include "web/View.h"

namespace liufang::web {

namespace residents {
Response requestForm(RequestContext& ctx);    // GET  /request/{community}
Response submitRequest(RequestContext& ctx);  // POST /request/{community}
Response trackLookup(RequestContext& ctx);    // GET  /track?number=
Response track(RequestContext& ctx);          // GET  /track/{number}
Response queue(RequestContext& ctx);          // GET  /requests (moderators)
Response moderate(RequestContext& ctx);       // POST /requests/{id}/events
}  // namespace residents

namespace board {
Response page(RequestContext& ctx);           // GET  /board/{community}
Response atom(RequestContext& ctx);           // GET  /board/{community}/atom.xml
Response poster(RequestContext& ctx);         // GET  /board/{community}/poster
Response setVisibility(RequestContext& ctx);  // POST /board/{community}/items/{id}/visibility
}  // namespace board

// What the public may see of an item: title, state, light, lead party, deadline, decision,
// result, response, rating, the escalation mark. Never a person's name, the proposer, the
// positions or who wrote them.
kainjow::mustache::data publicItemData(RequestContext& ctx, Names& names, const model::Item& item);

// The texts the residents' templates show as {{r.key}}, in the request's language.
kainjow::mustache::data residentStrings(RequestContext& ctx);

// The site's address as residents reach it: site.public_url, or scheme + Host of the request.
std::string publicBase(RequestContext& ctx);

// The community named by the route's {community} code; throws NotFound.
model::Community routeCommunity(RequestContext& ctx);

}  // namespace liufang::web
