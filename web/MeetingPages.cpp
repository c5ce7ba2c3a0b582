#include "web/MeetingPages.h"

#include <Poco/JSON/Array.h>
#include <Poco/NumberParser.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <sstream>

#include "model/Calendar.h"
#include "model/Clock.h"
#include "model/Errors.h"
#include "web/EventForms.h"
#include "web/Site.h"
#include "web/View.h"
#include "workflow/AgendaSuggestion.h"
#include "workflow/MeetingEvents.h"
#include "workflow/Meetings.h"
#include "web/MeetingPageKit.h"

namespace liufang::web::pages {
namespace meeting {

Data listOf() { return Data(Data::type::list); }

workflow::MeetingView loadView(RequestContext& ctx, int64_t id) {
  auto v = workflow::meetingView(ctx.site.store, id);
  if (!v || (ctx.user->communityId != 0 && ctx.user->communityId != v->meeting.communityId))
    throw NotFound(Msg("No such meeting."));
  return std::move(*v);
}

bool isConvenerOf(RequestContext& ctx, int64_t communityId) {
  return ctx.user->convener && ctx.user->communityId == communityId;
}

std::string str(const Obj::Ptr& o, const std::string& key) {
  if (!o || !o->has(key) || o->get(key).isEmpty()) return {};
  return o->get(key).convert<std::string>();
}
Arr::Ptr arr(const Obj::Ptr& o, const std::string& key) {
  if (!o || !o->has(key)) return new Arr;
  try {
    auto a = o->getArray(key);
    return a ? a : Arr::Ptr(new Arr);
  } catch (const std::exception&) {
    return new Arr;
  }
}

Data partyData(Names& names, int64_t cid, const std::string& code) {
  Data p;
  p.set("code", code);
  p.set("name", names.party(cid, code));
  p.set("short", names.partyShort(cid, code));
  p.set("class", Names::partyClass(cid, code));
  return p;
}

const char* statusLabel(const std::string& s) {
  if (s == "present") return "Present";
  if (s == "absent") return "Absent";
  if (s == "excused") return "Excused";
  return "Not marked";
}

// "第 3 次": the meeting's number among its community's meetings that were not cancelled, by
// date then id.
int meetingNumber(RequestContext& ctx, const model::Meeting& m) {
  auto all = ctx.site.store.meetings(m.communityId);
  int n = 0;
  for (const auto& x : all)
    if (x.state != "cancelled" &&
        (x.date < m.date || (x.date == m.date && x.id <= m.id)))
      ++n;
  return n;
}

Data meetingData(RequestContext& ctx, Names& names, const workflow::MeetingView& v) {
  const auto& m = v.meeting;
  Data d;
  d.set("id", std::to_string(m.id));
  d.set("title", m.title);
  d.set("kind_label", ctx.tr(workflow::meetingKindLabel(m.kind)));
  d.set("date", m.date);
  d.set("time", m.time);
  d.set("has_time", !m.time.empty());
  d.set("place", m.location);
  d.set("has_place", !m.location.empty());
  d.set("state", m.state);
  d.set("state_label", ctx.tr(workflow::meetingStateLabel(m.state)));
  d.set("number", std::to_string(meetingNumber(ctx, m)));
  d.set("community_name", v.community.name);
  d.set("convener", m.convenerUser ? names.user(m.convenerUser) : std::string());
  d.set("in_session", m.state == "in_session");
  d.set("scheduled", m.state == "scheduled");
  d.set("adjourned", m.state == "adjourned");
  d.set("published", m.state == "minutes_published");
  d.set("cancelled", m.state == "cancelled");
  d.set("cancel_reason", m.cancelReason);
  Data att = listOf();
  for (const auto& a : v.attendance) {
    Data r = partyData(names, m.communityId, a.party);
    r.set("status", a.status.empty() ? "unmarked" : a.status);
    r.set("status_label", ctx.tr(statusLabel(a.status)));
    r.set("delegate", a.delegate);
    r.set("has_delegate", !a.delegate.empty());
    r.set("present", a.status == "present");
    att.push_back(r);
  }
  d.set("attendance", att);
  d.set("quorum_met", v.quorum.met);
  d.set("quorum_text", ctx.trf("{1} parties present", std::to_string(v.quorum.present)) +
                           " / " + std::to_string(v.quorum.roster));
  d.set("quorum_why", v.quorum.met ? std::string() : ctx.site.i18n.render(ctx.lang, v.quorum.why));
  return d;
}

std::string doneFlash(RequestContext& ctx) {
  const std::string done = ctx.query.get("done");
  if (done.empty()) return {};
  std::string label = workflow::meetingEventLabel(done);
  if (label == done) label = eventLabel(done);
  if (label == done) return {};
  return ctx.trf("Done: {1}.", ctx.tr(label));
}

Data agendaData(RequestContext& ctx, Names& names, const workflow::MeetingView& v,
                int64_t current, const std::string& base) {
  Data rows = listOf();
  int n = 0;
  for (const auto& e : v.agenda) {
    Data r;
    r.set("n", std::to_string(++n));
    r.set("id", std::to_string(e.item.id));
    r.set("title", e.item.title);
    r.set("state", e.item.topState());
    r.set("state_label", ctx.tr(stateLabel(e.item.state)));
    r.set("proposer", names.party(e.item.communityId, e.item.proposerParty));
    r.set("current", e.item.id == current);
    r.set("href", base + "?item=" + std::to_string(e.item.id));
    r.set("meetings_on", std::to_string(e.meetingsOn));
    r.set("carried", e.meetingsOn > 1);
    r.set("not_spoken_count", std::to_string(e.notSpoken.size()));
    rows.push_back(r);
  }
  return rows;
}


}  // namespace meeting

namespace {

using namespace meeting;

// ---- the list and the schedule form

Response renderList(RequestContext& ctx, const Failed* failed, int status) {
  const auto& u = *ctx.user;
  Names names(ctx);
  Data d = baseData(ctx, ctx.tr("Meetings"));
  d.set("nav_meetings", true);
  const std::string done = doneFlash(ctx);
  if (!done.empty()) d.set("flash", done);
  d.set("has_error", failed != nullptr);
  if (failed) d.set("error", failed->error);
  std::vector<model::Meeting> meetings;
  if (u.communityId != 0)
    meetings = ctx.site.store.meetings(u.communityId);
  else
    for (const auto& c : ctx.site.store.communities())
      for (auto& m : ctx.site.store.meetings(c.id)) meetings.push_back(std::move(m));
  Data rows = listOf();
  for (const auto& m : meetings) {
    Data r;
    r.set("id", std::to_string(m.id));
    r.set("title", m.title);
    r.set("date", m.date);
    r.set("time", m.time);
    r.set("place", m.location);
    r.set("kind_label", ctx.tr(workflow::meetingKindLabel(m.kind)));
    r.set("state", m.state);
    r.set("state_label", ctx.tr(workflow::meetingStateLabel(m.state)));
    r.set("live", m.state == "in_session");
    r.set("has_minutes", m.state == "adjourned" || m.state == "minutes_published");
    rows.push_back(r);
  }
  d.set("meetings", rows);
  d.set("has_meetings", !meetings.empty());
  const bool convener = u.convener && u.communityId != 0;
  d.set("can_schedule", convener);
  if (convener) {
    const auto* f = failed ? &ctx.form : nullptr;
    auto typed = [&](const std::string& k, const std::string& otherwise) {
      return f ? f->get(k) : otherwise;
    };
    const auto* c = names.community(u.communityId);
    const model::Date today = model::localDate(ctx.site.clock.now(), c ? c->utcOffsetMinutes : 480);
    std::string date = today.str();
    if (c)
      if (auto next = workflow::nextRegularDate(c->meetingRule, today)) date = next->str();
    d.set("f_title", typed("title", ""));
    d.set("f_date", typed("date", date));
    d.set("f_time", typed("time", c ? c->meetingTime : ""));
    d.set("f_place", typed("place", c ? c->meetingPlace : ""));
    const std::string kind = typed("kind", "regular");
    d.set("f_regular", kind == "regular");
    d.set("f_adhoc", kind == "adhoc");
    const auto chosen = f ? f->getAll("agenda") : std::vector<std::string>{};
    Data suggestions = listOf();
    for (const auto& item : workflow::suggestedAgenda(ctx.site.store, u.communityId)) {
      Data s;
      s.set("id", std::to_string(item.id));
      s.set("title", item.title);
      s.set("state_label", ctx.tr(stateLabel(item.state)));
      s.set("overdue", item.state == "deadline.overdue");
      s.set("checked", f ? std::find(chosen.begin(), chosen.end(), std::to_string(item.id)) !=
                               chosen.end()
                         : true);
      suggestions.push_back(s);
    }
    d.set("suggestions", suggestions);
  }
  return renderPage(ctx, "meetings", d, status);
}

Arr::Ptr idArray(const std::vector<std::string>& values) {
  Arr::Ptr a = new Arr;
  for (const auto& v : values) {
    Poco::Int64 id = 0;
    if (Poco::NumberParser::tryParse64(v, id)) a->add(id);
  }
  return a;
}

Response renderMeeting(RequestContext& ctx, const workflow::MeetingView& v, const Failed* failed,
                       int status) {
  Names names(ctx);
  const auto& m = v.meeting;
  Data d = baseData(ctx, m.title);
  d.set("nav_meetings", true);
  const std::string done = doneFlash(ctx);
  if (!done.empty()) d.set("flash", done);
  d.set("meeting", meetingData(ctx, names, v));
  d.set("agenda", agendaData(ctx, names, v, 0, "/meetings/" + std::to_string(m.id) + "/live"));
  d.set("has_agenda", !v.agenda.empty());
  const bool convener = isConvenerOf(ctx, m.communityId);
  d.set("convener", convener);
  d.set("has_actions", convener && (m.state == "scheduled" || m.state == "in_session"));
  auto err = [&](const std::string& type) {
    return failed && failed->type == type ? failed->error : std::string();
  };
  auto typed = [&](const std::string& type, const std::string& k) {
    return failed && failed->type == type ? ctx.form.get(k) : std::string();
  };
  for (const char* t : {"set_agenda", "open", "mark_attendance", "cancel", "adjourn"}) {
    d.set(std::string("err_") + t, err(t));
    d.set(std::string("has_err_") + t, !err(t).empty());
  }
  d.set("cancel_reason", typed("cancel", "reason"));
  d.set("adjourn_note", typed("adjourn", "note"));
  d.set("agenda_add", typed("set_agenda", "add"));
  if (convener && (m.state == "scheduled" || m.state == "in_session")) {
    // The open form: every roster party, present by default.
    Data att = listOf();
    for (const auto& p : v.roster) {
      Data r = partyData(names, m.communityId, p.code);
      const std::string st = failed && failed->type == "open"
                                 ? ctx.form.get("status_" + p.code)
                                 : std::string(m.present(p.code) || m.attendance.empty()
                                                   ? "present"
                                                   : (m.attendanceOf(p.code)
                                                          ? m.attendanceOf(p.code)->status
                                                          : "absent"));
      r.set("is_present", st == "present");
      r.set("is_absent", st == "absent");
      r.set("is_excused", st == "excused");
      r.set("delegate", failed && failed->type == "open" ? ctx.form.get("delegate_" + p.code)
                                                         : std::string());
      att.push_back(r);
    }
    d.set("roster", att);
  }
  return renderPage(ctx, "meeting", d, status);
}

// A meeting event's command from the meeting page's forms.
workflow::Command meetingCommand(RequestContext& ctx, const workflow::MeetingView& v,
                                 const std::string& type) {
  workflow::Command cmd(type);
  const auto& f = ctx.form;
  auto text = [&](const char* k) {
    if (!f.get(k).empty()) cmd.fields->set(k, f.get(k));
  };
  if (type == "set_agenda") {
    // Current items with their order numbers, minus the removed ones, plus the added ids.
    std::vector<std::pair<int, int64_t>> order;
    const auto removed = f.getAll("remove");
    int pos = 0;
    for (const auto& e : v.agenda) {
      ++pos;
      const std::string id = std::to_string(e.item.id);
      if (std::find(removed.begin(), removed.end(), id) != removed.end()) continue;
      int at = pos;
      Poco::NumberParser::tryParse(f.get("order_" + id), at);
      order.emplace_back(at * 1000 + pos, e.item.id);
    }
    std::stable_sort(order.begin(), order.end());
    Arr::Ptr agenda = new Arr;
    for (const auto& [k, id] : order) agenda->add(id);
    std::string add = f.get("add");
    std::replace_if(add.begin(), add.end(), [](char c) { return c == ',' || c == ';'; }, ' ');
    std::istringstream in(add);
    for (std::string w; in >> w;) {
      Poco::Int64 id = 0;
      if (!w.empty() && w[0] == '#') w = w.substr(1);
      if (!Poco::NumberParser::tryParse64(w, id) || id <= 0)
        throw Invalid(Msg("'{1}' is not an item number.").arg(w));
      agenda->add(id);
    }
    cmd.fields->set("agenda", agenda);
  } else if (type == "open") {
    Arr::Ptr att = new Arr;
    for (const auto& p : v.roster) {
      Obj::Ptr a = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
      a->set("party", p.code);
      a->set("status", f.get("status_" + p.code).empty() ? "absent" : f.get("status_" + p.code));
      if (!f.get("delegate_" + p.code).empty()) a->set("delegate", f.get("delegate_" + p.code));
      att->add(a);
    }
    cmd.fields->set("attendance", att);
  } else if (type == "mark_attendance") {
    text("party");
    text("status");
    text("delegate");
  } else if (type == "cancel") {
    text("reason");
  } else if (type == "adjourn") {
    text("note");
  } else if (type == "publish_minutes") {
    text("preamble");
    text("closing");
  } else if (type == "add_erratum") {
    text("text");
  } else if (type == "sign_minutes") {
    text("note");
  } else {
    throw Invalid(Msg("Unknown meeting event '{1}'.").arg(type));
  }
  return cmd;
}

bool minutesEvent(const std::string& type) {
  return type == "publish_minutes" || type == "add_erratum" || type == "sign_minutes";
}

}  // namespace

using namespace meeting;

Response meetingList(RequestContext& ctx) { return renderList(ctx, nullptr, 200); }

Response scheduleMeeting(RequestContext& ctx) {
  const auto& u = *ctx.user;
  workflow::Command cmd("schedule");
  for (const char* k : {"title", "kind", "date", "time", "place"})
    if (!ctx.form.get(k).empty()) cmd.fields->set(k, ctx.form.get(k));
  const auto agenda = ctx.form.getAll("agenda");
  if (!agenda.empty()) cmd.fields->set("agenda", idArray(agenda));
  try {
    const auto applied = ctx.site.engine.create("meeting", u.communityId, cmd, ctx.actor());
    spdlog::info("meeting {} scheduled user={} rid={}", applied.stream.id, u.username,
                 ctx.requestId);
    return Response::redirect("/meetings/" + std::to_string(applied.stream.id) + "?done=schedule");
  } catch (const Invalid& e) {
    Failed f{"schedule", ctx.site.i18n.render(ctx.lang, e.message())};
    return renderList(ctx, &f, 400);
  } catch (const Refused& e) {
    Failed f{"schedule", ctx.site.i18n.render(ctx.lang, e.message())};
    return renderList(ctx, &f, 409);
  }
}

Response meetingPage(RequestContext& ctx) {
  return renderMeeting(ctx, loadView(ctx, ctx.idParam("id")), nullptr, 200);
}

Response meetingEvent(RequestContext& ctx) {
  const int64_t id = ctx.idParam("id");
  const auto v = loadView(ctx, id);
  const std::string type = ctx.form.get("type");
  const std::string back = "/meetings/" + std::to_string(id) + (minutesEvent(type) ? "/minutes" : "");
  try {
    ctx.site.engine.apply(model::StreamRef{"meeting", id}, meetingCommand(ctx, v, type),
                          ctx.actor());
    spdlog::info("meeting event {} meeting={} user={} rid={}", logSafe(type), id,
                 ctx.user->username, ctx.requestId);
    return Response::redirect(back + "?done=" + urlEncode(type));
  } catch (const Invalid& e) {
    Failed f{type, ctx.site.i18n.render(ctx.lang, e.message())};
    return minutesEvent(type) ? renderMinutes(ctx, loadView(ctx, id), &f, 400)
                              : renderMeeting(ctx, loadView(ctx, id), &f, 400);
  } catch (const Refused& e) {
    Failed f{type, ctx.site.i18n.render(ctx.lang, e.message())};
    return minutesEvent(type) ? renderMinutes(ctx, loadView(ctx, id), &f, 409)
                              : renderMeeting(ctx, loadView(ctx, id), &f, 409);
  }
}

}  // namespace liufang::web::pages
