#include "web/Pages.h"

#include <Poco/NumberParser.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "model/Errors.h"
#include "model/Password.h"
#include "web/EventForms.h"
#include "web/ItemView.h"
#include "web/Site.h"
#include "web/Supervision.h"
#include "web/View.h"
#include "workflow/Desk.h"

namespace liufang::web::pages {
namespace {

using Data = kainjow::mustache::data;

const char* kSessionCookie = "lf_session";
const char* kLoginCookie = "lf_login";
constexpr int kPageSize = 20;

Poco::Net::HTTPCookie strictCookie(const std::string& name, const std::string& value) {
  Poco::Net::HTTPCookie c(name, value);
  c.setPath("/");
  c.setHttpOnly(true);
  c.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_STRICT);
  return c;
}

Data listOf() { return Data(Data::type::list); }

// The login form's CSRF token is double-submit: the same random value in a cookie and a hidden
// field. A page on another site can send the field but can neither read nor set the cookie.
std::string loginToken(RequestContext& ctx) {
  std::string token = ctx.cookie(kLoginCookie);
  if (token.size() != 32) {
    token = model::randomToken(16);
    ctx.setCookies.push_back(strictCookie(kLoginCookie, token));
  }
  return token;
}

Response renderLogin(RequestContext& ctx, const std::string& username, const std::string& error,
                     int status) {
  Data d = baseData(ctx, ctx.tr("Sign in"));
  d.set("login_csrf", loginToken(ctx));
  d.set("next",
        safeNext(ctx.form.has("next") ? ctx.form.get("next") : ctx.query.get("next"), "/desk"));
  d.set("username", username);
  if (!error.empty()) d.set("error", error);
  return renderPage(ctx, "login", d, status);
}

bool canPropose(const model::User& u) {
  return u.communityId != 0 && (u.convener || (u.representative && !u.party.empty()));
}

Response renderNewItem(RequestContext& ctx, const FormFields* typed, const std::string& error,
                       int status) {
  const auto& u = *ctx.user;
  Data d = baseData(ctx, ctx.tr("New proposal"));
  d.set("nav_new", true);
  d.set("title_value", typed ? typed->get("title") : "");
  d.set("description_value", typed ? typed->get("description") : "");
  if (!error.empty()) d.set("error", error);
  // A representative speaks only for their own party; the convener may raise for any.
  const bool fixed = !u.convener;
  d.set("party_fixed", fixed);
  Names names(ctx);
  d.set("party_code", u.party);
  d.set("party_name", names.party(u.communityId, u.party));
  const std::string chosen = typed && !typed->get("party").empty() ? typed->get("party") : u.party;
  d.set("parties", codeOptions(ctx.site.store.parties(u.communityId), chosen));
  return renderPage(ctx, "new_item", d, status);
}

// Lists count at most this many matches: counting every row of a large database on each page
// view cost more than the page itself.
constexpr int64_t kCountCap = 10000;
// A desk list's count is a badge ("99+"): its rules (no position yet, handled by us) are
// checked row by row, so a higher cap would scan thousands of rows on every desk view.
constexpr int64_t kDeskCountCap = 99;

// "1,234" (thousands grouped, as both languages write them).
std::string grouped(int64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// A positive integer query parameter, 0 if absent or malformed.
int64_t idQuery(RequestContext& ctx, const std::string& name) {
  Poco::Int64 v = 0;
  if (!Poco::NumberParser::tryParse64(ctx.query.get(name), v) || v < 0) return 0;
  return v;
}

}  // namespace

Response home(RequestContext& ctx) { return Response::redirect(ctx.user ? "/desk" : "/login"); }

Response loginForm(RequestContext& ctx) {
  if (ctx.user) return Response::redirect(safeNext(ctx.query.get("next"), "/desk"));
  return renderLogin(ctx, "", "", 200);
}

Response login(RequestContext& ctx) {
  const std::string username = ctx.form.get("username");
  try {
    auto in = ctx.site.auth.login(username, ctx.form.get("password"), ctx.lang, ctx.requestId,
                                  ctx.clientAddress);
    ctx.setCookies.push_back(strictCookie(kSessionCookie, in.token));
    return Response::redirect(safeNext(ctx.form.get("next"), "/desk"));
  } catch (const WebError& e) {
    // Wrong password or throttled: the same form again, the username kept.
    const std::string message = e.retryAfterSeconds() > 0
                                    ? ctx.trf(e.what(), std::to_string(e.retryAfterSeconds()))
                                    : ctx.tr(e.what());
    Response r = renderLogin(ctx, username, message, e.status());
    if (e.retryAfterSeconds() > 0)
      r.headers.emplace_back("Retry-After", std::to_string(e.retryAfterSeconds()));
    return r;
  }
}

Response logout(RequestContext& ctx) {
  ctx.site.auth.logout(ctx.tokenHash);
  auto gone = strictCookie(kSessionCookie, "");
  gone.setMaxAge(0);
  ctx.setCookies.push_back(gone);
  return Response::redirect("/login?done=signed_out");
}

Response switchLanguage(RequestContext& ctx) {
  const std::string lang = I18n::normalize(ctx.query.get("to"));
  if (!lang.empty()) {
    auto c = strictCookie("lf_lang", lang);
    c.setMaxAge(365 * 24 * 3600);
    ctx.setCookies.push_back(c);
  }
  return Response::redirect(safeNext(ctx.query.get("next"), "/"));
}

Response desk(RequestContext& ctx) {
  Names names(ctx);
  Data sections = listOf();
  // Who sees which list is workflow/Desk.cpp's; each list is one indexed query.
  for (const auto& list : workflow::loadDesk(ctx.site.store, *ctx.user, kPageSize, kDeskCountCap)) {
    Data s;
    s.set("key", list.section.key);
    s.set("heading", ctx.tr(list.section.heading));
    s.set("count", list.totalCapped ? grouped(kDeskCountCap) + "+" : grouped(list.total));
    Data rows = listOf();
    for (const auto& item : list.items) rows.push_back(itemRow(ctx, names, item));
    s.set("items", rows);
    s.set("has_items", !list.items.empty());
    sections.push_back(s);
  }
  Data d = baseData(ctx, ctx.tr("My desk"));
  d.set("nav_desk", true);
  d.set("sections", sections);
  return renderPage(ctx, "desk", d);
}

Response itemList(RequestContext& ctx) {
  const auto& u = *ctx.user;
  Names names(ctx);
  model::ItemQuery q;
  q.communityId = u.communityId;
  const std::string state = ctx.query.get("state");
  const std::string party = ctx.query.get("party");
  const std::string community = ctx.query.get("community");
  const std::string text = ctx.query.get("q");
  const auto& states = stateFilterCodes();
  if (std::find(states.begin(), states.end(), state) != states.end()) q.state = state;
  q.party = party;
  q.text = text;
  std::vector<model::Community> communities = ctx.site.store.communities();
  if (u.communityId == 0 && !community.empty()) {
    for (const auto& c : communities)
      if (c.code == community) q.communityId = c.id;
    if (q.communityId == 0) q.communityId = -1;  // an unknown community matches nothing
  }
  // The items behind a supervision figure (?from=&to=&lead=&set=).
  const bool figure = applyFigureFilter(ctx, q);
  int page = 1;
  if (!Poco::NumberParser::tryParse(ctx.query.get("page"), page) || page < 1) page = 1;
  page = std::min(page, 100000);
  // Keyset paging: ?after=<id> is the next page, ?before=<id> the previous one, and page is
  // only the number shown. A bare ?page=N (old links) still skips rows with OFFSET.
  q.afterId = idQuery(ctx, "after");
  q.beforeId = q.afterId == 0 ? idQuery(ctx, "before") : 0;
  const bool keyset = q.afterId != 0 || q.beforeId != 0;
  if (!keyset) q.offset = (page - 1) * kPageSize;
  q.limit = kPageSize + 1;  // one more than shown: is there a next page?
  q.countCap = kCountCap;
  int64_t total = 0;
  auto items = ctx.site.store.listItems(q, &total);
  bool more = static_cast<int>(items.size()) > kPageSize;
  if (more) {
    // Going back, the extra row is the newest one; otherwise the oldest.
    if (q.beforeId != 0)
      items.erase(items.begin());
    else
      items.pop_back();
  }
  if (q.beforeId != 0) more = true;  // we came back from the page after this one

  Data d = baseData(ctx, ctx.tr("Items"));
  d.set("nav_items", true);
  Data stateOptions = listOf();
  for (const auto& s : states) {
    Data o;
    o.set("code", s);
    o.set("label", ctx.tr(stateLabel(s)));
    o.set("selected", s == q.state);
    stateOptions.push_back(o);
  }
  d.set("states", stateOptions);
  // Party codes of the communities in view; the name shown is the first roster's.
  Data partyOptions = listOf();
  std::vector<std::string> seen;
  for (const auto& c : communities) {
    if (u.communityId != 0 && c.id != u.communityId) continue;
    for (const auto& p : ctx.site.store.parties(c.id)) {
      if (std::find(seen.begin(), seen.end(), p.code) != seen.end()) continue;
      seen.push_back(p.code);
      Data o;
      o.set("code", p.code);
      o.set("name", p.name);
      o.set("selected", p.code == party);
      partyOptions.push_back(o);
    }
  }
  d.set("parties", partyOptions);
  d.set("show_communities", u.communityId == 0 && communities.size() > 1);
  d.set("communities", codeOptions(communities, community));
  d.set("q", text);
  Data rows = listOf();
  for (const auto& item : items) rows.push_back(itemRow(ctx, names, item));
  d.set("items", rows);
  d.set("has_items", !items.empty());
  d.set("total_text", total > kCountCap
                          ? ctx.trf("More than {1} items found", grouped(kCountCap))
                          : ctx.site.i18n.plural(ctx.lang, "{1} item found", "{1} items found",
                                                 static_cast<long>(total)));
  d.set("page_text", ctx.trf("Page {1}", std::to_string(page)));
  auto pageHref = [&](int p, const char* key, int64_t id) {
    std::string href = "/items?page=" + std::to_string(p);
    if (key) href += std::string("&") + key + "=" + std::to_string(id);
    if (!q.state.empty()) href += "&state=" + urlEncode(q.state);
    if (!party.empty()) href += "&party=" + urlEncode(party);
    if (!community.empty()) href += "&community=" + urlEncode(community);
    if (!text.empty()) href += "&q=" + urlEncode(text);
    if (figure)
      for (const char* k : {"from", "to", "lead", "set"})
        if (!ctx.query.get(k).empty()) href += std::string("&") + k + "=" + urlEncode(ctx.query.get(k));
    return href;
  };
  // Past the end (an old ?page=N link) there is no row to page back from: back to the start.
  if (page > 1)
    d.set("prev_href",
          items.empty() ? pageHref(1, nullptr, 0) : pageHref(page - 1, "before", items.front().id));
  if (more && !items.empty()) d.set("next_href", pageHref(page + 1, "after", items.back().id));
  return renderPage(ctx, "items", d);
}

Response newItemForm(RequestContext& ctx) {
  if (!canPropose(*ctx.user))
    throw Forbidden("Only party representatives and the convener can raise proposals.");
  return renderNewItem(ctx, nullptr, "", 200);
}

Response createItem(RequestContext& ctx) {
  const auto& u = *ctx.user;
  if (!canPropose(u))
    throw Forbidden("Only party representatives and the convener can raise proposals.");
  workflow::Command cmd("propose");
  for (const char* key : {"title", "description", "party"}) {
    const std::string v = ctx.form.get(key);
    if (!v.empty()) cmd.set(key, v);
  }
  if (!u.convener) cmd.set("party", u.party);
  try {
    auto item = ctx.site.engine.propose(u.communityId, cmd, ctx.actor());
    spdlog::info("proposal created item={} user={} rid={}", item.id, u.username, ctx.requestId);
    return Response::redirect("/items/" + std::to_string(item.id) + "?done=propose");
  } catch (const Invalid& e) {
    return renderNewItem(ctx, &ctx.form, ctx.site.i18n.render(ctx.lang, e.message()), 400);
  }
}

Response itemPage(RequestContext& ctx) {
  const auto item = loadVisibleItem(ctx, ctx.idParam("id"));
  Data d = itemPageData(ctx, item);
  return renderPage(ctx, "item", d);
}

Response fireEvent(RequestContext& ctx) {
  const int64_t id = ctx.idParam("id");
  const std::string type = ctx.form.get("type");
  try {
    // The Engine checks visibility (another community's item is NotFound) and everything else.
    ctx.site.engine.apply(model::StreamRef{"item", id}, commandFromForm(type, ctx.form),
                          ctx.actor());
    return Response::redirect("/items/" + std::to_string(id) + "?done=" + urlEncode(type));
  } catch (const Invalid& e) {
    // A missing or malformed field: the same page, the message in that form, the text kept.
    if (!itemFormEvent(type)) throw;
    spdlog::info("event {} invalid item={} user={} rid={}: {}", type, id, ctx.user->username,
                 ctx.requestId, e.what());
    const auto item = loadVisibleItem(ctx, id);
    const std::string why = ctx.site.i18n.render(ctx.lang, e.message());
    FailedForm failed{type, &ctx.form, why};
    Data d = itemPageData(ctx, item, &failed);
    d.set("flash_error", why);
    return renderPage(ctx, "item", d, 400);
  }
}

Response staticFile(RequestContext& ctx) {
  auto it = ctx.site.statics.find(ctx.params.at("name"));
  if (it == ctx.site.statics.end()) throw NotFound("There is no such file.");
  const StaticFile& f = it->second;
  Response r;
  r.headers.emplace_back("ETag", f.etag);
  r.headers.emplace_back("Cache-Control",
                         "public, max-age=" + std::to_string(ctx.site.config.staticMaxAgeSeconds));
  if (ctx.request.get("If-None-Match", "") == f.etag) {
    r.status = 304;
    return r;
  }
  r.contentType = f.contentType;
  r.body = f.body;
  return r;
}

Response health(RequestContext& ctx) {
  Response r;
  r.contentType = "text/plain; charset=utf-8";
  r.body = "ok schema=" + std::to_string(ctx.site.store.schemaVersion()) + "\n";
  return r;
}

}  // namespace liufang::web::pages
