#pragma once
// The meetings' JSON API (DESIGN.md §2b): schedule, list, read one meeting with its agenda,
// attendance, quorum, positions, minutes and signatures, and fire its events.
#include <Poco/JSON/Object.h>

#include "web/Http.h"
#include "workflow/Meetings.h"

namespace liufang::web::api {

// GET /api/v1/meetings[?community=code]: the community's meetings, newest first.
Response listMeetings(RequestContext& ctx);
// POST /api/v1/meetings: `schedule` with its fields (+ "community" for a user of none).
Response createMeeting(RequestContext& ctx);
// GET /api/v1/meetings/{id}
Response getMeeting(RequestContext& ctx);
// POST /api/v1/meetings/{id}/events: {"type": NAME, ...fields}
Response fireMeetingEvent(RequestContext& ctx);

// The meeting as the API shows it (also for the pages' progressive enhancement).
Poco::JSON::Object::Ptr meetingJson(RequestContext& ctx, const workflow::MeetingView& v);

}  // namespace liufang::web::api
