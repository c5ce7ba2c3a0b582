// The residents' request pages: the public form, the tracking page, the moderation queue.
#include "web/ResidentPages.h"

#include <Poco/NumberParser.h>
#include <spdlog/spdlog.h>

#include "model/Calendar.h"
#include "model/Errors.h"
#include "web/EventForms.h"
#include "web/Site.h"
#include "workflow/RequestEvents.h"
#include "workflow/RequestKind.h"
#include "workflow/ResidentDemo.h"

namespace liufang::web {

using Data = kainjow::mustache::data;

namespace {

// (key, English msgid) of every {{r.key}} text.
const std::vector<std::pair<std::string, std::string>>& stringTable() {
  static const std::vector<std::pair<std::string, std::string>> t = {
      {"req_heading", "Tell the community about a problem"},
      {"req_intro",
       "No sign-in needed. You get a tracking number to follow your request, and every request "
       "gets a public answer. Your contact details are seen by the convener only and never "
       "published."},
      {"req_title", "What is the problem?"},
      {"req_description", "Describe it"},
      {"req_location", "Where (optional)"},
      {"req_contact", "How can we reach you? (optional, seen by the convener only)"},
      {"req_hp", "Leave this field empty"},
      {"req_submit", "Send"},
      {"req_chars", "characters at most"},
      {"track_heading", "Follow a request"},
      {"track_number", "Tracking number"},
      {"track_go", "Look up"},
      {"track_new", "Received. Keep this tracking number to follow your request:"},
      {"track_state", "State"},
      {"track_submitted", "Submitted"},
      {"track_reply", "Public reply"},
      {"track_replied", "Answered at"},
      {"track_no_reply", "Not answered yet: the community answers every request."},
      {"track_item", "Progress of the proposal"},
      {"track_item_private", "The proposal is being handled."},
      {"track_text_hidden", "The text of this request is not shown publicly."},
      {"track_request", "Request"},
      {"track_location", "Location"},
      {"board_heading", "Public board"},
      {"board_intro",
       "What the joint meeting decided, who handles it, by when, and the answer given."},
      {"board_state", "State"},
      {"board_party", "Lead party"},
      {"board_month", "Month"},
      {"board_filter", "Filter"},
      {"board_any", "Any"},
      {"board_none", "Nothing to show yet."},
      {"board_older", "Older items"},
      {"board_decision", "Decision"},
      {"board_result", "Result"},
      {"board_response", "Response"},
      {"board_rating", "Satisfaction"},
      {"board_due", "Deadline"},
      {"board_updated", "Updated"},
      {"board_escalated", "Escalated"},
      {"board_atom", "Subscribe (Atom feed)"},
      {"board_poster", "Poster to print"},
      {"board_raise", "Raise a problem"},
      {"board_hide", "Keep off the board"},
      {"board_hide_reason", "Reason (logged)"},
      {"board_hidden_heading", "Kept off the board"},
      {"board_show", "Put back on the board"},
      {"queue_heading", "Residents' requests"},
      {"queue_waiting", "Waiting to be screened"},
      {"queue_done", "Answered recently"},
      {"queue_none", "No request is waiting."},
      {"queue_contact", "Contact"},
      {"queue_no_contact", "No contact left"},
      {"queue_party", "Proposing party"},
      {"queue_existing", "Or link to an existing item (its number)"},
      {"queue_reason", "Reason for rejecting"},
      {"queue_item", "Item"},
      {"queue_public_form", "Public form"},
      {"poster_heading", "Tell us, follow up, see the answers"},
      {"poster_request", "Scan to raise a problem"},
      {"poster_board", "Scan to see the public board"},
      {"poster_note",
       "No sign-in needed. Every request gets a tracking number and a public answer."},
      {"poster_print", "Print"},
  };
  return t;
}

constexpr int kQueueSize = 50;

int64_t positive(const std::string& text) {
  Poco::Int64 v = 0;
  if (!Poco::NumberParser::tryParse64(text, v) || v < 1) return 0;
  return v;
}

// A request with its labels, for the track page and the queue.
Data requestData(RequestContext& ctx, Names& names, const model::Request& r) {
  Data d;
  d.set("id", std::to_string(r.id));
  d.set("number", r.number);
  d.set("state", r.state);
  d.set("state_label", ctx.tr(workflow::requestStateLabel(r.state)));
  d.set("title", r.title);
  d.set("description", r.description);
  d.set("location", r.location);
  d.set("has_location", !r.location.empty());
  d.set("created_at", names.localTime(r.communityId, r.createdAt));
  d.set("reply", r.reply);
  d.set("has_reply", !r.reply.empty());
  d.set("replied_at", names.localTime(r.communityId, r.repliedAt));
  d.set("rejected", r.state == "rejected");
  if (!r.rejectReason.empty())
    d.set("reject_reason", ctx.tr(workflow::rejectReasonLabel(r.rejectReason)));
  d.set("item_id", std::to_string(r.itemId));
  d.set("has_item", r.itemId != 0);
  return d;
}

Response renderForm(RequestContext& ctx, const model::Community& c, const FormFields* typed,
                    const std::string& error, int status) {
  Data d = baseData(ctx, ctx.tr("Tell the community about a problem"));
  d.set("r", residentStrings(ctx));
  d.set("community_code", c.code);
  d.set("community_name", c.name);
  for (const char* f : {"title", "description", "location", "contact"})
    d.set(std::string("v_") + f, typed ? typed->get(f) : "");
  if (!error.empty()) d.set("error", error);
  return renderPage(ctx, "request_form", d, status);
}

}  // namespace

Data residentStrings(RequestContext& ctx) {
  Data d;
  for (const auto& [key, msgid] : stringTable()) d.set(key, ctx.tr(msgid));
  return d;
}

model::Community routeCommunity(RequestContext& ctx) {
  const std::string& code = ctx.params.at("community");
  for (auto& c : ctx.site.store.communities())
    if (c.code == code) return c;
  throw NotFound("No such community.");
}

std::string publicBase(RequestContext& ctx) {
  std::string base = ctx.site.config.publicUrl;
  if (base.empty()) base = (ctx.https ? "https://" : "http://") + ctx.request.getHost();
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

namespace residents {

Response requestForm(RequestContext& ctx) {
  return renderForm(ctx, routeCommunity(ctx), nullptr, "", 200);
}

Response submitRequest(RequestContext& ctx) {
  const model::Community c = routeCommunity(ctx);
  if (ctx.body.size() > ctx.site.config.requestMaxBodyBytes)
    throw WebError(413, "too_large", "The request is too large.");
  // Counted before anything else, the honeypot's hits included: a bot that fills it burns
  // its allowance like anyone. A trusted proxy speaks for many clients and is not one.
  if (!ctx.site.trustedProxies.count(ctx.clientAddress)) {
    const int wait = ctx.site.requestLimit.attempt(ctx.clientAddress, ctx.site.clock.now());
    if (wait > 0) {
      spdlog::warn("request form rate-limited addr={} rid={}", logSafe(ctx.clientAddress),
                   ctx.requestId);
      Response r =
          renderForm(ctx, c, &ctx.form,
                     ctx.trf("Too many requests from your address; try again in {1} minutes.",
                             std::to_string((wait + 59) / 60)),
                     429);
      r.headers.emplace_back("Retry-After", std::to_string(wait));
      return r;
    }
  }
  const int year = model::localDate(ctx.site.clock.now(), c.utcOffsetMinutes).year;
  if (!ctx.form.get("website").empty()) {
    // The honeypot (a field people never see) was filled: a bot. It gets the answer a person
    // gets, with the number the next request would have, and nothing is stored.
    spdlog::warn("request form honeypot filled community={} addr={} rid={}", c.code,
                 logSafe(ctx.clientAddress), ctx.requestId);
    return Response::redirect("/track/" + ctx.site.store.peekRequestNumber(c.id, year) + "?new=1");
  }
  workflow::Command cmd("submit");
  for (const char* f : {"title", "description", "location", "contact"})
    if (!ctx.form.get(f).empty()) cmd.set(f, ctx.form.get(f));
  try {
    const auto applied =
        ctx.site.engine.create("request", c.id, cmd, workflow::residentActor(ctx.requestId));
    return Response::redirect("/track/" + applied.as<model::Request>().number + "?new=1");
  } catch (const Invalid& e) {
    // Missing or too long: the form again, with the message and the text kept.
    return renderForm(ctx, c, &ctx.form, ctx.site.i18n.render(ctx.lang, e.message()), 400);
  }
}

Response trackLookup(RequestContext& ctx) {
  std::string number = ctx.query.get("number");
  for (auto& ch : number)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  if (number.empty()) throw NotFound("No such request.");
  return Response::redirect("/track/" + urlEncode(number));
}

Response track(RequestContext& ctx) {
  auto r = ctx.site.store.findRequestByNumber(ctx.params.at("number"));
  if (!r) throw NotFound("No such request.");
  Names names(ctx);
  Data d = baseData(ctx, r->number);
  d.set("r", residentStrings(ctx));
  Data req = requestData(ctx, names, *r);
  d.set("request", req);
  d.set("is_new", ctx.query.get("new") == "1");
  if (const auto* c = names.community(r->communityId)) {
    d.set("community_code", c->code);
    d.set("community_name", c->name);
  }
  if (r->itemId != 0) {
    auto item = ctx.site.store.findItem(r->itemId);
    // The item's public progress, unless the convener keeps it off the board.
    if (item && !ctx.site.store.boardExclusion(item->id))
      d.set("item", publicItemData(ctx, names, *item));
    else
      d.set("item_private", true);
  }
  return renderPage(ctx, "request_track", d);
}

namespace {

// The moderation queue; a form that failed (failedId) keeps its typed text and shows why.
Response renderQueue(RequestContext& ctx, int64_t failedId, const std::string& error, int status) {
  const workflow::Actor actor = ctx.actor();
  if (!workflow::mayModerateRequests(actor) || actor.communityId == 0)
    throw Forbidden("Only the convener or the residents' committee may screen requests.");
  Names names(ctx);
  const bool contacts = workflow::mayReadContacts(actor);
  model::RequestQuery q;
  q.communityId = actor.communityId;
  q.state = "submitted";
  q.limit = kQueueSize;
  Data waiting(Data::type::list);
  size_t waitingCount = 0;
  for (const auto& r : ctx.site.store.listRequests(q)) {
    ++waitingCount;
    Data row = requestData(ctx, names, r);
    if (contacts) {
      const std::string contact = ctx.site.store.requestContact(r.id);
      row.set("show_contact", true);
      row.set("contact", contact);
      row.set("has_contact", !contact.empty());
    }
    row.set("screen_reply",
            ctx.tr("Taken up as a proposal for the joint meeting; follow its progress with your "
                   "tracking number."));
    row.set("reject_reply",
            ctx.tr("This is not a matter of the community's public affairs and is not taken up."));
    row.set("screen_title", r.title);
    row.set("screen_description", r.description);
    if (r.id == failedId) {
      const std::string type = ctx.form.get("type");
      row.set("error", error);
      const std::string typed = ctx.form.get("reply");
      if (type == "screen") {
        row.set("screen_reply", typed);
        row.set("screen_title", ctx.form.get("title"));
        row.set("screen_description", ctx.form.get("description"));
        row.set("screen_item", ctx.form.get("item"));
      }
      if (type == "answer") row.set("answer_reply", typed);
      if (type == "reject") row.set("reject_reply", typed);
    }
    waiting.push_back(row);
  }
  Data done(Data::type::list);
  q.state.clear();
  q.limit = 20;
  for (const auto& r : ctx.site.store.listRequests(q))
    if (r.state != "submitted") done.push_back(requestData(ctx, names, r));
  Data reasons(Data::type::list);
  for (const auto& code : workflow::rejectReasonCodes()) {
    Data o;
    o.set("code", code);
    o.set("name", ctx.tr(workflow::rejectReasonLabel(code)));
    reasons.push_back(o);
  }
  Data d = baseData(ctx, ctx.tr("Residents' requests"));
  d.set("nav_requests", true);
  d.set("r", residentStrings(ctx));
  d.set("waiting", waiting);
  d.set("has_waiting", waitingCount > 0);
  d.set("done", done);
  d.set("parties", codeOptions(names.parties(actor.communityId), actor.party));
  d.set("reasons", reasons);
  d.set("label_screen", ctx.tr(workflow::requestEventLabel("screen")));
  d.set("label_answer", ctx.tr(workflow::requestEventLabel("answer")));
  d.set("label_reject", ctx.tr(workflow::requestEventLabel("reject")));
  d.set("label_reply", ctx.tr("Public reply"));
  d.set("label_title", ctx.tr("Title"));
  d.set("label_description", ctx.tr("Description"));
  if (auto c = ctx.site.store.findCommunity(actor.communityId)) d.set("community_code", c->code);
  if (ctx.query.has("done")) d.set("flash", ctx.tr("Done."));
  if (!error.empty()) d.set("flash_error", error);
  return renderPage(ctx, "request_queue", d, status);
}

}  // namespace

Response queue(RequestContext& ctx) { return renderQueue(ctx, 0, "", 200); }

Response moderate(RequestContext& ctx) {
  const int64_t id = ctx.idParam("id");
  const std::string type = ctx.form.get("type");
  const workflow::Actor actor = ctx.actor();
  const model::StreamRef stream{"request", id};
  workflow::Command cmd(type);
  for (const char* f : {"reply", "reason"})
    if (!ctx.form.get(f).empty()) cmd.set(f, ctx.form.get(f));
  try {
    if (type == "screen") {
      const int64_t existing = positive(ctx.form.get("item"));
      if (existing != 0) {
        cmd.set("item", existing);
        ctx.site.engine.apply(stream, cmd, actor);
      } else {
        // A new proposal and the request's screening, in one transaction.
        workflow::Command propose("propose");
        for (const char* f : {"title", "description", "party"})
          if (!ctx.form.get(f).empty()) propose.set(f, ctx.form.get(f));
        auto request = ctx.site.store.findRequest(id);
        if (!request) throw NotFound("No such request.");
        ctx.site.engine.createThenApply("item", request->communityId, propose, stream, cmd, "item",
                                        actor);
      }
    } else if (type == "answer" || type == "reject") {
      ctx.site.engine.apply(stream, cmd, actor);
    } else {
      throw Invalid(Msg("Unknown event \"{1}\".").arg(type));
    }
  } catch (const Invalid& e) {
    // A missing or malformed field: the queue again, the text kept in that request's form.
    return renderQueue(ctx, id, ctx.site.i18n.render(ctx.lang, e.message()), 400);
  }
  return Response::redirect("/requests?done=" + urlEncode(type));
}

}  // namespace residents
}  // namespace liufang::web
