// The item's event table. Adding an event: its struct and reaction in ItemMachine, one row
// here, and the zh-CN text of its msgids in web/i18n/zh_CN.po (docs/ARCHITECTURE.md).
#include "workflow/ItemEvents.h"

#include <algorithm>
#include <map>

#include "workflow/ItemMachine.h"
#include "workflow/MachineSupport.h"
#include "workflow/Meetings.h"

namespace liufang::workflow {
namespace {

using Def = EventDef<model::Item>;
using K = FieldKind;
using Deny = std::optional<Msg>;

const std::vector<std::string> kStances = {"support", "oppose", "abstain", "supplement"};
const std::vector<std::string> kStanceLabels = {"Support", "Oppose", "Abstain", "Supplement"};
const std::vector<std::string> kRatings = {"satisfied", "basically_satisfied", "dissatisfied"};
const std::vector<std::string> kRatingLabels = {"Satisfied", "Basically satisfied", "Dissatisfied"};

// ---- fields, by name (one label each, shared by every event that has the field)
FieldDef text(const std::string& name, const std::string& label, bool required,
              size_t maxChars = 5000) {
  return {name, K::LongText, required, label, maxChars};
}
FieldDef reason() { return text("reason", "Reason", true); }
FieldDef response() { return text("response", "Response to the proposer", true); }
FieldDef note(bool required) { return text("note", "Note", required); }
FieldDef due(bool required) { return {"due", K::Date, required, "Due date", 20}; }
// The escalation-ladder tier (working days overdue) of a system-fired urge / escalate / report.
FieldDef tier() {
  FieldDef f{"tier", K::Count, false, "Ladder tier (working days overdue)", 4};
  f.onForm = false;
  return f;
}
int tierOf(const Payload& p) { return p.has("tier") ? static_cast<int>(p.integer("tier")) : 0; }
FieldDef ownParty() {
  // Defaults to the actor's party (Def::complete); the form never asks.
  FieldDef f{"party", K::Party, false, "Party", 64};
  f.onForm = false;
  return f;
}

// ---- who may fire it
bool handles(const model::Item& item, const std::string& party, bool leadOnly) {
  if (party.empty()) return false;
  for (const auto& h : item.handlers)
    if (h.party == party && (h.lead || !leadOnly)) return true;
  return false;
}
Deny conveners(const model::Item&, const Actor& a, const std::string& event) {
  if (a.convener) return std::nullopt;
  return Msg("Only the convener may \"{1}\".").label(itemEventLabel(event));
}
Deny supervisors(const Actor& a, const std::string& event) {
  if (a.supervisor) return std::nullopt;
  return Msg("Only a supervisor may \"{1}\".").label(itemEventLabel(event));
}

// ---- meetings: an item event during a meeting in session records the meeting
// (model::Item::sessionMeetingId is read with the item, so this costs no statement).
void recordMeeting(const model::Item& item, Poco::JSON::Object& p, model::Store&) {
  if (item.sessionMeetingId != 0 && !p.has("meeting"))
    p.set("meeting", static_cast<Poco::Int64>(item.sessionMeetingId));
}

std::string rosterNames(const std::vector<std::string>& codes,
                        const std::vector<model::Party>& roster) {
  std::string out;
  for (const auto& code : codes) {
    std::string name = code;
    for (const auto& p : roster)
      if (p.code == code) name = p.name;
    out += (out.empty() ? "" : "、") + name;
  }
  return out;
}

// 先民主讨论、再集中决议: in a meeting in session, a decision needs the quorum and a position
// from every party present; outside one, the community's setting decides. The decision logs
// the tally by party and the meeting.
void checkResolve(const model::Item& item, Poco::JSON::Object& p, model::Store& store) {
  const auto community = store.findCommunity(item.communityId);
  if (!community) throw NotFound("No such community.");
  const auto roster = store.parties(item.communityId);
  Poco::JSON::Object::Ptr tally = new Poco::JSON::Object;
  if (item.sessionMeetingId == 0) {
    if (!community->resolveOutsideMeeting)
      throw Refused(
          "This community decides items in a meeting: put the item on the agenda of a meeting "
          "in session.");
    for (const auto& pos : item.positions) tally->set(pos.party, pos.stance);
    p.set("tally", tally);
    return;
  }
  const auto meeting = store.findMeeting(item.sessionMeetingId);
  if (!meeting) throw NotFound("No such meeting.");
  const Quorum q = quorumOf(*community, roster, *meeting);
  if (!q.met) throw Refused(q.why);  // "No quorum: ..." says why
  const auto silent = notSpoken(item, *meeting, roster);
  if (!silent.empty())
    throw Refused(Msg("Every party present states its position before the decision. Not yet "
                      "heard: {1}.")
                      .arg(rosterNames(silent, roster)));
  for (const auto& pos : item.positions)
    if (meeting->present(pos.party)) tally->set(pos.party, pos.stance);
  p.set("tally", tally);
  p.set("meeting", static_cast<Poco::Int64>(meeting->id));
}

// The lead party opposed the decision: the convener records how the objection was addressed.
void checkAssign(const model::Item& item, Poco::JSON::Object& p, model::Store& store) {
  const std::string lead = p.getValue<std::string>("lead");
  const bool opposed =
      std::any_of(item.positions.begin(), item.positions.end(), [&](const model::Position& pos) {
        return pos.party == lead && pos.stance == "oppose";
      });
  if (opposed && !p.has("objection_addressed"))
    throw Refused(Msg("The lead party \"{1}\" opposed the decision: record how its objection "
                      "was addressed (objection_addressed).")
                      .arg(rosterNames({lead}, store.parties(item.communityId))));
}

std::vector<Def> buildTable() {
  std::vector<Def> t;
  auto row = [&](std::string name, std::string label, std::vector<std::string> from,
                 std::vector<FieldDef> fields, std::string who) -> Def& {
    return addEventRow(t, std::move(name), std::move(label), std::move(from), std::move(fields),
                       std::move(who));
  };

  {
    FieldDef party{"party", K::Party, false, "Party", 64};
    auto& d =
        row("propose", "Raise a proposal", {},
            {text("title", "Title", true, 200), text("description", "Description", true), party},
            "a party representative, for their own party; the convener, for any party");
    d.fields[0].kind = K::Text;
    d.deny = [](const model::Item& item, const Actor& a) -> Deny {
      if (a.convener) return std::nullopt;
      if (a.speaksForParty() && a.party == item.proposerParty) return std::nullopt;
      if (a.speaksForParty()) return Msg("You may only propose for your own party.");
      return Msg("Only the convener or a party representative may propose.");
    };
    d.complete = [](Poco::JSON::Object& p, const FieldContext& ctx) {
      if (p.has("party")) return;
      if (ctx.actorParty.empty())
        throw Invalid(Msg("Missing required field \"{1}\" ({2}).").label("Party").arg("party"));
      p.set("party", ctx.actorParty);
    };
  }
  {
    auto& d = row("take_up", "Take up in a meeting", {"proposal"},
                  {{"meeting", K::MeetingRef, false, "Meeting", 20}}, "the convener");
    d.deny = [](const model::Item& i, const Actor& a) { return conveners(i, a, "take_up"); };
    d.check = recordMeeting;
    d.decode = [](const Payload& p) {
      return makeEvent<EvTakeUp>([&](EvTakeUp& e) { e.meeting = p.integer("meeting"); });
    };
  }
  {
    auto& d = row(
        "log_position", "Log our position", {"discussion"},
        {ownParty(), {"stance", K::Choice, true, "Stance", 100, kStances, kStanceLabels}, reason()},
        "a party representative, for their own party");
    d.deny = [](const model::Item&, const Actor& a) -> Deny {
      if (a.speaksForParty()) return std::nullopt;
      return Msg("Only a party representative may log a position.");
    };
    d.complete = [](Poco::JSON::Object& p, const FieldContext& ctx) {
      if (!p.has("party")) p.set("party", ctx.actorParty);
      if (p.getValue<std::string>("party") != ctx.actorParty)
        throw Forbidden("You may only log your own party's position.");
    };
    d.check = recordMeeting;
    d.decode = [](const Payload& p) {
      return makeEvent<EvLogPosition>([&](EvLogPosition& e) {
        e.party = p.str("party"), e.stance = p.str("stance"), e.reason = p.str("reason");
      });
    };
  }
  {
    auto& d = row("defer", "Defer to a later meeting", {"discussion"}, {reason()}, "the convener");
    d.deny = [](const model::Item& i, const Actor& a) { return conveners(i, a, "defer"); };
    d.check = recordMeeting;
    d.decode = [](const Payload& p) {
      return makeEvent<EvDefer>([&](EvDefer& e) { e.reason = p.str("reason"); });
    };
  }
  {
    auto& d = row("dismiss", "Dismiss", {"discussion"}, {response()}, "the convener");
    d.deny = [](const model::Item& i, const Actor& a) { return conveners(i, a, "dismiss"); };
    d.check = recordMeeting;
    d.decode = [](const Payload& p) {
      return makeEvent<EvDismiss>([&](EvDismiss& e) { e.response = p.str("response"); });
    };
  }
  {
    auto& d = row("withdraw", "Withdraw", {"proposal"}, {response()},
                  "a representative of the proposing party; the convener");
    d.deny = [](const model::Item& item, const Actor& a) -> Deny {
      if (a.convener || (a.speaksForParty() && a.party == item.proposerParty)) return std::nullopt;
      return Msg("Only the proposing party or the convener may withdraw.");
    };
    d.decode = [](const Payload& p) {
      return makeEvent<EvWithdraw>([&](EvWithdraw& e) { e.response = p.str("response"); });
    };
  }
  {
    auto& d =
        row("merge", "Merge into another item", {"proposal"},
            {{"into", K::ItemRef, true, "Merge into item number", 20}, response()}, "the convener");
    d.deny = [](const model::Item& i, const Actor& a) { return conveners(i, a, "merge"); };
    d.check = [](const model::Item&, const Poco::JSON::Object& p, model::Store& store) {
      auto target = store.findItem(p.getValue<Poco::Int64>("into"));
      if (target && target->state == "closed") throw Refused("Cannot merge into a closed item.");
    };
    d.decode = [](const Payload& p) {
      return makeEvent<EvMerge>(
          [&](EvMerge& e) { e.into = p.integer("into"), e.response = p.str("response"); });
    };
  }
  {
    auto& d = row("resolve", "Record the decision", {"discussion"},
                  {text("decision", "Decision", true)}, "the convener");
    d.deny = [](const model::Item& i, const Actor& a) { return conveners(i, a, "resolve"); };
    d.check = checkResolve;
    d.decode = [](const Payload& p) {
      return makeEvent<EvResolve>([&](EvResolve& e) { e.decision = p.str("decision"); });
    };
  }
  {
    FieldDef days{"working_days", K::Count, false, "Or: working days from today", 20};
    days.help = "Give a due date or a number of working days.";
    auto& d = row("assign", "Assign", {"assignment"},
                  {{"lead", K::Party, true, "Lead party", 64},
                   {"co", K::Parties, false, "Co-handling parties", 64},
                   text("standard", "Standard", true),
                   due(false),
                   days,
                   text("objection_addressed", "How the lead party's objection was addressed",
                        false)},
                  "the convener");
    d.deny = [](const model::Item& i, const Actor& a) { return conveners(i, a, "assign"); };
    d.check = checkAssign;
    d.complete = [](Poco::JSON::Object& p, const FieldContext& ctx) {
      const std::string lead = p.getValue<std::string>("lead");
      if (auto co = p.getArray("co"))
        for (size_t i = 0; i < co->size(); ++i)
          if (co->get(i).toString() == lead)
            throw Invalid("The lead cannot also be a co-handling party.");
      if (p.has("due")) return;
      if (!p.has("working_days"))
        throw Invalid("Give either a due date (due) or a number of working days (working_days).");
      const auto days = p.getValue<Poco::Int64>("working_days");
      if (days > 3650) throw Invalid("The number of working days is too large.");
      p.set("due", ctx.calendar->addWorkingDays(ctx.today, static_cast<int>(days)).str());
    };
    d.decode = [](const Payload& p) {
      return makeEvent<EvAssign>([&](EvAssign& e) {
        e.lead = p.str("lead"), e.co = p.list("co"), e.standard = p.str("standard");
        e.due = p.str("due");
      });
    };
  }
  {
    auto& d = row("report_progress", "Report progress", {"deadline"},
                  {ownParty(),
                   text("text", "Progress", true),
                   {"done", K::Flag, false, "Our part is done", 10}},
                  "the lead or a co-handling party");
    d.deny = [](const model::Item& item, const Actor& a) -> Deny {
      if (a.speaksForParty() && handles(item, a.party, false)) return std::nullopt;
      return Msg("Only the lead or a co-handling party may report progress.");
    };
    d.complete = [](Poco::JSON::Object& p, const FieldContext& ctx) {
      p.set("party", ctx.actorParty);  // always the reporter's own party
    };
    d.decode = [](const Payload& p) {
      return makeEvent<EvReportProgress>([&](EvReportProgress& e) {
        e.party = p.str("party"), e.text = p.str("text"), e.done = p.flag("done");
      });
    };
  }
  auto leadOnly = [](const char* event) {
    return [event](const model::Item& item, const Actor& a) -> Deny {
      if (a.speaksForParty() && handles(item, a.party, true)) return std::nullopt;
      return Msg("Only the lead party may \"{1}\".").label(itemEventLabel(event));
    };
  };
  {
    auto& d = row("request_extension", "Request an extension", {"deadline"}, {reason(), due(true)},
                  "the lead party, before the due date");
    d.deny = leadOnly("request_extension");
    d.offer = [](const model::Item& item, const FieldContext& ctx) {
      auto due = model::Date::parse(item.due);
      return item.extensionDue.empty() && !(due && *due < ctx.today);
    };
    d.decode = [](const Payload& p) {
      return makeEvent<EvRequestExtension>(
          [&](EvRequestExtension& e) { e.reason = p.str("reason"), e.due = p.str("due"); });
    };
  }
  {
    auto& d = row("decide_extension", "Decide the extension request", {"deadline"},
                  {{"approve", K::YesNo, true, "Approve", 10}, note(false)}, "the convener");
    d.deny = [](const model::Item& i, const Actor& a) {
      return conveners(i, a, "decide_extension");
    };
    d.offer = [](const model::Item& item, const FieldContext&) {
      return !item.extensionDue.empty();
    };
    d.decode = [](const Payload& p) {
      return makeEvent<EvDecideExtension>(
          [&](EvDecideExtension& e) { e.approve = p.flag("approve"), e.note = p.str("note"); });
    };
  }
  {
    auto& d = row("urge", "Urge", {"deadline"}, {note(true), tier()},
                  "a supervisor; the system (escalation ladder)");
    d.systemToo = true;
    d.deny = [](const model::Item&, const Actor& a) { return supervisors(a, "urge"); };
    d.decode = [](const Payload& p) {
      return makeEvent<EvUrge>([&](EvUrge& e) { e.note = p.str("note"), e.tier = tierOf(p); });
    };
  }
  {
    auto& d = row("escalate", "Escalate", {"deadline"}, {note(true), tier()},
                  "a supervisor, once; the system (escalation ladder)");
    d.systemToo = true;
    d.deny = [](const model::Item&, const Actor& a) { return supervisors(a, "escalate"); };
    d.offer = [](const model::Item& item, const FieldContext&) { return !item.escalated; };
    d.decode = [](const Payload& p) {
      return makeEvent<EvEscalate>([&](EvEscalate& e) { e.note = p.str("note"), e.tier = tierOf(p); });
    };
  }
  {
    // DESIGN §2 addition: the ladder's top tier, reported to the district supervisor.
    auto& d = row("report", "Report to the district supervisor", {"deadline"},
                  {note(true), tier()}, "the system (escalation ladder)");
    d.system = true;
    d.deny = [](const model::Item&, const Actor&) { return Deny(); };  // the engine checks system
    d.decode = [](const Payload& p) {
      return makeEvent<EvReport>([&](EvReport& e) { e.note = p.str("note"), e.tier = tierOf(p); });
    };
  }
  {
    FieldDef now{"now", K::Text, false, "Time", 40};
    now.onForm = false;
    // The community's "due soon" setting at the time, so a replay lights the item alike
    // (absent in ticks written before migration 006: the default then in force).
    FieldDef soon{"due_soon_days", K::Count, false, "Due soon (working days)", 4};
    soon.onForm = false;
    auto& d = row("tick", "Deadline check", {"deadline"}, {now, soon}, "the system");
    d.system = true;
    d.deny = [](const model::Item&, const Actor&) { return Deny(); };  // the engine checks system
    d.complete = [](Poco::JSON::Object& p, const FieldContext& ctx) { p.set("now", ctx.at); };
    d.decode = [](const Payload& p) {
      return makeEvent<EvTick>([&](EvTick& e) {
        if (p.has("due_soon_days")) e.dueSoonDays = static_cast<int>(p.integer("due_soon_days"));
      });
    };
  }
  {
    auto& d =
        row("submit_result", "Submit the result", {"deadline"}, {text("result", "Result", true)},
            "the lead party, once every co-handling party has reported its part done");
    d.deny = leadOnly("submit_result");
    d.offer = [](const model::Item& item, const FieldContext&) {
      return std::all_of(item.handlers.begin(), item.handlers.end(),
                         [](const model::Handler& h) { return h.lead || h.done; });
    };
    d.decode = [](const Payload& p) {
      return makeEvent<EvSubmitResult>([&](EvSubmitResult& e) { e.result = p.str("result"); });
    };
  }
  {
    auto& d = row("accept", "Accept the result", {"followup"}, {note(false)}, "a supervisor");
    d.deny = [](const model::Item&, const Actor& a) { return supervisors(a, "accept"); };
    d.decode = [](const Payload& p) {
      return makeEvent<EvAccept>([&](EvAccept& e) { e.note = p.str("note"); });
    };
  }
  {
    auto& d = row("return_for_rework", "Return for rework", {"followup"}, {reason(), due(true)},
                  "a supervisor");
    d.deny = [](const model::Item&, const Actor& a) { return supervisors(a, "return_for_rework"); };
    d.decode = [](const Payload& p) {
      return makeEvent<EvReturnForRework>(
          [&](EvReturnForRework& e) { e.reason = p.str("reason"), e.due = p.str("due"); });
    };
  }
  {
    auto& d = row("rate", "Rate the response", {"closed"},
                  {{"rating", K::Choice, true, "Rating", 100, kRatings, kRatingLabels},
                   text("comment", "Comment", false)},
                  "a representative of the proposing party, once per closing");
    // The rating belongs to the proposing party: a convener who raised the item on its
    // behalf does not take the rating away from it.
    d.deny = [](const model::Item& item, const Actor& a) -> Deny {
      if (a.speaksForParty() && a.party == item.proposerParty) return std::nullopt;
      return Msg("Only the proposing party may rate the item.");
    };
    d.offer = [](const model::Item& item, const FieldContext&) { return item.rating.empty(); };
    d.decode = [](const Payload& p) {
      return makeEvent<EvRate>(
          [&](EvRate& e) { e.rating = p.str("rating"), e.comment = p.str("comment"); });
    };
  }
  {
    auto& d = row("reopen", "Reopen", {"closed"}, {reason()},
                  "the convener; a supervisor when the proposer was dissatisfied");
    d.deny = [](const model::Item& item, const Actor& a) -> Deny {
      if (a.convener) return std::nullopt;
      if (a.supervisor && item.rating == "dissatisfied") return std::nullopt;
      if (a.supervisor)
        return Msg("A supervisor may reopen only an item its proposer was dissatisfied with.");
      return Msg("Only the convener may reopen.");
    };
    d.decode = [](const Payload& p) {
      return makeEvent<EvReopen>([&](EvReopen& e) { e.reason = p.str("reason"); });
    };
  }
  return t;
}

const std::map<std::string, std::string>& stateLabels() {
  static const std::map<std::string, std::string> m = {
      {"proposal", "Proposal"},
      {"discussion", "Discussion"},
      {"assignment", "Assignment"},
      {"deadline", "Being handled"},
      {"deadline.on_track", "Being handled (on track)"},
      {"deadline.due_soon", "Being handled (due soon)"},
      {"deadline.overdue", "Being handled (overdue)"},
      {"followup", "Under review"},
      {"closed", "Closed"},
  };
  return m;
}

std::string lookup(const std::vector<std::string>& codes, const std::vector<std::string>& labels,
                   const std::string& code) {
  auto it = std::find(codes.begin(), codes.end(), code);
  return it == codes.end() ? code : labels[static_cast<size_t>(it - codes.begin())];
}

}  // namespace

const std::vector<EventDef<model::Item>>& itemEvents() {
  static const std::vector<EventDef<model::Item>> table = buildTable();
  return table;
}

const EventDef<model::Item>* findItemEvent(const std::string& name) {
  for (const auto& d : itemEvents())
    if (d.name == name) return &d;
  return nullptr;
}

const std::vector<std::string>& itemStates() {
  static const std::vector<std::string> states = {
      "proposal",          "discussion",       "assignment", "deadline.on_track",
      "deadline.due_soon", "deadline.overdue", "followup",   "closed"};
  return states;
}

std::string itemEventLabel(const std::string& event) {
  const auto* d = findItemEvent(event);
  return d ? d->label : event;
}

std::string itemStateLabel(const std::string& state) {
  auto it = stateLabels().find(state);
  return it == stateLabels().end() ? state : it->second;
}

Msg itemStateRefusal(const std::string& state, const std::string& event) {
  static const std::map<std::string, std::string> hints = {
      {"proposal", "A proposal must first be taken up in a meeting, or withdrawn or merged."},
      {"discussion", "An item in discussion takes positions, defer, dismiss or resolve."},
      {"assignment", "A resolved item must first be assigned to a lead party."},
      {"deadline",
       "An item being handled takes progress reports, extensions, urging, escalation or its "
       "result."},
      {"followup", "A submitted result is accepted or returned for rework by a supervisor."},
      {"closed", "A closed item can only be rated or reopened."},
  };
  const std::string top = state.substr(0, state.find('.'));
  auto it = hints.find(top);
  return Msg("An item at the \"{1}\" stage cannot \"{2}\". {3}")
      .label(itemStateLabel(top))
      .label(itemEventLabel(event))
      .label(it == hints.end() ? std::string() : it->second);
}

const std::vector<std::string>& stanceCodes() { return kStances; }
const std::vector<std::string>& ratingCodes() { return kRatings; }
std::string stanceLabel(const std::string& s) { return lookup(kStances, kStanceLabels, s); }
std::string ratingLabel(const std::string& r) { return lookup(kRatings, kRatingLabels, r); }
std::string outcomeLabel(const std::string& o) {
  static const std::vector<std::string> codes = {"resolved", "not_adopted", "withdrawn", "merged"};
  static const std::vector<std::string> labels = {"Resolved", "Not adopted", "Withdrawn", "Merged"};
  return lookup(codes, labels, o);
}

}  // namespace liufang::workflow
