#pragma once
// The meeting pages (DESIGN.md §4 surface names): the list and schedule form, one meeting with
// its agenda, attendance and actions, the live screen, the minutes (会议纪要) with sign-off,
// the decisions CSV and the iCalendar feed. Every change goes through workflow::Engine (kind
// "meeting", or "item" for positions and decisions taken on the live screen); reads through
// workflow/Meetings.h.
#include "web/Http.h"

namespace liufang::web::pages {

Response meetingList(RequestContext& ctx);       // GET /meetings
Response scheduleMeeting(RequestContext& ctx);   // POST /meetings (schedule)
Response meetingPage(RequestContext& ctx);       // GET /meetings/{id}
Response meetingEvent(RequestContext& ctx);      // POST /meetings/{id}/events (type=EVENT)
Response meetingLive(RequestContext& ctx);       // GET /meetings/{id}/live?item=ID
Response meetingItemEvent(RequestContext& ctx);  // POST /meetings/{id}/items/{item}/events
Response meetingMinutes(RequestContext& ctx);    // GET /meetings/{id}/minutes
Response meetingDecisionsCsv(RequestContext& ctx);  // GET /meetings/{id}/decisions.csv
Response meetingsCalendar(RequestContext& ctx);     // GET /meetings.ics

}  // namespace liufang::web::pages
