#include "web/View.h"

#include "workflow/Inbox.h"
#include "workflow/Webhooks.h"

#include <cstdio>

#include "model/Calendar.h"
#include "web/EventForms.h"
#include "web/Site.h"
#include "workflow/RequestEvents.h"

namespace liufang::web {

namespace {

// The flash after a redirect travels as ?done=<event>, so a reload or a shared link shows a
// fixed, translated sentence and never text the URL supplied.
std::string flashFor(RequestContext& ctx) {
  const std::string done = ctx.query.get("done");
  if (done.empty()) return {};
  if (done == "signed_out") return ctx.tr("You have signed out.");
  if (done == "propose" || itemFormEvent(done))
    return ctx.trf("Done: {1}.", ctx.tr(eventLabel(done)));
  return {};
}

}  // namespace

kainjow::mustache::data baseData(RequestContext& ctx, const std::string& title) {
  kainjow::mustache::data d;
  d.set("title", title);
  d.set("lang", ctx.lang);
  d.set("html_lang", ctx.lang == "en" ? "en" : "zh-CN");
  d.set("request_id", ctx.requestId);
  // Language names are written in their own language, so they are not translated.
  const bool english = ctx.lang == "en";
  const std::string other = english ? "zh_CN" : "en";
  std::string here = ctx.path;
  std::string next = here;
  if (!ctx.query.all().empty()) {
    std::string qs;
    for (const auto& [k, v] : ctx.query.all()) {
      if (k == "lang" || k == "done") continue;
      qs += (qs.empty() ? "?" : "&") + urlEncode(k) + "=" + urlEncode(v);
    }
    next += qs;
  }
  d.set("lang_switch_href", "/lang?to=" + other + "&next=" + urlEncode(next));
  d.set("lang_switch_label", english ? "中文" : "English");
  d.set("lang_switch_code", english ? "zh-CN" : "en");
  const std::string flash = flashFor(ctx);
  if (!flash.empty()) d.set("flash", flash);
  d.set("signed_in", ctx.user.has_value());
  if (ctx.user) {
    const auto& u = *ctx.user;
    kainjow::mustache::data me;
    me.set("display_name", u.displayName.empty() ? u.username : u.displayName);
    me.set("username", u.username);
    me.set("has_party", !u.party.empty());
    if (!u.party.empty()) {
      Names names(ctx);
      me.set("party_name", names.party(u.communityId, u.party));
    }
    d.set("me", me);
    d.set("csrf", ctx.session ? ctx.session->csrfToken : "");
    d.set("can_propose", u.convener || (u.representative && !u.party.empty()));
    d.set("can_supervise", u.supervisor || u.convener);
    d.set("can_moderate_requests",
          u.communityId != 0 && workflow::mayModerateRequests(workflow::Actor::fromUser(u)));
    d.set("is_convener", u.convener && u.communityId != 0);
    d.set("can_read_webhooks", workflow::mayReadWebhookLog(u));
    // The inbox badge: one capped, indexed COUNT per signed-in page.
    const int unread = workflow::unreadNotices(ctx.site.store, u.id);
    d.set("inbox_unread", unread > 0);
    d.set("inbox_count", unread >= workflow::kInboxBadgeCap
                             ? std::to_string(workflow::kInboxBadgeCap) + "+"
                             : std::to_string(unread));
  }
  return d;
}

Response renderPage(RequestContext& ctx, const std::string& name,
                    const kainjow::mustache::data& data, int status) {
  return Response::html(ctx.site.templates.renderPage(name, data, ctx.site.i18n.strings(ctx.lang)),
                        status);
}

const std::map<std::string, std::string>& Names::roster(int64_t communityId) {
  auto it = rosters_.find(communityId);
  if (it != rosters_.end()) return it->second;
  std::map<std::string, std::string> m;
  for (const auto& p : parties(communityId)) m[p.code] = p.name;
  return rosters_.emplace(communityId, std::move(m)).first->second;
}

const std::vector<model::Party>& Names::parties(int64_t communityId) {
  auto it = partyLists_.find(communityId);
  if (it == partyLists_.end())
    it = partyLists_.emplace(communityId, ctx_.site.store.parties(communityId)).first;
  return it->second;
}

std::string Names::party(int64_t communityId, const std::string& code) {
  if (code.empty()) return {};
  const auto& r = roster(communityId);
  auto it = r.find(code);
  return it == r.end() ? code : it->second;
}

std::string Names::partyAt(int64_t communityId, const std::string& code,
                           const std::string& instant) {
  if (code.empty()) return {};
  auto it = histories_.find(communityId);
  if (it == histories_.end())
    it = histories_
             .emplace(communityId, workflow::PartyNameHistory(
                                       parties(communityId),
                                       ctx_.site.store.partyNames(communityId)))
             .first;
  return it->second.nameAt(code, instant);
}

std::string Names::partyClass(int64_t communityId, const std::string& code) {
  return "party-" + std::to_string(communityId) + "-" + code;
}

std::string Names::partyShort(int64_t communityId, const std::string& code) {
  for (const auto& p : parties(communityId))
    if (p.code == code) return p.shortName.empty() ? p.name : p.shortName;
  return code;
}

std::string Names::user(int64_t userId) {
  if (userId == 0) return ctx_.tr("System");
  auto it = users_.find(userId);
  if (it == users_.end()) {
    auto u = ctx_.site.store.findUser(userId);
    if (!u) return "#" + std::to_string(userId);
    it = users_.emplace(userId, *u).first;
  }
  return it->second.displayName.empty() ? it->second.username : it->second.displayName;
}

std::string Names::username(int64_t userId) {
  if (userId == 0) return "system";
  user(userId);
  auto it = users_.find(userId);
  return it == users_.end() ? "" : it->second.username;
}

const model::Community* Names::community(int64_t id) {
  auto it = communities_.find(id);
  if (it == communities_.end()) {
    auto c = ctx_.site.store.findCommunity(id);
    if (!c) return nullptr;
    it = communities_.emplace(id, *c).first;
  }
  return &it->second;
}

std::string Names::localTime(int64_t communityId, const std::string& instant) {
  if (instant.empty()) return {};
  int offset = 480;
  if (const auto* c = community(communityId)) offset = c->utcOffsetMinutes;
  try {
    const auto t = model::parseInstant(instant) + std::chrono::minutes(offset);
    const auto secs =
        std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
    const int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    const int64_t rest = secs - days * 86400;
    const model::Date date = model::Date::fromDayNumber(days);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(rest / 3600),
                  static_cast<int>((rest / 60) % 60));
    return date.str() + " " + buf;
  } catch (const std::exception&) {
    return instant;
  }
}

}  // namespace liufang::web
