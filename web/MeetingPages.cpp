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

namespace liufang::web::pages {
namespace {

using Data = kainjow::mustache::data;
using Obj = Poco::JSON::Object;
using Arr = Poco::JSON::Array;

Data listOf() { return Data(Data::type::list); }

// The meeting as its pages show it, if the signed-in user may see it (same community, or a
// user tied to none); NotFound otherwise, so other communities' ids are not probeable.
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

// The common facts of a meeting for every meeting page.
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

// What a failed form leaves: which form, the message, the typed fields.
struct Failed {
  std::string type;
  std::string error;
};

std::string doneFlash(RequestContext& ctx) {
  const std::string done = ctx.query.get("done");
  if (done.empty()) return {};
  std::string label = workflow::meetingEventLabel(done);
  if (label == done) label = eventLabel(done);
  if (label == done) return {};
  return ctx.trf("Done: {1}.", ctx.tr(label));
}

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

// ---- one meeting

// The agenda in order with each item's title and state.
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

// ---- the live screen

int64_t currentItem(RequestContext& ctx, const workflow::MeetingView& v) {
  Poco::Int64 want = 0;
  Poco::NumberParser::tryParse64(ctx.query.get("item"), want);
  if (want == 0 && ctx.form.has("item")) Poco::NumberParser::tryParse64(ctx.form.get("item"), want);
  for (const auto& e : v.agenda)
    if (e.item.id == want) return want;
  // Else the first item still under discussion, else the first on the agenda.
  for (const auto& e : v.agenda)
    if (e.item.topState() == "discussion" || e.item.topState() == "proposal") return e.item.id;
  return v.agenda.empty() ? 0 : v.agenda.front().item.id;
}

Response renderLive(RequestContext& ctx, const workflow::MeetingView& v, const Failed* failed,
                    int status) {
  Names names(ctx);
  const auto& m = v.meeting;
  const auto& u = *ctx.user;
  const int64_t current = currentItem(ctx, v);
  const std::string base = "/meetings/" + std::to_string(m.id) + "/live";
  Data d = baseData(ctx, m.title);
  d.set("nav_meetings", true);
  d.set("live_page", true);
  const std::string done = doneFlash(ctx);
  if (!done.empty()) d.set("flash", done);
  d.set("meeting", meetingData(ctx, names, v));
  d.set("agenda", agendaData(ctx, names, v, current, base));
  const bool convener = isConvenerOf(ctx, m.communityId);
  d.set("convener", convener);
  d.set("has_error", failed != nullptr);
  if (failed) d.set("error", failed->error);
  const bool deciding = ctx.query.get("decide") == "1" || failed;
  // The projector view refreshes itself while nobody types into it.
  if (convener && !deciding && m.state == "in_session") d.set("refresh", "8");

  auto it = std::find_if(v.agenda.begin(), v.agenda.end(),
                         [&](const workflow::AgendaEntry& e) { return e.item.id == current; });
  d.set("has_current", it != v.agenda.end());
  if (it != v.agenda.end()) {
    const auto& item = it->item;
    const size_t idx = static_cast<size_t>(it - v.agenda.begin());
    Data cur;
    cur.set("id", std::to_string(item.id));
    cur.set("n", std::to_string(idx + 1));
    cur.set("count", std::to_string(v.agenda.size()));
    cur.set("title", item.title);
    cur.set("description", item.description);
    cur.set("state", item.topState());
    cur.set("state_label", ctx.tr(stateLabel(item.state)));
    cur.set("decision", item.decision);
    cur.set("has_decision", !item.decision.empty());
    cur.set("proposer", names.party(item.communityId, item.proposerParty));
    if (idx > 0) cur.set("prev_href", base + "?item=" + std::to_string(v.agenda[idx - 1].item.id));
    if (idx + 1 < v.agenda.size())
      cur.set("next_href", base + "?item=" + std::to_string(v.agenda[idx + 1].item.id));
    Data positions = listOf();
    for (const auto& p : v.roster) {
      Data r = partyData(names, m.communityId, p.code);
      r.set("present", m.present(p.code));
      auto pos = std::find_if(item.positions.begin(), item.positions.end(),
                              [&](const model::Position& x) { return x.party == p.code; });
      r.set("has", pos != item.positions.end());
      if (pos != item.positions.end()) {
        r.set("stance", pos->stance);
        r.set("stance_label", ctx.tr(stanceLabel(pos->stance)));
        r.set("reason", pos->reason);
        r.set("at", names.localTime(item.communityId, pos->at).substr(11));
      }
      positions.push_back(r);
    }
    cur.set("positions", positions);
    Data waiting = listOf();
    for (const auto& code : it->notSpoken) waiting.push_back(partyData(names, m.communityId, code));
    cur.set("not_spoken", waiting);
    cur.set("has_not_spoken", !it->notSpoken.empty());
    const bool discussion = item.topState() == "discussion";
    const bool live = m.state == "in_session";
    cur.set("discussion", discussion);
    if (convener && live) {
      cur.set("can_take_up", item.topState() == "proposal");
      cur.set("can_decide", discussion);
      cur.set("deciding", deciding && discussion);
      cur.set("decide_href", base + "?item=" + std::to_string(item.id) + "&decide=1");
      // The rule is shown before the convener tries; the Engine still judges (409).
      cur.set("rule_ok", v.quorum.met && it->notSpoken.empty());
      cur.set("decision_value", failed ? ctx.form.get("decision") : std::string());
      cur.set("defer_reason", failed ? ctx.form.get("reason") : std::string());
    }
    // A representative of a present party gets their own position form.
    if (live && discussion && u.representative && !u.party.empty() &&
        u.communityId == m.communityId && m.present(u.party)) {
      Data mine = partyData(names, m.communityId, u.party);
      auto pos = std::find_if(item.positions.begin(), item.positions.end(),
                              [&](const model::Position& x) { return x.party == u.party; });
      const std::string stance = failed ? ctx.form.get("stance")
                                        : (pos != item.positions.end() ? pos->stance : "");
      Data stances = listOf();
      for (const auto& s : stanceCodes()) {
        Data o;
        o.set("value", s);
        o.set("label", ctx.tr(stanceLabel(s)));
        o.set("checked", s == stance);
        stances.push_back(o);
      }
      mine.set("stances", stances);
      mine.set("reason", failed ? ctx.form.get("reason")
                                : (pos != item.positions.end() ? pos->reason : ""));
      mine.set("logged", pos != item.positions.end());
      cur.set("mine", mine);
      cur.set("has_mine", true);
    }
    d.set("current", cur);
  }
  return renderPage(ctx, "meeting_live", d, status);
}

// ---- the minutes

Response renderMinutes(RequestContext& ctx, const workflow::MeetingView& v, const Failed* failed,
                       int status) {
  Names names(ctx);
  const auto& m = v.meeting;
  const auto& u = *ctx.user;
  Data d = baseData(ctx, ctx.tr("Minutes") + " · " + m.title);
  d.set("nav_meetings", true);
  d.set("minutes_page", true);
  const std::string done = doneFlash(ctx);
  if (!done.empty()) d.set("flash", done);
  d.set("has_error", failed != nullptr);
  if (failed) d.set("error", failed->error);
  Data meeting = meetingData(ctx, names, v);
  const Obj::Ptr mm = v.minutes;
  d.set("frozen", v.minutesFrozen);
  d.set("legacy", !mm);
  d.set("legacy_text", v.legacyMinutes);
  if (mm) {
    meeting.set("preamble", str(mm, "preamble"));
    meeting.set("has_preamble", !str(mm, "preamble").empty());
    meeting.set("closing", str(mm, "closing"));
    meeting.set("has_closing", !str(mm, "closing").empty());
    if (!str(mm, "convener").empty()) meeting.set("convener", str(mm, "convener"));
    // Attendance as the minutes recorded it (frozen names once published).
    Data att = listOf();
    auto a = arr(mm, "attendance");
    for (size_t i = 0; i < a->size(); ++i) {
      auto r = a->getObject(static_cast<unsigned>(i));
      Data row = partyData(names, m.communityId, str(r, "party"));
      if (!str(r, "name").empty()) row.set("name", str(r, "name"));
      row.set("status", str(r, "status"));
      row.set("status_label", ctx.tr(statusLabel(str(r, "status"))));
      row.set("delegate", str(r, "delegate"));
      row.set("has_delegate", !str(r, "delegate").empty());
      att.push_back(row);
    }
    if (a->size() > 0) meeting.set("attendance", att);
    Data items = listOf();
    auto its = arr(mm, "items");
    for (size_t i = 0; i < its->size(); ++i) {
      auto it = its->getObject(static_cast<unsigned>(i));
      Data row;
      row.set("n", std::to_string(i + 1));
      row.set("id", str(it, "id"));
      row.set("title", str(it, "title"));
      row.set("proposer", str(it, "proposer_name"));
      const std::string outcome = str(it, "outcome");
      row.set("outcome", outcome);
      row.set("resolved", outcome == "resolved");
      row.set("deferred", outcome == "deferred");
      row.set("dismissed", outcome == "dismissed");
      Data positions = listOf();
      auto ps = arr(it, "positions");
      std::map<std::string, int> tally;
      for (size_t j = 0; j < ps->size(); ++j) {
        auto p = ps->getObject(static_cast<unsigned>(j));
        Data pr = partyData(names, m.communityId, str(p, "party"));
        if (!str(p, "name").empty()) pr.set("name", str(p, "name"));
        pr.set("stance", str(p, "stance"));
        pr.set("stance_label", ctx.tr(stanceLabel(str(p, "stance"))));
        pr.set("reason", str(p, "reason"));
        ++tally[str(p, "stance")];
        positions.push_back(pr);
      }
      row.set("positions", positions);
      std::string tallyText;
      for (const auto& s : stanceCodes())
        if (tally[s] > 0)
          tallyText += (tallyText.empty() ? "" : ctx.tr(", ")) + ctx.tr(stanceLabel(s)) + " " +
                       std::to_string(tally[s]);
      row.set("tally", tallyText);
      row.set("decision", str(it, "decision"));
      row.set("has_decision", !str(it, "decision").empty());
      row.set("reason", str(it, "reason"));
      row.set("response", str(it, "response"));
      row.set("has_lead", !str(it, "lead").empty());
      row.set("lead", str(it, "lead_name").empty() ? names.party(m.communityId, str(it, "lead"))
                                                   : str(it, "lead_name"));
      std::string co;
      auto cs = arr(it, "co");
      for (size_t j = 0; j < cs->size(); ++j) {
        auto c = cs->getObject(static_cast<unsigned>(j));
        co += (co.empty() ? "" : ctx.tr(", ")) + str(c, "name");
      }
      row.set("co", co);
      row.set("has_co", !co.empty());
      row.set("standard", str(it, "standard"));
      row.set("due", str(it, "due"));
      row.set("has_standard", !str(it, "standard").empty());
      row.set("has_due", !str(it, "due").empty());
      row.set("objection", str(it, "objection_addressed"));
      row.set("has_objection", !str(it, "objection_addressed").empty());
      items.push_back(row);
    }
    d.set("items", items);
    d.set("has_items", its->size() > 0);
  }
  d.set("meeting", meeting);
  // Sign-off: every party present, signed or not.
  Data sigs = listOf();
  bool canSign = false;
  for (const auto& s : v.signatures) {
    Data r = partyData(names, m.communityId, s.party);
    r.set("signed", s.isSigned);
    r.set("who", s.isSigned ? names.user(s.userId) : std::string());
    r.set("at", names.localTime(m.communityId, s.at));
    r.set("note", s.note);
    sigs.push_back(r);
    if (!s.isSigned && s.party == u.party && u.representative && u.communityId == m.communityId)
      canSign = true;
  }
  d.set("signatures", sigs);
  const bool convener = isConvenerOf(ctx, m.communityId);
  d.set("can_publish", convener && m.state == "adjourned");
  d.set("can_erratum", convener && m.state == "minutes_published");
  d.set("can_sign", canSign && m.state == "minutes_published");
  d.set("f_preamble", failed ? ctx.form.get("preamble") : str(mm, "preamble"));
  d.set("f_closing", failed ? ctx.form.get("closing") : str(mm, "closing"));
  d.set("f_text", failed ? ctx.form.get("text") : std::string());
  Data errata = listOf();
  for (const auto& e : m.errata) {
    Data r;
    r.set("text", e.text);
    r.set("at", names.localTime(m.communityId, e.at));
    r.set("who", names.user(e.userId));
    errata.push_back(r);
  }
  d.set("errata", errata);
  d.set("has_errata", !m.errata.empty());
  d.set("csv_href", "/meetings/" + std::to_string(m.id) + "/decisions.csv");
  return renderPage(ctx, "meeting_minutes", d, status);
}

// ---- CSV and iCalendar

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// RFC 5545 text escaping (backslash, semicolon, comma, newline).
std::string icsText(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == ';' || c == ',') out += '\\', out += c;
    else if (c == '\n') out += "\\n";
    else if (c != '\r') out += c;
  }
  return out;
}

