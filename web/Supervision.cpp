#include "web/Supervision.h"

#include <Poco/JSON/Array.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <sstream>

#include "model/Errors.h"
#include "web/EventForms.h"
#include "web/Site.h"
#include "web/Svg.h"
#include "web/View.h"
#include "workflow/Ledger.h"

namespace liufang::web {
namespace {

using Data = kainjow::mustache::data;
using Obj = Poco::JSON::Object;

// Rows the printable ledger shows; the CSV has them all.
constexpr int kLedgerPageRows = 2000;

Data listOf() { return Data(Data::type::list); }

model::Date dateParam(RequestContext& ctx, const std::string& name, const model::Date& fallback) {
  const std::string s = ctx.query.get(name);
  if (s.empty()) return fallback;
  auto d = model::Date::parse(s);
  if (!d) throw Invalid(Msg("'{1}' is not a date (YYYY-MM-DD).").arg(s));
  return *d;
}

// Community code by id, "" for 0 (every community); `names` reads each community once per
// request (a district's scoreboard links every figure of every row).
std::string codeOf(Names& names, int64_t id) {
  if (id == 0) return {};
  const auto* c = names.community(id);
  return c ? c->code : "";
}

// The period's link parameters: from, to and the community when one is chosen.
std::string periodParams(Names& names, const workflow::ScorePeriod& p) {
  std::string q = "from=" + p.from.str() + "&to=" + p.to.str();
  const std::string code = codeOf(names, p.communityId);
  if (!code.empty()) q += "&community=" + urlEncode(code);
  return q;
}

// The list of the items in `set` (and led by `party`) for the period.
std::string itemsHref(const std::string& base, const std::string& period, const std::string& set,
                      const std::string& lead, int64_t community, Names& names,
                      const workflow::ScorePeriod& p) {
  std::string href = base + "?" + period;
  // A party or community row narrows to its own community even in the all-communities view.
  if (community != 0 && p.communityId == 0) href += "&community=" + urlEncode(codeOf(names, community));
  if (!lead.empty()) href += "&lead=" + urlEncode(lead);
  return href + "&set=" + urlEncode(set);
}

std::string fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// The figure as people read it: "60.0%", "3", "6.0 working days", or "—" with no items.
std::string valueText(RequestContext& ctx, const workflow::Figure& f) {
  const auto v = f.value();
  if (!v) return "—";
  if (f.unit == "percent") return fixed1(*v) + "%";
  if (f.unit == "days") return ctx.trf("{1} working days", fixed1(*v));
  return std::to_string(f.numerator);
}

// A row's name: the community, the party (with its community in the all-communities view), or
// the total.
std::string lineName(RequestContext& ctx, Names& names, const workflow::ScoreLine& l,
                     bool multi) {
  const auto* c = names.community(l.communityId);
  const std::string community = c ? c->name : ctx.tr("All communities");
  if (l.party.empty()) return community;
  const std::string party = names.party(l.communityId, l.party);
  return multi ? community + " · " + party : party;
}

Data scoreTable(RequestContext& ctx, Names& names, const workflow::Scoreboard& b,
                const std::vector<workflow::ScoreLine>& lines, const std::string& nameHead,
                const std::string& idPrefix, bool multi, const workflow::ScoreLine* total) {
  const std::string period = periodParams(names, b.period);
  Data t;
  t.set("name_head", nameHead);
  Data heads = listOf();
  if (!lines.empty())
    for (const auto& f : lines.front().figures) {
      Data h;
      h.set("label", ctx.tr(f.label));
      heads.push_back(h);
    }
  t.set("heads", heads);
  Data rows = listOf();
  auto addLine = [&](const workflow::ScoreLine& l, const std::string& id, bool isTotal) {
    Data r;
    r.set("row_id", id);
    r.set("name", isTotal ? ctx.tr("All communities") : lineName(ctx, names, l, multi));
    r.set("total_row", isTotal);
    r.set("raised", std::to_string(l.raised));
    r.set("raised_href", itemsHref("/items", period, "raised", l.party, l.communityId, names, b.period));
    Data cells = listOf();
    for (const auto& f : l.figures) {
      Data c;
      c.set("key", f.key);
      c.set("label", ctx.tr(f.label));
      c.set("value", valueText(ctx, f));
      c.set("numerator", std::to_string(f.numerator));
      c.set("denominator", std::to_string(f.denominator));
      c.set("num_href",
            itemsHref("/items", period, f.numeratorSet, l.party, l.communityId, names, b.period));
      c.set("den_href",
            itemsHref("/items", period, f.denominatorSet, l.party, l.communityId, names, b.period));
      c.set("rule", ctx.tr(f.rule));
      c.set("is_count", f.unit == "count");
      cells.push_back(c);
    }
    r.set("cells", cells);
    rows.push_back(r);
  };
  for (const auto& l : lines)
    addLine(l, idPrefix + std::to_string(l.communityId) + (l.party.empty() ? "" : "-" + l.party),
            false);
  if (total) addLine(*total, idPrefix + "total", true);
  t.set("lines", rows);
  t.set("has_lines", !lines.empty());
  return t;
}

// The JSON of one scoreboard line.
Obj::Ptr lineJson(RequestContext& ctx, Names& names, const workflow::Scoreboard& b,
                  const workflow::ScoreLine& l) {
  const std::string period = periodParams(names, b.period);
  Obj::Ptr o = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
  if (l.communityId != 0) {
    const auto* c = names.community(l.communityId);
    o->set("community", c ? c->code : "");
    o->set("community_name", c ? c->name : "");
  }
  if (!l.party.empty()) {
    o->set("party", l.party);
    o->set("party_name", names.party(l.communityId, l.party));
  }
  if (!l.month.empty()) o->set("month", l.month);
  o->set("raised", l.raised);
  Obj::Ptr figs = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& f : l.figures) {
    Obj::Ptr j = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
    j->set("label", ctx.tr(f.label));
    j->set("unit", f.unit);
    j->set("numerator", f.numerator);
    j->set("denominator", f.denominator);
    if (auto v = f.value())
      j->set("value", *v);
    else
      j->set("value", Poco::Dynamic::Var());
    j->set("rule", ctx.tr(f.rule));
    // The months' rows are communities together; their sets are the period's.
    j->set("numerator_items", itemsHref("/api/v1/items", period, f.numeratorSet, l.party,
                                        l.communityId, names, b.period));
    j->set("denominator_items", itemsHref("/api/v1/items", period, f.denominatorSet, l.party,
                                          l.communityId, names, b.period));
    figs->set(f.key, j);
  }
  o->set("figures", figs);
  return o;
}

workflow::Scoreboard load(RequestContext& ctx) {
  return workflow::loadScoreboard(ctx.site.store, ctx.site.engine.calendar(), *ctx.user,
                                  periodFromQuery(ctx));
}

// The light mix, the per-party bars and the monthly trend.
void charts(RequestContext& ctx, Names& names, const workflow::Scoreboard& b, Data& d) {
  const std::string period = periodParams(names, b.period);
  const bool multi = b.period.communityId == 0 && b.communities.size() > 1;
  std::vector<svg::Part> parts;
  const std::pair<const char*, const char*> lights[] = {
      {"green", "#1a7f37"}, {"yellow", "#e3b341"}, {"red", "#cf222e"}};
  const char* sets[] = {"on_track", "due_soon", "overdue"};
  for (size_t k = 0; k < 3; ++k) {
    svg::Part p;
    p.label = ctx.tr(lightLabel(lights[k].first));
    p.count = static_cast<double>(b.lightTotals.at(lights[k].first));
    p.color = lights[k].second;
    p.href = itemsHref("/items", period, sets[k], "", 0, names, b.period);
    parts.push_back(p);
  }
  d.set("light_chart", svg::stackedBar(ctx.tr("Light mix of items being handled"), parts));

  std::vector<svg::Bar> bars;
  for (const auto& l : b.parties) {
    if (bars.size() >= 30) break;  // a district's every party would not fit one chart
    const auto& f = l.figures[1];  // on_time_rate
    svg::Bar bar;
    bar.label = lineName(ctx, names, l, multi);
    bar.value = f.value().value_or(0);
    bar.valueText = valueText(ctx, f);
    bar.tooltip = bar.label + " " + bar.valueText + " (" + std::to_string(f.numerator) + "/" +
                  std::to_string(f.denominator) + ")";
    bar.href = itemsHref("/items", period, f.numeratorSet, l.party, l.communityId, names, b.period);
    bars.push_back(bar);
  }
  if (!bars.empty())
    d.set("party_chart", svg::horizontalBars(ctx.tr("On-time completion rate by lead party"),
                                             bars, 100, "#0b57d0"));

  std::vector<std::string> months;
  svg::Series raised{ctx.tr("Raised"), "#8c959f", {}};
  svg::Series responded{ctx.tr("Responded"), "#1a7f37", {}};
  for (const auto& m : b.months) {
    months.push_back(m.month);
    raised.values.push_back(static_cast<double>(m.raised));
    responded.values.push_back(static_cast<double>(m.figures[0].numerator));
  }
  if (!months.empty())
    d.set("trend_chart", svg::columns(ctx.tr("Items raised and responded to, by month raised"),
                                      months, {raised, responded}));
}

}  // namespace

