#pragma once
// The per-user deadline calendar (workflow/CalendarFeed.h): the settings page where a user
// makes, replaces or revokes their secret link, and the iCalendar feed behind the link.
#include "web/Http.h"

namespace liufang::web::pages {

Response calendarPage(RequestContext& ctx);    // GET /calendar
Response createCalendar(RequestContext& ctx);  // POST /calendar: a new link, shown once
Response revokeCalendar(RequestContext& ctx);  // POST /calendar/revoke
Response calendarFeed(RequestContext& ctx);    // GET /calendar/{file} (TOKEN.ics), no session
}  // namespace liufang::web::pages
