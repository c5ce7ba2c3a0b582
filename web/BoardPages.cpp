// The public board (公示): the page, its Atom feed, the printable poster with QR codes, and the
// convener's hide/show.
#include <Poco/NumberParser.h>

#include <algorithm>
#include <regex>

#include "model/Errors.h"
#include "web/EventForms.h"
#include "web/QrSvg.h"
#include "web/ResidentPages.h"
#include "web/Site.h"
#include "web/Svg.h"
#include "workflow/Board.h"

namespace liufang::web {

using Data = kainjow::mustache::data;

namespace {

constexpr int kBoardPage = 20;
constexpr int kFeedSize = 50;
const std::vector<std::string> kBoardStates = {"assignment", "deadline", "followup", "closed"};

// The board's filters from the query string; unknown values are dropped, not believed.
model::BoardQuery boardQuery(RequestContext& ctx, const model::Community& c,
                             const std::vector<model::Party>& roster) {
  model::BoardQuery q;
  q.communityId = c.id;
  const std::string state = ctx.query.get("state");
  if (std::find(kBoardStates.begin(), kBoardStates.end(), state) != kBoardStates.end())
    q.state = state;
  const std::string party = ctx.query.get("party");
  if (std::any_of(roster.begin(), roster.end(), [&](const auto& p) { return p.code == party; }))
    q.party = party;
  static const std::regex month("^[0-9]{4}-(0[1-9]|1[0-2])$");
  if (std::regex_match(ctx.query.get("month"), month)) q.month = ctx.query.get("month");
  Poco::Int64 after = 0;
  if (Poco::NumberParser::tryParse64(ctx.query.get("after"), after) && after > 0) q.afterId = after;
  return q;
}

}  // namespace

Data publicItemData(RequestContext& ctx, Names& names, const model::Item& item) {
  Data d;
  d.set("id", std::to_string(item.id));
  d.set("title", item.title);
  d.set("top_state", item.topState());
  d.set("state_label", ctx.tr(stateLabel(item.state)));
  const std::string light = workflow::Engine::light(item);
  if (!light.empty()) {
    d.set("light", light);
    d.set("light_label", ctx.tr(lightLabel(light)));
  }
  d.set("escalated", item.escalated);
  const std::string lead = item.lead();
  if (!lead.empty()) d.set("lead_name", names.party(item.communityId, lead));
  if (!item.due.empty()) d.set("due", item.due);
  if (!item.decision.empty()) d.set("decision", item.decision);
  if (!item.result.empty()) d.set("result", item.result);
  if (item.topState() == "closed" && !item.response.empty()) {
    d.set("response", item.response);
    d.set("outcome_label", ctx.tr(outcomeLabel(item.outcome)));
  }
  if (!item.rating.empty()) d.set("rating_label", ctx.tr(ratingLabel(item.rating)));
  d.set("updated_at", names.localTime(item.communityId, item.updatedAt));
  return d;
}

namespace board {

Response page(RequestContext& ctx) {
  const model::Community c = routeCommunity(ctx);
  Names names(ctx);
  const auto& roster = names.parties(c.id);
  model::BoardQuery q = boardQuery(ctx, c, roster);
  q.limit = kBoardPage + 1;  // one more tells whether an older page exists
  auto items = ctx.site.store.boardItems(q);
  const bool more = static_cast<int>(items.size()) > kBoardPage;
  if (more) items.resize(kBoardPage);
  // The convener of this community may keep an item off the board from here.
  const bool convener = ctx.user && ctx.user->convener && ctx.user->communityId == c.id;
  Data rows(Data::type::list);
  for (const auto& item : items) {
    Data row = publicItemData(ctx, names, item);
    row.set("can_hide", convener);
    rows.push_back(row);
  }
  Data d = baseData(ctx, ctx.tr("Public board") + " · " + c.name);
  d.set("r", residentStrings(ctx));
  d.set("community_code", c.code);
  d.set("community_name", c.name);
  d.set("items", rows);
  d.set("has_items", !items.empty());
  d.set("can_hide", convener);
  if (convener) d.set("csrf", ctx.session ? ctx.session->csrfToken : "");
  Data states(Data::type::list);
  for (const auto& s : kBoardStates) {
    Data o;
    o.set("code", s);
    o.set("name", ctx.tr(stateLabel(s)));
    o.set("selected", s == q.state);
    states.push_back(o);
  }
  d.set("states", states);
  d.set("parties", codeOptions(roster, q.party));
  d.set("month", q.month);
  if (more) {
    std::string next = "/board/" + c.code + "?after=" + std::to_string(items.back().id);
    if (!q.state.empty()) next += "&state=" + urlEncode(q.state);
    if (!q.party.empty()) next += "&party=" + urlEncode(q.party);
    if (!q.month.empty()) next += "&month=" + urlEncode(q.month);
    d.set("older_href", next);
  }
  if (convener) {
    Data hidden(Data::type::list);
    for (const auto& e : ctx.site.store.boardExclusions(c.id)) {
      auto item = ctx.site.store.findItem(e.itemId);
      if (!item) continue;
      Data o;
      o.set("id", std::to_string(e.itemId));
      o.set("title", item->title);
      o.set("reason", e.reason);
      o.set("at", names.localTime(c.id, e.at));
      o.set("by", names.user(e.userId));
      hidden.push_back(o);
    }
    d.set("hidden", hidden);
  }
  return renderPage(ctx, "board", d);
}

Response atom(RequestContext& ctx) {
  const model::Community c = routeCommunity(ctx);
  Names names(ctx);
  model::BoardQuery q = boardQuery(ctx, c, names.parties(c.id));
  q.limit = kFeedSize;
  const auto items = ctx.site.store.boardItems(q);
  const std::string base = publicBase(ctx);
  const std::string boardUrl = base + "/board/" + c.code;
  std::string updated = items.empty() ? "1970-01-01T00:00:00Z" : items.front().updatedAt;
  for (const auto& i : items) updated = std::max(updated, i.updatedAt);
  std::string x = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  x += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"" +
       std::string(ctx.lang == "en" ? "en" : "zh-CN") + "\">\n";
  x += "<title>" + svg::escape(c.name + " · " + ctx.tr("Public board")) + "</title>\n";
  x += "<id>" + svg::escape(boardUrl) + "</id>\n";
  x += "<link rel=\"alternate\" type=\"text/html\" href=\"" + svg::escape(boardUrl) + "\"/>\n";
  x += "<link rel=\"self\" href=\"" + svg::escape(boardUrl + "/atom.xml") + "\"/>\n";
  x += "<updated>" + svg::escape(updated) + "</updated>\n";
  x += "<author><name>" + svg::escape(c.name) + "</name></author>\n";
  for (const auto& item : items) {
    std::string summary = ctx.tr(stateLabel(item.state));
    const std::string lead = item.lead();
    auto line = [&](const std::string& label, const std::string& value) {
      if (!value.empty()) summary += "\n" + ctx.tr(label) + ": " + value;
    };
    line("Lead party", lead.empty() ? "" : names.party(c.id, lead));
    line("Deadline", item.due);
    line("Decision", item.decision);
    line("Result", item.result);
    if (item.topState() == "closed") line("Response", item.response);
    line("Satisfaction", item.rating.empty() ? "" : ctx.tr(ratingLabel(item.rating)));
    if (item.escalated) summary += "\n" + ctx.tr("Escalated");
    x += "<entry>\n";
    x += "<title>" + svg::escape(item.title) + "</title>\n";
    x += "<id>" + svg::escape(boardUrl + "#item-" + std::to_string(item.id)) + "</id>\n";
    x += "<link rel=\"alternate\" type=\"text/html\" href=\"" +
         svg::escape(boardUrl + "#item-" + std::to_string(item.id)) + "\"/>\n";
    x += "<updated>" + svg::escape(item.updatedAt) + "</updated>\n";
    x += "<summary>" + svg::escape(summary) + "</summary>\n";
    x += "</entry>\n";
  }
  x += "</feed>\n";
  Response r;
  r.contentType = "application/atom+xml; charset=utf-8";
  r.body = std::move(x);
  return r;
}

Response poster(RequestContext& ctx) {
  const model::Community c = routeCommunity(ctx);
  const std::string base = publicBase(ctx);
  const std::string requestUrl = base + "/request/" + c.code;
  const std::string boardUrl = base + "/board/" + c.code;
  Data d = baseData(ctx, c.name);
  d.set("r", residentStrings(ctx));
  d.set("community_code", c.code);
  d.set("community_name", c.name);
  d.set("request_url", requestUrl);
  d.set("board_url", boardUrl);
  d.set("request_qr", qrSvg(requestUrl, "62mm", ctx.tr("Scan to raise a problem")));
  d.set("board_qr", qrSvg(boardUrl, "62mm", ctx.tr("Scan to see the public board")));
  return Response::html(
      ctx.site.templates.render("board_poster", d, ctx.site.i18n.strings(ctx.lang)));
}

Response setVisibility(RequestContext& ctx) {
  const model::Community c = routeCommunity(ctx);
  const int64_t id = ctx.idParam("id");
  const bool hide = ctx.form.get("hidden") == "1";
  workflow::setBoardVisibility(ctx.site.store, ctx.site.clock, id, hide, ctx.form.get("reason"),
                               ctx.actor());
  return Response::redirect("/board/" + c.code + "?done=" + (hide ? "hidden" : "shown"));
}

}  // namespace board
}  // namespace liufang::web
