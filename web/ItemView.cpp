#include "web/ItemView.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

#include "model/Errors.h"
#include "web/EventForms.h"
#include "web/Site.h"
#include "workflow/Ladder.h"

namespace liufang::web {
namespace {

using Data = kainjow::mustache::data;

Data listOf() { return Data(Data::type::list); }

Poco::JSON::Object::Ptr parseFields(const std::string& payload) {
  if (payload.empty()) return new Poco::JSON::Object;
  try {
    Poco::JSON::Parser parser;
    auto v = parser.parse(payload);
    auto obj = v.extract<Poco::JSON::Object::Ptr>();
    if (obj) return obj;
  } catch (const std::exception& e) {
    spdlog::warn("event payload is not a JSON object: {}", e.what());
  }
  return new Poco::JSON::Object;
}

// A stored field value as a person reads it: party names instead of codes, labels instead of
// stance and rating codes, yes/no for flags.
// `at` is the event's instant: a renamed party shows the name it had then.
std::string fieldText(RequestContext& ctx, Names& names, int64_t communityId,
                      const std::string& key, const Poco::Dynamic::Var& v,
                      const std::string& at) {
  if (v.isEmpty()) return {};
  if (v.isArray()) {
    std::string out;
    const std::string sep = ctx.tr(", ");
    try {
      auto arr = v.extract<Poco::JSON::Array::Ptr>();
      for (size_t i = 0; arr && i < arr->size(); ++i) {
        if (!out.empty()) out += sep;
        out += fieldText(ctx, names, communityId, key, arr->get(i), at);
      }
    } catch (const Poco::BadCastException&) {
      out = v.toString();
    }
    return out;
  }
  if (v.isBoolean()) return ctx.tr(v.convert<bool>() ? "Yes" : "No");
  const std::string s = v.toString();
  if (key == "lead" || key == "party" || key == "co") return names.partyAt(communityId, s, at);
  if (key == "stance") return ctx.tr(stanceLabel(s));
  if (key == "rating") return ctx.tr(ratingLabel(s));
  if (key == "meeting") {
    Poco::Int64 id = 0;
    if (Poco::NumberParser::tryParse64(s, id))
      if (auto m = ctx.site.store.findMeeting(id)) return m->date + " " + m->title;
  }
  if (key == "approve" || key == "done") {
    if (s == "true" || s == "1" || s == "on") return ctx.tr("Yes");
    if (s == "false" || s == "0") return ctx.tr("No");
  }
  return s;
}

Data choiceOptions(RequestContext& ctx, Names& names, const model::Item& item,
                   const workflow::FieldDef& f, const std::vector<std::string>& selected) {
  Data options = listOf();
  auto add = [&](const std::string& value, const std::string& label) {
    Data o;
    o.set("value", value);
    o.set("label", label);
    o.set("selected", std::find(selected.begin(), selected.end(), value) != selected.end());
    options.push_back(o);
  };
  using K = workflow::FieldKind;
  if (f.kind == K::Party || f.kind == K::Parties) {
    for (const auto& p : names.parties(item.communityId)) add(p.code, p.name);
  } else if (f.kind == K::Choice) {
    for (size_t i = 0; i < f.choices.size(); ++i)
      add(f.choices[i], ctx.tr(i < f.choiceLabels.size() ? f.choiceLabels[i] : f.choices[i]));
  } else if (f.kind == K::MeetingRef) {
    for (const auto& m : ctx.site.store.meetings(item.communityId))
      add(std::to_string(m.id), m.date + " " + m.title);
  }
  return options;
}

Data eventForm(RequestContext& ctx, Names& names, const model::Item& item,
               const workflow::EventInfo& spec, const FailedForm* failed) {
  using K = workflow::FieldKind;
  const bool mine = failed && failed->type == spec.name && failed->typed;
  Data form;
  form.set("type", spec.name);
  form.set("label", ctx.tr(spec.label));
  form.set("has_error", mine && !failed->error.empty());
  if (mine) form.set("error", failed->error);
  Data fields = listOf();
  for (const auto& f : spec.fields) {
    if (!f.onForm) continue;
    Data d;
    d.set("name", f.name);
    d.set("id", "f-" + spec.name + "-" + f.name);
    d.set("label", ctx.tr(f.label));
    d.set("required", f.required);
    const std::vector<std::string> typed =
        mine ? failed->typed->getAll(f.name) : std::vector<std::string>{};
    const std::string value = typed.empty() ? "" : typed.front();
    d.set("value", value);
    d.set("is_text", f.kind == K::Text);
    d.set("is_textarea", f.kind == K::LongText);
    d.set("is_date", f.kind == K::Date);
    d.set("is_number", f.kind == K::Count || f.kind == K::ItemRef);
    d.set("is_select", f.kind == K::Choice || f.kind == K::Party || f.kind == K::MeetingRef);
    d.set("is_checkboxes", f.kind == K::Parties);
    d.set("is_yesno", f.kind == K::YesNo);
    d.set("is_checkbox", f.kind == K::Flag);
    d.set("checked", value == "true" || value == "on" || value == "1");
    d.set("yes", value == "true");
    d.set("no", value == "false");
    if (f.kind == K::Choice || f.kind == K::Party || f.kind == K::Parties ||
        f.kind == K::MeetingRef)
      d.set("options", choiceOptions(ctx, names, item, f, typed));
    if (!f.help.empty()) d.set("help", ctx.tr(f.help));
    fields.push_back(d);
  }
  form.set("fields", fields);
  return form;
}

// Today's date in the item's community, from the community Names has already read.
model::Date todayOf(RequestContext& ctx, Names& names, int64_t communityId) {
  const auto* c = names.community(communityId);
  if (!c) throw NotFound("No such community.");
  return model::localDate(ctx.site.clock.now(), c->utcOffsetMinutes);
}

std::string daysLeftText(RequestContext& ctx, int days) {
  const auto& i18n = ctx.site.i18n;
  if (days >= 0)
    return i18n.plural(ctx.lang, "{1} working day left", "{1} working days left", days);
  return i18n.plural(ctx.lang, "{1} working day overdue", "{1} working days overdue", -days);
}

const char* weekdayName(int weekday) {
  static const char* const kNames[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                       "Friday", "Saturday", "Sunday"};
  return kNames[(weekday - 1) % 7];
}

// "交办 2026-09-28（周一），5 个工作日：09-29、…、10-10（周六调休上班），截止 2026-10-10；
// 国庆 10-01…10-07 不计" from the calendar's parts (model::HolidayCalendar::explain). Empty
// when the item has no assignment date or due date, or the due date is before the assignment.
std::string deadlineExplanation(RequestContext& ctx, Names& names, const model::Item& item) {
  const auto due = model::Date::parse(item.due);
  if (!due || item.assignedAt.empty()) return {};
  const auto* community = names.community(item.communityId);
  if (!community) return {};
  const model::Date from =
      model::localDate(model::parseInstant(item.assignedAt), community->utcOffsetMinutes);
  if (*due < from) return {};
  const auto e = ctx.site.engine.calendar().explain(from, *due);
  const auto& i18n = ctx.site.i18n;
  const std::string sep = ctx.tr(", ");
  auto day = [&](const model::DeadlineExplanation::Counted& c) {
    const std::string md = c.date.str().substr(5);
    return c.makeUp ? i18n.render(ctx.lang, Msg("{1} ({2} make-up working day)")
                                                .arg(md)
                                                .label(weekdayName(c.date.weekday())))
                    : md;
  };
  // A long span lists its first and last days around an ellipsis; the count stays exact.
  std::string days;
  const size_t n = e.counted.size();
  for (size_t i = 0; i < n; ++i) {
    if (n > 12 && i == 5) {
      days += sep + "…";
      i = n - 3;
    }
    days += (days.empty() ? "" : sep) + day(e.counted[i]);
  }
  std::string out = i18n.render(
      ctx.lang, Msg("Assigned {1} ({2}), {3}: {4}, due {5}")
                    .arg(from.str())
                    .label(weekdayName(from.weekday()))
                    .arg(i18n.plural(ctx.lang, "{1} working day", "{1} working days",
                                     e.workingDays))
                    .arg(days)
                    .arg(due->str()));
  std::string skipped;
  for (const auto& h : e.holidays) {
    const std::string name = h.name.empty() ? ctx.tr("Holiday") : ctx.tr(h.name);
    skipped += (skipped.empty() ? "" : sep) + name + " " + h.first.str().substr(5) +
               (h.last == h.first ? "" : "…" + h.last.str().substr(5));
  }
  if (!skipped.empty())
    out = i18n.render(ctx.lang, Msg("{1}; {2} not counted").arg(out).arg(skipped));
  return out;
}

}  // namespace

model::Item loadVisibleItem(RequestContext& ctx, int64_t id) {
  auto item = ctx.site.store.findItem(id);
  if (!item ||
      (ctx.user && ctx.user->communityId != 0 && ctx.user->communityId != item->communityId))
    throw NotFound("No such item.");
  return *item;
}

Data itemRow(RequestContext& ctx, Names& names, const model::Item& item) {
  Data row;
  row.set("id", std::to_string(item.id));
  row.set("title", item.title);
  row.set("state", item.state);
  row.set("state_label", ctx.tr(stateLabel(item.state)));
  const std::string light = workflow::Engine::light(item);
  if (!light.empty()) {
    row.set("light", light);
    row.set("light_label", ctx.tr(lightLabel(light)));
  }
  row.set("lead_name", names.party(item.communityId, item.lead()));
  row.set("proposer_name", names.party(item.communityId, item.proposerParty));
  row.set("due", item.due);
  if (!item.due.empty() && item.topState() == "deadline")
    row.set("days_left", daysLeftText(ctx, ctx.site.engine.workingDaysLeft(
                                               item, todayOf(ctx, names, item.communityId))));
  row.set("extension_pending", !item.extensionDue.empty());
  return row;
}

namespace {

// The community's escalation ladder with, for the item's current due date, when each tier
// fired (the newest system event carrying that tier; tiers above item.ladderTier have not).
Data ladderData(RequestContext& ctx, Names& names, const model::Item& item) {
  const auto tiers = workflow::ladderOf(ctx.site.store, item.communityId);
  std::map<int, std::string> firedAt;
  if (item.ladderTier > 0)
    for (const auto& e : ctx.site.store.events(item.id)) {
      if (e.actorUser != 0 || (e.type != "urge" && e.type != "escalate" && e.type != "report"))
        continue;
      auto p = parseFields(e.payload);
      if (p->has("tier"))
        firedAt[static_cast<int>(p->getValue<Poco::Int64>("tier"))] =
            names.localTime(item.communityId, e.at);
    }
  Data out = listOf();
  for (const auto& t : tiers) {
    Data row;
    row.set("days", std::to_string(t.days));
    row.set("days_text", ctx.site.i18n.plural(ctx.lang, "{1} working day overdue",
                                              "{1} working days overdue", t.days));
    row.set("action", t.action);
    row.set("action_label", ctx.tr(workflow::ladderActionLabel(t.action)));
    row.set("colour", t.colour);
    const auto f = firedAt.find(t.days);
    const bool fired = t.days <= item.ladderTier && f != firedAt.end();
    row.set("fired", fired);
    row.set("fired_at", fired ? f->second : std::string());
    out.push_back(row);
  }
  return out;
}

}  // namespace

Data itemPageData(RequestContext& ctx, const model::Item& item, const FailedForm* failed) {
  Names names(ctx);
  Data d = baseData(ctx, item.title);
  d.set("item_id", std::to_string(item.id));

  Data it;
  it.set("id", std::to_string(item.id));
  it.set("title", item.title);
  it.set("description", item.description);
  it.set("state", item.state);
  it.set("top_state", item.topState());
  it.set("state_label", ctx.tr(stateLabel(item.state)));
  const std::string light = workflow::Engine::light(item);
  if (!light.empty()) {
    it.set("light", light);
    it.set("light_label", ctx.tr(lightLabel(light)));
  }
  it.set("proposer_name", names.party(item.communityId, item.proposerParty));
  it.set("created_at", names.localTime(item.communityId, item.createdAt));
  if (const auto* c = names.community(item.communityId)) it.set("community_name", c->name);
  it.set("has_due", !item.due.empty());
  it.set("due", item.due);
  if (!item.due.empty() && item.topState() == "deadline")
    it.set("days_left", daysLeftText(ctx, ctx.site.engine.workingDaysLeft(
                                              item, todayOf(ctx, names, item.communityId))));
  it.set("due_explained", deadlineExplanation(ctx, names, item));
  const std::string lead = item.lead();
  it.set("has_lead", !lead.empty());
  it.set("lead_name", names.party(item.communityId, lead));
  Data co = listOf();
  for (const auto& h : item.handlers) {
    if (h.lead) continue;
    Data c;
    c.set("code", h.party);
    c.set("name", names.party(item.communityId, h.party));
    c.set("done", h.done);
    co.push_back(c);
  }
  it.set("has_co", !item.co().empty());
  it.set("co", co);
  auto text = [&](const char* key, const std::string& value) {
    it.set(std::string("has_") + key, !value.empty());
    it.set(key, value);
  };
  text("standard", item.standard);
  text("decision", item.decision);
  text("result", item.result);
  text("response", item.response);
  it.set("has_outcome", !item.outcome.empty());
  it.set("outcome_label", ctx.tr(outcomeLabel(item.outcome)));
  it.set("has_rating", !item.rating.empty());
  it.set("rating_label", ctx.tr(ratingLabel(item.rating)));
  text("rating_comment", item.ratingComment);
  it.set("has_extension", !item.extensionDue.empty());
  it.set("extension_due", item.extensionDue);
  it.set("extension_reason", item.extensionReason);
  it.set("has_urges", item.urgeCount > 0);
  it.set("urge_count", std::to_string(item.urgeCount));
  it.set("escalated", item.escalated);
  it.set("has_rework", item.reworkCount > 0);
  it.set("rework_count", std::to_string(item.reworkCount));
  it.set("merged", item.mergedInto != 0);
  it.set("merged_into", std::to_string(item.mergedInto));
  d.set("item", it);

  // Every roster party gets a row, so a missing position is as visible as a logged one.
  Data positions = listOf();
  for (const auto& p : names.parties(item.communityId)) {
    Data row;
    row.set("party", p.code);
    row.set("party_name", p.name);
    row.set("party_class", Names::partyClass(item.communityId, p.code));
    auto pos = std::find_if(item.positions.begin(), item.positions.end(),
                            [&](const model::Position& x) { return x.party == p.code; });
    row.set("has", pos != item.positions.end());
    if (pos != item.positions.end()) {
      row.set("stance", pos->stance);
      row.set("stance_label", ctx.tr(stanceLabel(pos->stance)));
      row.set("reason", pos->reason);
      row.set("at", names.localTime(item.communityId, pos->at));
    }
    positions.push_back(row);
  }
  d.set("positions", positions);

  Data forms = listOf();
  if (ctx.user) {
    const auto allowed = ctx.site.engine.allowedEvents(item, workflow::Actor::fromUser(*ctx.user),
                                                       todayOf(ctx, names, item.communityId));
    for (const auto* spec : itemFormEvents())
      if (std::find(allowed.begin(), allowed.end(), spec->name) != allowed.end())
        forms.push_back(eventForm(ctx, names, item, *spec, failed));
  }
  d.set("forms", forms);

  Data events = listOf();
  for (const auto& e : ctx.site.store.events(item.id)) {
    Data ev;
    ev.set("seq", std::to_string(e.seq));
    ev.set("type", e.type);
    ev.set("label", ctx.tr(eventLabel(e.type)));
    ev.set("at", names.localTime(item.communityId, e.at));
    ev.set("actor", names.user(e.actorUser));
    ev.set("has_party", !e.actorParty.empty());
    ev.set("party", names.partyAt(item.communityId, e.actorParty, e.at));
    ev.set("party_class", Names::partyClass(item.communityId, e.actorParty));
    ev.set("has_transition", !e.fromState.empty() && e.fromState != e.toState);
    ev.set("from", ctx.tr(stateLabel(e.fromState)));
    ev.set("to", ctx.tr(stateLabel(e.toState)));
    Data fields = listOf();
    auto payload = parseFields(e.payload);
    for (const auto& [key, value] : *payload) {
      // The community is recorded for the hash chain; the page already says which one it is.
      if (key == "community") continue;
      const std::string shown = fieldText(ctx, names, item.communityId, key, value, e.at);
      if (shown.empty()) continue;
      Data f;
      f.set("label", ctx.tr(fieldLabel(key)));
      f.set("value", shown);
      fields.push_back(f);
    }
    ev.set("has_fields", !fields.is_empty_list());
    ev.set("fields", fields);
    events.push_back(ev);
  }
  d.set("events", events);
  d.set("has_ladder", !item.due.empty() && (item.topState() == "deadline" || item.ladderTier > 0));
  d.set("ladder", ladderData(ctx, names, item));
  return d;
}

Poco::JSON::Array::Ptr positionsJson(const std::vector<model::Position>& positions) {
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (const auto& p : positions) {
    Poco::JSON::Object::Ptr po = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    po->set("party", p.party);
    po->set("stance", p.stance);
    po->set("reason", p.reason);
    po->set("at", p.at);
    out->add(po);
  }
  return out;
}

Poco::JSON::Object::Ptr itemJson(RequestContext& ctx, Names& names, const model::Item& item,
                                 bool withEvents, const std::vector<model::EventRecord>* applied) {
  using Obj = Poco::JSON::Object;
  using Arr = Poco::JSON::Array;
  Obj::Ptr o = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("id", item.id);
  if (const auto* c = names.community(item.communityId)) o->set("community", c->code);
  o->set("title", item.title);
  o->set("description", item.description);
  o->set("state", item.topState());
  o->set("substate", item.state);
  o->set("light", workflow::Engine::light(item));
  o->set("proposer", item.proposerParty);
  o->set("lead", item.lead());
  Arr::Ptr co = new Arr;
  for (const auto& c : item.co()) co->add(c);
  o->set("co", co);
  Arr::Ptr coDone = new Arr;
  for (const auto& h : item.handlers)
    if (!h.lead && h.done) coDone->add(h.party);
  o->set("co_done", coDone);
  o->set("standard", item.standard);
  o->set("due", item.due);
  if (!item.due.empty() && item.topState() == "deadline")
    o->set("working_days_left",
           ctx.site.engine.workingDaysLeft(item, todayOf(ctx, names, item.communityId)));
  o->set("extension_due", item.extensionDue);
  o->set("extension_reason", item.extensionReason);
  o->set("decision", item.decision);
  o->set("result", item.result);
  o->set("response", item.response);
  o->set("outcome", item.outcome);
  o->set("rating", item.rating);
  o->set("rating_comment", item.ratingComment);
  o->set("urge_count", item.urgeCount);
  o->set("escalated", item.escalated);
  o->set("rework_count", item.reworkCount);
  if (item.meetingId) o->set("meeting", item.meetingId);
  if (item.mergedInto) o->set("merged_into", item.mergedInto);
  o->set("created_at", item.createdAt);
  o->set("updated_at", item.updatedAt);
  o->set("version", item.version);
  o->set("positions", positionsJson(item.positions));
  Arr::Ptr allowed = new Arr;
  if (ctx.user)
    for (const auto& e : ctx.site.engine.allowedEvents(item, workflow::Actor::fromUser(*ctx.user),
                                                       todayOf(ctx, names, item.communityId)))
      allowed->add(e);
  o->set("allowed", allowed);
  if (withEvents || applied) {
    Arr::Ptr events = new Arr;
    for (const auto& e : applied ? *applied : ctx.site.store.events(item.id)) {
      Obj::Ptr eo = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
      eo->set("seq", e.seq);
      eo->set("type", e.type);
      eo->set("at", e.at);
      eo->set("actor", names.username(e.actorUser));
      eo->set("party", e.actorParty);
      eo->set("fields", parseFields(e.payload));
      eo->set("from", e.fromState);
      eo->set("to", e.toState);
      events->add(eo);
    }
    o->set(applied ? "applied" : "events", events);
  }
  return o;
}

}  // namespace liufang::web
