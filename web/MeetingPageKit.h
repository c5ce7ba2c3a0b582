#pragma once
// What the meeting pages share (web/MeetingPages.cpp: list, meeting page and its events;
// web/MeetingLive.cpp: the live screen; web/MeetingDocuments.cpp: minutes, decisions CSV,
// iCalendar). Internal to web/: the routes use web/MeetingPages.h.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>

#include "web/Http.h"
#include "web/View.h"
#include "workflow/Meetings.h"

namespace liufang::web::pages::meeting {

using Data = kainjow::mustache::data;
using Obj = Poco::JSON::Object;
using Arr = Poco::JSON::Array;

Data listOf();
// The meeting as its pages show it, if the signed-in user may see it (same community, or a
// user tied to none); NotFound otherwise, so other communities' ids are not probeable.
workflow::MeetingView loadView(RequestContext& ctx, int64_t id);
bool isConvenerOf(RequestContext& ctx, int64_t communityId);
// A field of the frozen minutes' JSON, "" or an empty array when absent.
std::string str(const Obj::Ptr& o, const std::string& key);
Arr::Ptr arr(const Obj::Ptr& o, const std::string& key);
Data partyData(Names& names, int64_t cid, const std::string& code);
const char* statusLabel(const std::string& s);
// The common facts of a meeting for every meeting page.
Data meetingData(RequestContext& ctx, Names& names, const workflow::MeetingView& v);
// The agenda in order with each item's title and state; `base` is the page the rows link to.
Data agendaData(RequestContext& ctx, Names& names, const workflow::MeetingView& v,
                int64_t current, const std::string& base);

// What a failed form leaves: which form, the message, the typed fields.
struct Failed {
  std::string type;
  std::string error;
};
// "Done: …" for ?done=EVENT after a redirect, or "".
std::string doneFlash(RequestContext& ctx);

Response renderLive(RequestContext& ctx, const workflow::MeetingView& v, const Failed* failed,
                    int status);
Response renderMinutes(RequestContext& ctx, const workflow::MeetingView& v, const Failed* failed,
                       int status);

}  // namespace liufang::web::pages::meeting