// One content line, folded at 75 octets without splitting a UTF-8 sequence, CRLF-terminated.
std::string icsLine(const std::string& line) {
  std::string out;
  size_t start = 0, limit = 75;
  while (line.size() - start > limit) {
    size_t cut = start + limit;
    while (cut > start && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out += line.substr(start, cut - start) + "\r\n ";
    start = cut;
    limit = 74;  // the leading space counts
  }
  return out + line.substr(start) + "\r\n";
}

// "20260315T063000Z" for a community-local date and HH:MM.
std::string icsUtc(const std::string& date, const std::string& time, int offsetMinutes) {
  const auto d = model::Date::parse(date);
  if (!d) return {};
  int hh = 9, mm = 0;
  if (time.size() == 5) {
    hh = std::stoi(time.substr(0, 2));
    mm = std::stoi(time.substr(3, 2));
  }
  int64_t minutes = d->dayNumber() * 1440 + hh * 60 + mm - offsetMinutes;
  const int64_t day = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440;
  minutes -= day * 1440;
  const std::string ds = model::Date::fromDayNumber(day).str();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d%02d00Z",
                (ds.substr(0, 4) + ds.substr(5, 2) + ds.substr(8, 2)).c_str(),
                static_cast<int>(minutes / 60), static_cast<int>(minutes % 60));
  return buf;
}

}  // namespace

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

