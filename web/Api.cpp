#include "web/Api.h"

#include <Poco/JSON/Array.h>
#include <Poco/NumberParser.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "model/Errors.h"
#include "web/EventForms.h"
#include "web/ItemView.h"
#include "web/Site.h"
#include "web/Supervision.h"
#include "web/View.h"

namespace liufang::web::api {
namespace {

using Obj = Poco::JSON::Object;

std::string stringField(const Obj::Ptr& body, const std::string& key) {
  if (!body->has(key)) return {};
  const auto& v = body->get(key);
  if (v.isEmpty()) return {};
  if (!v.isString()) throw Invalid(Msg("The field \"{1}\" must be a string.").arg(key));
  return v.toString();
}

int intParam(const RequestContext& ctx, const std::string& name, int fallback, int lo, int hi) {
  int v = fallback;
  const std::string s = ctx.query.get(name);
  if (!s.empty() && !Poco::NumberParser::tryParse(s, v))
    throw Invalid(Msg("The parameter \"{1}\" must be a number.").arg(name));
  return std::clamp(v, lo, hi);
}

Obj::Ptr userJson(RequestContext& ctx, const model::User& u) {
  Obj::Ptr o = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("username", u.username);
  o->set("display_name", u.displayName);
  Names names(ctx);
  if (const auto* c = names.community(u.communityId)) o->set("community", c->code);
  o->set("party", u.party);
  Poco::JSON::Array::Ptr roles = new Poco::JSON::Array;
  if (u.convener) roles->add("convener");
  if (u.representative) roles->add("representative");
  if (u.supervisor) roles->add("supervisor");
  o->set("roles", roles);
  o->set("locale", u.locale);
  return o;
}

}  // namespace

Response openapi(RequestContext& ctx) {
  Response r;
  r.contentType = "application/json; charset=utf-8";
  r.body = ctx.site.openapi;
  r.headers.emplace_back("Cache-Control", "public, max-age=300");
  return r;
}

Response createSession(RequestContext& ctx) {
  const auto body = ctx.jsonBody();
  const std::string username = stringField(body, "username");
  const std::string password = stringField(body, "password");
  if (username.empty() || password.empty())
    throw Invalid("Both \"username\" and \"password\" are required.");
  auto in = ctx.site.auth.login(username, password, ctx.lang, ctx.requestId);
  ctx.user = in.user;
  Obj::Ptr o = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("token", in.token);
  o->set("idle_minutes", ctx.site.config.sessionIdleMinutes);
  o->set("user", userJson(ctx, in.user));
  return Response::json(o, 200);
}

Response deleteSession(RequestContext& ctx) {
  ctx.site.auth.logout(ctx.tokenHash);
  Response r;
  r.status = 204;
  return r;
}

Response me(RequestContext& ctx) { return Response::json(userJson(ctx, *ctx.user)); }

Response listItems(RequestContext& ctx) {
  // Counting stops here: "total" is exact up to this, and total_exact says when it is not.
  constexpr int64_t kCountCap = 10000;
  const auto& u = *ctx.user;
  model::ItemQuery q;
  q.communityId = u.communityId;
  q.state = ctx.query.get("state");
  q.party = ctx.query.get("party");
  q.text = ctx.query.get("q");
  q.limit = intParam(ctx, "limit", 50, 1, 500);
  q.offset = intParam(ctx, "offset", 0, 0, 1000000000);
  // Keyset paging: ?after=<id> continues after that item (pass next_after from the previous
  // page); its cost does not grow with the page number, unlike offset.
  const std::string after = ctx.query.get("after");
  Poco::Int64 afterId = 0;
  if (!after.empty() && (!Poco::NumberParser::tryParse64(after, afterId) || afterId < 1))
    throw Invalid(Msg("The parameter \"{1}\" must be a number.").arg("after"));
  q.afterId = afterId;
  q.countCap = kCountCap;
  const std::string community = ctx.query.get("community");
  if (u.communityId == 0 && !community.empty()) {
    q.communityId = -1;  // unknown code: nothing matches
    for (const auto& c : ctx.site.store.communities())
      if (c.code == community) q.communityId = c.id;
  }
  applyFigureFilter(ctx, q);  // the items behind a scoreboard figure
  const int shown = q.limit;
  ++q.limit;  // one more than shown: is there a next page?
  int64_t total = 0;
  auto items = ctx.site.store.listItems(q, &total);
  const bool more = static_cast<int>(items.size()) > shown;
  if (more) items.pop_back();
  Names names(ctx);
  Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
  for (const auto& item : items) arr->add(itemJson(ctx, names, item, false));
  Obj::Ptr o = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("total", std::min(total, kCountCap));
  o->set("total_exact", total <= kCountCap);
  o->set("limit", shown);
  o->set("offset", q.offset);
  if (more) o->set("next_after", items.back().id);
  o->set("items", arr);
  return Response::json(o);
}

Response createItem(RequestContext& ctx) {
  const auto& u = *ctx.user;
  const auto body = ctx.jsonBody();
  workflow::Command cmd("propose");
  for (const auto& [key, value] : *body)
    if (key != "community" && key != "type") cmd.fields->set(key, value);
  int64_t communityId = u.communityId;
  if (communityId == 0) {
    const std::string code = stringField(body, "community");
    for (const auto& c : ctx.site.store.communities())
      if (c.code == code) communityId = c.id;
    if (communityId == 0) throw Invalid("The field \"community\" is required.");
  }
  auto item = ctx.site.engine.propose(communityId, cmd, ctx.actor());
  spdlog::info("proposal created item={} user={} rid={}", item.id, u.username, ctx.requestId);
  Names names(ctx);
  Response r = Response::json(itemJson(ctx, names, item, true), 201);
  r.headers.emplace_back("Location", "/api/v1/items/" + std::to_string(item.id));
  return r;
}

Response getItem(RequestContext& ctx) {
  const auto item = loadVisibleItem(ctx, ctx.idParam("id"));
  Names names(ctx);
  return Response::json(itemJson(ctx, names, item, true));
}

Response fireEvent(RequestContext& ctx) {
  const int64_t id = ctx.idParam("id");
  const auto cmd = commandFromJson(ctx.jsonBody());
  // Answered from what the Engine applied: the new projection and the rows it appended, with
  // no second read of the item or its log. Visibility is the Engine's check (NotFound).
  const auto applied = ctx.site.engine.apply(model::StreamRef{"item", id}, cmd, ctx.actor());
  Names names(ctx);
  return Response::json(itemJson(ctx, names, applied.as<model::Item>(), false, &applied.rows));
}

}  // namespace liufang::web::api
