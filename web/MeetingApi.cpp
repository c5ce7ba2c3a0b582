#include "web/MeetingApi.h"

#include <Poco/JSON/Array.h>
#include <spdlog/spdlog.h>

#include "model/Errors.h"
#include "web/EventForms.h"
#include "web/ItemView.h"
#include "web/Site.h"
#include "web/View.h"
#include "workflow/MeetingEvents.h"
#include "workflow/MeetingKind.h"

namespace liufang::web::api {
namespace {

using Obj = Poco::JSON::Object;
using Arr = Poco::JSON::Array;

// The community a request acts in: the user's own, or ?community= / "community" for a user of
// none (a district supervisor). Throws Invalid / NotFound.
int64_t communityFor(RequestContext& ctx, const std::string& code) {
  if (ctx.user->communityId != 0) return ctx.user->communityId;
  for (const auto& c : ctx.site.store.communities())
    if (c.code == code) return c.id;
  if (code.empty()) throw Invalid("The field \"community\" is required.");
  throw NotFound(Msg("There is no community with code '{1}'.").arg(code));
}

workflow::MeetingView visibleMeeting(RequestContext& ctx, int64_t id) {
  auto v = workflow::meetingView(ctx.site.store, id);
  // Another community's meetings are not probeable.
  if (!v || (ctx.user->communityId != 0 && ctx.user->communityId != v->meeting.communityId))
    throw NotFound("No such meeting.");
  return std::move(*v);
}

Obj::Ptr rowJson(const model::Meeting& m) {
  Obj::Ptr o = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("id", m.id);
  o->set("title", m.title);
  o->set("kind", m.kind);
  o->set("date", m.date);
  o->set("time", m.time);
  o->set("place", m.location);
  o->set("state", m.state);
  o->set("version", m.version);
  return o;
}

}  // namespace

Poco::JSON::Object::Ptr meetingJson(RequestContext& ctx, const workflow::MeetingView& v) {
  const auto& m = v.meeting;
  Obj::Ptr o = rowJson(m);
  o->set("community", v.community.code);
  o->set("state_label", ctx.tr(workflow::meetingStateLabel(m.state)));
  Arr::Ptr agenda = new Arr;
  for (const auto& e : v.agenda) {
    Obj::Ptr a = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
    a->set("id", e.item.id);
    a->set("title", e.item.title);
    a->set("state", e.item.state);
    a->set("meetings_on", e.meetingsOn);
    a->set("positions", positionsJson(e.item.positions));
    Arr::Ptr silent = new Arr;
    for (const auto& p : e.notSpoken) silent->add(p);
    a->set("not_spoken", silent);
    agenda->add(a);
  }
  o->set("agenda", agenda);
  Arr::Ptr attendance = new Arr;
  for (const auto& a : v.attendance) {
    Obj::Ptr ao = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
    ao->set("party", a.party);
    ao->set("name", a.name);
    ao->set("status", a.status);
    ao->set("delegate", a.delegate);
    attendance->add(ao);
  }
  o->set("attendance", attendance);
  Obj::Ptr quorum = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
  quorum->set("met", v.quorum.met);
  quorum->set("present", v.quorum.present);
  quorum->set("roster", v.quorum.roster);
  quorum->set("needed", v.quorum.needed);
  quorum->set("rule", v.quorum.rule);
  quorum->set("convening_party", v.quorum.conveningParty);
  if (!v.quorum.met) quorum->set("why", ctx.site.i18n.render(ctx.lang, v.quorum.why));
  o->set("quorum", quorum);
  if (v.minutes) o->set("minutes", v.minutes);
  if (!v.legacyMinutes.empty()) o->set("minutes_text", v.legacyMinutes);
  o->set("minutes_frozen", v.minutesFrozen);
  Arr::Ptr errata = new Arr;
  for (const auto& e : m.errata) {
    Obj::Ptr eo = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
    eo->set("text", e.text);
    eo->set("at", e.at);
    errata->add(eo);
  }
  o->set("errata", errata);
  Arr::Ptr signatures = new Arr;
  for (const auto& s : v.signatures) {
    Obj::Ptr so = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
    so->set("party", s.party);
    so->set("name", s.name);
    so->set("signed", s.isSigned);
    so->set("at", s.at);
    so->set("note", s.note);
    signatures->add(so);
  }
  o->set("signatures", signatures);
  Arr::Ptr allowed = new Arr;
  const auto today = model::localDate(ctx.site.engine.clock().now(), v.community.utcOffsetMinutes);
  for (const auto& e : workflow::allowedMeetingEvents(m, ctx.actor(), today,
                                                      ctx.site.engine.calendar()))
    allowed->add(e);
  o->set("allowed", allowed);
  return o;
}

Response listMeetings(RequestContext& ctx) {
  const int64_t community = communityFor(ctx, ctx.query.get("community"));
  Arr::Ptr arr = new Arr;
  for (const auto& m : ctx.site.store.meetings(community)) arr->add(rowJson(m));
  Obj::Ptr o = new Obj;
  o->set("meetings", arr);
  return Response::json(o);
}

Response createMeeting(RequestContext& ctx) {
  const auto body = ctx.jsonBody();
  workflow::Command cmd("schedule");
  std::string code;
  for (const auto& [key, value] : *body) {
    if (key == "community")
      code = value.isString() ? value.toString() : std::string();
    else if (key != "type")
      cmd.fields->set(key, value);
  }
  const auto applied =
      ctx.site.engine.create("meeting", communityFor(ctx, code), cmd, ctx.actor());
  spdlog::info("meeting scheduled meeting={} user={} rid={}", applied.stream.id,
               ctx.user->username, ctx.requestId);
  Response r = Response::json(meetingJson(ctx, visibleMeeting(ctx, applied.stream.id)), 201);
  r.headers.emplace_back("Location", "/api/v1/meetings/" + std::to_string(applied.stream.id));
  return r;
}

Response getMeeting(RequestContext& ctx) {
  return Response::json(meetingJson(ctx, visibleMeeting(ctx, ctx.idParam("id"))));
}

Response fireMeetingEvent(RequestContext& ctx) {
  const int64_t id = ctx.idParam("id");
  const auto cmd = commandFromJson(ctx.jsonBody());
  const auto applied = ctx.site.engine.apply(model::StreamRef{"meeting", id}, cmd, ctx.actor());
  auto o = meetingJson(ctx, visibleMeeting(ctx, id));
  Arr::Ptr rows = new Arr;
  for (const auto& e : applied.rows) {
    Obj::Ptr eo = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
    eo->set("seq", e.seq);
    eo->set("type", e.type);
    eo->set("at", e.at);
    eo->set("from", e.fromState);
    eo->set("to", e.toState);
    rows->add(eo);
  }
  o->set("applied", rows);
  return Response::json(o);
}

}  // namespace liufang::web::api