Response meetingLive(RequestContext& ctx) {
  return renderLive(ctx, loadView(ctx, ctx.idParam("id")), nullptr, 200);
}

Response meetingItemEvent(RequestContext& ctx) {
  const int64_t id = ctx.idParam("id");
  const int64_t itemId = ctx.idParam("item");
  const auto v = loadView(ctx, id);
  if (std::none_of(v.agenda.begin(), v.agenda.end(),
                   [&](const workflow::AgendaEntry& e) { return e.item.id == itemId; }))
    throw NotFound(Msg("No such item."));
  const std::string type = ctx.form.get("type");
  if (type != "take_up" && type != "log_position" && type != "resolve" && type != "defer")
    throw Invalid(Msg("Unknown meeting event '{1}'.").arg(type));
  workflow::Command cmd = commandFromForm(type, ctx.form);
  cmd.fields->remove("item");
  if (type == "take_up") cmd.fields->set("meeting", id);
  const std::string back =
      "/meetings/" + std::to_string(id) + "/live?item=" + std::to_string(itemId);
  ctx.query.add("item", std::to_string(itemId));
  try {
    ctx.site.engine.apply(model::StreamRef{"item", itemId}, cmd, ctx.actor());
    spdlog::info("live {} item={} meeting={} user={} rid={}", logSafe(type), itemId, id,
                 ctx.user->username, ctx.requestId);
    return Response::redirect(back + "&done=" + urlEncode(type));
  } catch (const Invalid& e) {
    Failed f{type, ctx.site.i18n.render(ctx.lang, e.message())};
    return renderLive(ctx, loadView(ctx, id), &f, 400);
  } catch (const Refused& e) {
    // 先民主讨论、再集中决议: the refusal names who has not spoken; shown on the screen.
    Failed f{type, ctx.site.i18n.render(ctx.lang, e.message())};
    return renderLive(ctx, loadView(ctx, id), &f, 409);
  }
}