workflow::ScorePeriod periodFromQuery(RequestContext& ctx) {
  int offset = 480;
  Names names(ctx);
  if (const auto* c = names.community(ctx.user->communityId)) offset = c->utcOffsetMinutes;
  const auto today = model::localDate(ctx.site.clock.now(), offset);
  auto p = workflow::defaultPeriod(today);
  p.to = dateParam(ctx, "to", p.to);
  p.from = dateParam(ctx, "from", p.to == today ? p.from : p.to.plusDays(-364));
  const std::string code = ctx.query.get("community");
  if (!code.empty() && ctx.user->communityId == 0) {
    p.communityId = -1;
    for (const auto& c : ctx.site.store.communities())
      if (c.code == code) p.communityId = c.id;
    if (p.communityId == -1) throw NotFound("There is no such community.");
  }
  return p;
}

bool applyFigureFilter(RequestContext& ctx, model::ItemQuery& q) {
  const std::string from = ctx.query.get("from"), to = ctx.query.get("to");
  const std::string set = ctx.query.get("set"), lead = ctx.query.get("lead");
  if (from.empty() && to.empty() && set.empty() && lead.empty()) return false;
  if (!from.empty() || !to.empty()) {
    workflow::ScorePeriod p;
    p.from = dateParam(ctx, "from", model::Date{2000, 1, 1});
    p.to = dateParam(ctx, "to", model::Date{2099, 12, 31});
    p.communityId = q.communityId > 0 ? q.communityId : 0;
    const auto scope = workflow::scopeOf(ctx.site.store, p);
    q.createdFrom = scope.fromInstant;
    q.createdTo = scope.toInstant;
  }
  // An unknown set name matches nothing rather than everything.
  if (!set.empty()) q.scoreSet = model::isScoreSet(set) ? set : "none";
  q.lead = lead;
  return true;
}

