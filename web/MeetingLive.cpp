// The live meeting screen (/meetings/{id}/live): the convener's projector view and each
// representative's phone view of the current item; positions and decisions go through the
// Engine as item events.
#include <Poco/NumberParser.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "model/Errors.h"
#include "web/EventForms.h"
#include "web/MeetingPageKit.h"
#include "web/MeetingPages.h"
#include "web/Site.h"
#include "workflow/MeetingEvents.h"

namespace liufang::web::pages {
namespace meeting {
namespace {

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

}  // namespace

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

}  // namespace meeting

using namespace meeting;

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

}  // namespace liufang::web::pages