Response meetingMinutes(RequestContext& ctx) {
  return renderMinutes(ctx, loadView(ctx, ctx.idParam("id")), nullptr, 200);
}

Response meetingDecisionsCsv(RequestContext& ctx) {
  const auto v = loadView(ctx, ctx.idParam("id"));
  Names names(ctx);
  std::string out = "\xEF\xBB\xBF";  // UTF-8 BOM: Excel and WPS then read the text as UTF-8
  const std::vector<std::string> head = {
      ctx.tr("No."),      ctx.tr("Item"),      ctx.tr("Decision"),    ctx.tr("Tally"),
      ctx.tr("Lead party"), ctx.tr("Co-handling parties"), ctx.tr("Standard"), ctx.tr("Deadline")};
  auto row = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + csvField(cells[i]);
    out += "\r\n";
  };
  row(head);
  auto items = arr(v.minutes, "items");
  for (size_t i = 0; i < items->size(); ++i) {
    auto it = items->getObject(static_cast<unsigned>(i));
    if (str(it, "outcome") != "resolved") continue;
    std::map<std::string, int> tally;
    auto ps = arr(it, "positions");
    for (size_t j = 0; j < ps->size(); ++j) ++tally[str(ps->getObject(static_cast<unsigned>(j)), "stance")];
    std::string t;
    for (const auto& s : stanceCodes())
      if (tally[s] > 0) t += (t.empty() ? "" : " ") + ctx.tr(stanceLabel(s)) + std::to_string(tally[s]);
    std::string co;
    auto cs = arr(it, "co");
    for (size_t j = 0; j < cs->size(); ++j)
      co += (co.empty() ? "" : "、") + str(cs->getObject(static_cast<unsigned>(j)), "name");
    row({str(it, "id"), str(it, "title"), str(it, "decision"), t, str(it, "lead_name"), co,
         str(it, "standard"), str(it, "due")});
  }
  Response r;
  r.contentType = "text/csv; charset=utf-8";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"meeting-" +
                                                    std::to_string(v.meeting.id) +
                                                    "-decisions.csv\"");
  r.body = out;
  return r;
}