namespace pages {

Response supervision(RequestContext& ctx) {
  const auto b = load(ctx);
  Names names(ctx);
  const bool multi = b.period.communityId == 0;
  Data d = baseData(ctx, ctx.tr("Supervision desk"));
  d.set("nav_supervision", true);
  d.set("from", b.period.from.str());
  d.set("to", b.period.to.str());
  const auto& u = *ctx.user;
  const auto communities = ctx.site.store.communities();
  d.set("show_communities", u.communityId == 0 && communities.size() > 1);
  std::string chosen;
  for (const auto& c : communities)
    if (c.id == b.period.communityId) chosen = c.code;
  d.set("communities", codeOptions(communities, chosen));
  const std::string period = periodParams(names, b.period);
  d.set("ledger_href", "/ledger?" + period);
  d.set("csv_href", "/ledger.csv?" + period);
  d.set("api_href", "/api/v1/scoreboard?" + period);

  Data states = listOf();
  const auto& filterable = stateFilterCodes();
  for (const auto& [state, count] : b.stateTotals) {
    Data s;
    s.set("label", ctx.tr(stateLabel(state)));
    s.set("count", std::to_string(count));
    s.set("state", state);
    if (std::find(filterable.begin(), filterable.end(), state) != filterable.end() ||
        state.find('.') == std::string::npos)
      s.set("href", "/items?" + period + "&state=" + urlEncode(state));
    else if (state == "deadline.on_track")  // no list filter of its own: its score set
      s.set("href", "/items?" + period + "&set=on_track");
    states.push_back(s);
  }
  d.set("states", states);
  d.set("has_states", !b.stateTotals.empty());
  d.set("raised_total", std::to_string(b.total.raised));

  d.set("community_table",
        scoreTable(ctx, names, b, b.communities, ctx.tr("Community"), "c-", false,
                   multi && b.communities.size() > 1 ? &b.total : nullptr));
  d.set("party_table", scoreTable(ctx, names, b, b.parties, ctx.tr("Lead party"), "p-",
                                  multi && b.communities.size() > 1, nullptr));
  charts(ctx, names, b, d);
  return renderPage(ctx, "supervision", d);
}

Response ledgerCsv(RequestContext& ctx) {
  const auto period = workflow::allowedPeriod(ctx.site.store, *ctx.user, periodFromQuery(ctx));
  std::ostringstream out;
  const auto rows = workflow::writeLedgerCsv(out, ctx.site.store, period,
                                             [&](const std::string& m) { return ctx.tr(m); });
  spdlog::info("ledger csv rows={} user={} rid={}", rows, ctx.user->username, ctx.requestId);
  Response r;
  r.contentType = "text/csv; charset=utf-8";
  r.body = out.str();
  Names names(ctx);
  const std::string code = codeOf(names, period.communityId);
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"ledger-" + (code.empty() ? "all" : code) + "-" +
                             period.from.str() + "-" + period.to.str() + ".csv\"");
  return r;
}

