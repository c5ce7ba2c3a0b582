// The per-user deadline calendar: settings page and feed (see CalendarPages.h).
#include "web/CalendarPages.h"

#include <spdlog/spdlog.h>

#include "model/Clock.h"
#include "model/Errors.h"
#include "model/Hash.h"
#include "web/EventForms.h"
#include "web/Ics.h"
#include "web/ResidentPages.h"
#include "web/Site.h"
#include "web/View.h"
#include "workflow/CalendarFeed.h"

namespace liufang::web::pages {
namespace {

using Data = kainjow::mustache::data;

Response render(RequestContext& ctx, const std::string& token) {
  const auto& u = *ctx.user;
  Names names(ctx);
  Data d = baseData(ctx, ctx.tr("Deadline calendar"));
  d.set("is_supervisor", u.supervisor);
  if (!token.empty()) {
    const std::string url = publicBase(ctx) + "/calendar/" + token + ".ics";
    d.set("new_url", url);
    const size_t scheme = url.find("://");
    d.set("webcal_url", "webcal" + url.substr(scheme));
  }
  const auto link = workflow::calendarLinkOf(ctx.site.store, u.id);
  d.set("has_link", link.has_value());
  if (link) {
    d.set("created", names.localTime(u.communityId, link->createdAt));
    if (!link->lastFetchedAt.empty())
      d.set("fetched", names.localTime(u.communityId, link->lastFetchedAt));
  }
  d.set("count", std::to_string(workflow::calendarItemCount(ctx.site.store, u)));
  Response r = renderPage(ctx, "calendar", d);
  // The page may carry the secret URL: keep it out of caches.
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace

Response calendarPage(RequestContext& ctx) { return render(ctx, ""); }

Response createCalendar(RequestContext& ctx) {
  const std::string at = model::formatInstant(ctx.site.clock.now());
  const std::string token = workflow::createCalendarLink(ctx.site.store, ctx.user->id, at);
  spdlog::info("calendar link created user={} rid={}", logSafe(ctx.user->username),
               ctx.requestId);
  // Rendered, not redirected: the token never appears in a URL the browser keeps.
  return render(ctx, token);
}

Response revokeCalendar(RequestContext& ctx) {
  workflow::revokeCalendarLink(ctx.site.store, ctx.user->id);
  spdlog::info("calendar link revoked user={} rid={}", logSafe(ctx.user->username),
               ctx.requestId);
  return Response::redirect("/calendar");
}

Response calendarFeed(RequestContext& ctx) {
  const std::string& file = ctx.params.at("file");
  const std::string suffix = ".ics";
  if (file.size() <= suffix.size() || file.compare(file.size() - 4, 4, suffix) != 0)
    throw NotFound("No such calendar.");
  const std::string token = file.substr(0, file.size() - suffix.size());
  // Keyed by the token's hash (never logged): a leaked link polled hard is slowed down, while
  // calendar apps polling every few minutes stay well inside the allowance.
  const std::string key = model::sha256Hex(token).substr(0, 16);
  if (const int wait = ctx.site.calendarLimit.attempt(key, ctx.site.clock.now()); wait > 0) {
    spdlog::warn("calendar feed rate-limited feed={} addr={} rid={}", key,
                 logSafe(ctx.clientAddress), ctx.requestId);
    Response r = Response::html(ctx.tr("Too many requests; try again later."), 429);
    r.headers.emplace_back("Retry-After", std::to_string(wait));
    return r;
  }
  const auto feed = workflow::calendarFeed(ctx.site.store, model::HolidayCalendar::china(), token,
                                           model::formatInstant(ctx.site.clock.now()));
  if (!feed) {
    spdlog::info("calendar feed refused feed={} addr={} rid={}", key, logSafe(ctx.clientAddress),
                 ctx.requestId);
    throw NotFound("No such calendar.");
  }
  // The feed speaks its owner's language: calendar apps send no cookie.
  ctx.lang = feed->user.locale == "en" ? "en" : "zh_CN";
  Names names(ctx);
  const std::string base = publicBase(ctx);
  std::string out = ics::begin("-//liufang//deadlines//ZH", ctx.tr("Deadline calendar"));
  const std::string stamp = ics::utc(model::localDate(ctx.site.clock.now(), 0).str(), "00:00", 0);
  for (const auto& e : feed->entries) {
    const auto& it = e.item;
    const std::string day = ics::date(it.due);
    if (day.empty()) continue;
    const std::string next = ics::date(model::Date::parse(it.due)->plusDays(1).str());
    const std::string href = base + "/items/" + std::to_string(it.id);
    const std::string light = it.state.substr(it.state.find('.') + 1);
    std::string desc = ctx.tr("State") + ": " + ctx.tr(stateLabel(it.state));
    if (it.escalated) desc += " · " + ctx.tr("Escalated");
    desc += "\n" + ctx.tr("Lead party") + ": " + names.party(it.communityId, it.leadParty);
    desc += "\n" + href;
    out += ics::line("BEGIN:VEVENT");
    out += ics::line("UID:item-" + std::to_string(it.id) + "@liufang");
    out += ics::line("DTSTAMP:" + stamp);
    out += ics::line("DTSTART;VALUE=DATE:" + day);
    out += ics::line("DTEND;VALUE=DATE:" + next);
    out += ics::line("SUMMARY:" + ics::text("#" + std::to_string(it.id) + " " + it.title));
    out += ics::line("DESCRIPTION:" + ics::text(desc));
    out += ics::line("URL:" + href);
    out += ics::line("TRANSP:TRANSPARENT");
    if (light == "overdue") out += ics::line("CATEGORIES:" + ics::text(ctx.tr("Overdue")));
    if (!e.remindOn.empty()) {
      out += ics::line("BEGIN:VALARM");
      out += ics::line("ACTION:DISPLAY");
      out += ics::line("DESCRIPTION:" + ics::text(ctx.tr("Due on the next working day") + ": #" +
                                                  std::to_string(it.id) + " " + it.title));
      out += ics::line("TRIGGER;VALUE=DATE-TIME:" +
                       ics::utc(e.remindOn, "09:00", feed->utcOffsetMinutes));
      out += ics::line("END:VALARM");
    }
    out += ics::line("END:VEVENT");
  }
  out += ics::end();
  spdlog::info("calendar feed fetched feed={} user={} entries={} addr={} rid={}", key,
               logSafe(feed->user.username), feed->entries.size(), logSafe(ctx.clientAddress),
               ctx.requestId);
  Response r;
  r.contentType = "text/calendar; charset=utf-8";
  r.headers.emplace_back("Cache-Control", "private, no-store");
  r.body = out;
  return r;
}

}  // namespace liufang::web::pages