Response meetingsCalendar(RequestContext& ctx) {
  const auto& u = *ctx.user;
  std::string out;
  out += icsLine("BEGIN:VCALENDAR");
  out += icsLine("VERSION:2.0");
  out += icsLine("PRODID:-//liufang//meetings//ZH");
  out += icsLine("CALSCALE:GREGORIAN");
  out += icsLine("METHOD:PUBLISH");
  out += icsLine("X-WR-CALNAME:" + icsText(ctx.tr("Meetings")));
  const std::string stamp = icsUtc(model::localDate(ctx.site.clock.now(), 0).str(), "00:00", 0);
  for (const auto& c : ctx.site.store.communities()) {
    if (u.communityId != 0 && c.id != u.communityId) continue;
    for (const auto& m : ctx.site.store.meetings(c.id)) {
      const std::string start = icsUtc(m.date, m.time, c.utcOffsetMinutes);
      if (start.empty()) continue;
      out += icsLine("BEGIN:VEVENT");
      out += icsLine("UID:meeting-" + std::to_string(m.id) + "-" + c.code + "@liufang");
      out += icsLine("DTSTAMP:" + stamp);
      out += icsLine("DTSTART:" + start);
      out += icsLine("DURATION:PT2H");
      out += icsLine("SUMMARY:" + icsText(c.name + " " + m.title));
      if (!m.location.empty()) out += icsLine("LOCATION:" + icsText(m.location));
      out += icsLine("STATUS:" + std::string(m.state == "cancelled" ? "CANCELLED" : "CONFIRMED"));
      out += icsLine("END:VEVENT");
    }
  }
  out += icsLine("END:VCALENDAR");
  Response r;
  r.contentType = "text/calendar; charset=utf-8";
  r.body = out;
  return r;
}

}  // namespace liufang::web::pages