Response ledgerPage(RequestContext& ctx) {
  const auto period = workflow::allowedPeriod(ctx.site.store, *ctx.user, periodFromQuery(ctx));
  Data heads = listOf();
  for (const auto& h : workflow::ledgerHeadings()) {
    Data o;
    o.set("text", ctx.tr(h));
    heads.push_back(o);
  }
  Data rows = listOf();
  int64_t shown = 0;
  bool more = false;
  workflow::forEachLedgerRow(ctx.site.store, period,
                             [&](const std::string& m) { return ctx.tr(m); },
                             [&](const workflow::LedgerRow& row) {
                               if (shown == kLedgerPageRows) {
                                 more = true;
                                 return false;
                               }
                               Data r;
                               Data cells = listOf();
                               for (const auto& c : row) {
                                 Data cell;
                                 cell.set("text", c);
                                 cells.push_back(cell);
                               }
                               r.set("cells", cells);
                               r.set("id", row.front());
                               rows.push_back(r);
                               ++shown;
                               return true;
                             });
  Names names(ctx);
  const auto* c = names.community(period.communityId);
  Data d = baseData(ctx, ctx.tr("Ledger"));
  d.set("nav_supervision", true);
  d.set("scope_name", c ? c->name : ctx.tr("All communities"));
  d.set("from", period.from.str());
  d.set("to", period.to.str());
  d.set("heads", heads);
  d.set("rows", rows);
  d.set("has_rows", shown > 0);
  d.set("more", more);
  d.set("shown", std::to_string(shown));
  const std::string params = periodParams(names, period);
  d.set("csv_href", "/ledger.csv?" + params);
  d.set("desk_href", "/supervision?" + params);
  return renderPage(ctx, "ledger", d);
}

}  // namespace pages

namespace api {

Response scoreboard(RequestContext& ctx) {
  const auto b = load(ctx);
  Names names(ctx);
  Obj::Ptr o = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
  Obj::Ptr period = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
  period->set("from", b.period.from.str());
  period->set("to", b.period.to.str());
  const std::string code = codeOf(names, b.period.communityId);
  if (code.empty())
    period->set("community", Poco::Dynamic::Var());
  else
    period->set("community", code);
  o->set("period", period);
  Obj::Ptr states = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [s, n] : b.stateTotals) states->set(s, n);
  o->set("states", states);
  Obj::Ptr lights = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const char* l : {"green", "yellow", "red"}) lights->set(l, b.lightTotals.at(l));
  o->set("lights", lights);
  o->set("total", lineJson(ctx, names, b, b.total));
  auto arr = [&](const std::vector<workflow::ScoreLine>& lines) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (const auto& l : lines) a->add(lineJson(ctx, names, b, l));
    return a;
  };
  o->set("communities", arr(b.communities));
  o->set("parties", arr(b.parties));
  o->set("months", arr(b.months));
  return Response::json(o);
}

}  // namespace api

}  // namespace liufang::web
