// The meeting's documents: the minutes (会议纪要) with sign-off, the decisions as CSV and the
// community's meetings as iCalendar.
#include <spdlog/spdlog.h>

#include <map>

#include "model/Calendar.h"
#include "model/Clock.h"
#include "model/Errors.h"
#include "web/EventForms.h"
#include "web/Ics.h"
#include "web/MeetingPageKit.h"
#include "web/MeetingPages.h"
#include "web/Site.h"
#include "workflow/Ledger.h"
#include "workflow/MeetingEvents.h"

namespace liufang::web::pages {
namespace meeting {

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

}  // namespace meeting

using namespace meeting;

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
  auto row = [&](const std::vector<std::string>& cells) { out += workflow::csvRecord(cells); };
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
  std::string out = ics::begin("-//liufang//meetings//ZH", ctx.tr("Meetings"));
  const std::string stamp = ics::utc(model::localDate(ctx.site.clock.now(), 0).str(), "00:00", 0);
  for (const auto& c : ctx.site.store.communities()) {
    if (u.communityId != 0 && c.id != u.communityId) continue;
    for (const auto& m : ctx.site.store.meetings(c.id)) {
      const std::string start = ics::utc(m.date, m.time, c.utcOffsetMinutes);
      if (start.empty()) continue;
      out += ics::line("BEGIN:VEVENT");
      out += ics::line("UID:meeting-" + std::to_string(m.id) + "-" + c.code + "@liufang");
      out += ics::line("DTSTAMP:" + stamp);
      out += ics::line("DTSTART:" + start);
      out += ics::line("DURATION:PT2H");
      out += ics::line("SUMMARY:" + ics::text(c.name + " " + m.title));
      if (!m.location.empty()) out += ics::line("LOCATION:" + ics::text(m.location));
      out += ics::line("STATUS:" + std::string(m.state == "cancelled" ? "CANCELLED" : "CONFIRMED"));
      out += ics::line("END:VEVENT");
    }
  }
  out += ics::end();
  Response r;
  r.contentType = "text/calendar; charset=utf-8";
  r.body = out;
  return r;
}

}  // namespace liufang::web::pages
