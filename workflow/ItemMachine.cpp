#include "workflow/ItemMachine.h"

#include <algorithm>

#include "workflow/ItemEvents.h"
#include "workflow/MachineSupport.h"

namespace liufang::workflow {
namespace {

// An event the state does not accept at all.
template <class State>
sc::result notHere(State& s) {
  auto& m = s.outermost_context();
  return refuse(s, itemStateRefusal(m.lastStep.from, m.in.type));
}

// An accepted event that stays in the same state.
template <class State>
sc::result stay(State& s) {
  return s.discard_event();
}

void close(ItemMachine& m, const std::string& outcome, const std::string& response) {
  m.item.outcome = outcome;
  m.item.response = response;
  m.item.closedAt = m.in.at;
}

}  // namespace

// ---- inner states of Deadline: time moves them
struct OnTrack : sc::simple_state<OnTrack, Deadline>, NamedState {
  using reactions = sc::custom_reaction<EvTick>;
  sc::result react(const EvTick&);
  const char* name() const override { return "deadline.on_track"; }
};
struct DueSoon : sc::simple_state<DueSoon, Deadline>, NamedState {
  using reactions = sc::custom_reaction<EvTick>;
  sc::result react(const EvTick&);
  const char* name() const override { return "deadline.due_soon"; }
};
struct Overdue : sc::simple_state<Overdue, Deadline>, NamedState {
  using reactions = sc::custom_reaction<EvTick>;
  sc::result react(const EvTick&);
  const char* name() const override { return "deadline.overdue"; }
};

namespace {
// Moves a Deadline sub-state to the light that `today` calls for; refuses when already there.
template <class State>
sc::result retime(State& s, const EvTick& ev) {
  auto& m = s.outermost_context();
  const std::string target = "deadline." + m.deadlineLight(m.in.today, ev.dueSoonDays);
  if (target == m.lastStep.from) return refuse(s, "The deadline light has not changed.");
  if (target == "deadline.on_track") return s.template transit<OnTrack>();
  if (target == "deadline.due_soon") return s.template transit<DueSoon>();
  return s.template transit<Overdue>();
}
}  // namespace

sc::result OnTrack::react(const EvTick& ev) { return retime(*this, ev); }
sc::result DueSoon::react(const EvTick& ev) { return retime(*this, ev); }
sc::result Overdue::react(const EvTick& ev) { return retime(*this, ev); }

// ---- machine
void ItemMachine::restore() {
  initiate();
  EvRestore ev;
  ev.state = item.state;
  in = StepInput{};
  in.type = "restore";
  process_event(ev);
  if (stateName() != item.state)
    throw StorageError("item " + std::to_string(item.id) + " has unknown state '" + item.state +
                       "'");
}

void ItemMachine::step(const StepInput& input, const sc::event_base& ev) {
  stepMachine(*this, input, ev);
}

std::string ItemMachine::stateName() const { return innermostStateName<NamedState>(*this); }

std::string deadlineLightFor(const std::string& dueText, const model::Date& today,
                             const model::HolidayCalendar& calendar, int dueSoonDays) {
  auto due = model::Date::parse(dueText);
  if (!due) return "on_track";
  if (*due < today) return "overdue";
  return calendar.workingDaysBetween(today, *due) <= dueSoonDays ? "due_soon" : "on_track";
}

std::string ItemMachine::deadlineLight(const model::Date& today, int dueSoonDays) const {
  return deadlineLightFor(item.due, today, calendar, dueSoonDays);
}

void ItemMachine::unconsumed_event(const sc::event_base&) {
  lastStep.refused = true;
  lastStep.why =
      Msg("The item is not in a state that can take \"{1}\".").label(itemEventLabel(in.type));
}

sc::result Restoring::react(const EvRestore& ev) {
  const std::string& s = ev.state;
  if (s == "proposal") return transit<Proposal>();
  if (s == "discussion") return transit<Discussion>();
  if (s == "assignment") return transit<Assignment>();
  if (s == "deadline.on_track") return transit<OnTrack>();
  if (s == "deadline.due_soon") return transit<DueSoon>();
  if (s == "deadline.overdue") return transit<Overdue>();
  if (s == "followup") return transit<FollowUp>();
  if (s == "closed") return transit<Closed>();
  return discard_event();  // restore() reports the unknown state
}

// ---- transition actions
void ItemMachine::takeUp(const EvTakeUp& ev) { item.meetingId = ev.meeting; }
void ItemMachine::withdraw(const EvWithdraw& ev) { close(*this, "withdrawn", ev.response); }
void ItemMachine::dismiss(const EvDismiss& ev) { close(*this, "not_adopted", ev.response); }
void ItemMachine::resolve(const EvResolve& ev) { item.decision = ev.decision; }
void ItemMachine::accept(const EvAccept&) { close(*this, "resolved", item.result); }
void ItemMachine::reopen(const EvReopen&) {
  // Back to the table: the old decision, assignment and answer no longer stand.
  item.outcome.clear();
  item.response.clear();
  item.decision.clear();
  item.handlers.clear();
  item.standard.clear();
  item.due.clear();
  item.result.clear();
  item.rating.clear();
  item.ratingComment.clear();
  item.mergedInto = 0;
  item.escalated = false;
  item.ladderTier = 0;
  item.closedAt.clear();
  item.submittedAt.clear();
  item.assignedAt.clear();
}

// ---- Proposal
sc::result Proposal::react(const EvMerge& ev) {
  auto& m = outermost_context();
  if (ev.into == m.item.id) return refuse(*this, "An item cannot merge into itself.");
  m.item.mergedInto = ev.into;
  close(m, "merged", ev.response);
  return transit<Closed>();
}
sc::result Proposal::react(const sc::event_base&) { return notHere(*this); }

// ---- Discussion
sc::result Discussion::react(const EvLogPosition& ev) {
  auto& m = outermost_context();
  auto& ps = m.item.positions;
  auto it = std::find_if(ps.begin(), ps.end(),
                         [&](const model::Position& p) { return p.party == ev.party; });
  model::Position p{ev.party, ev.stance, ev.reason, m.in.at, m.in.actorUser};
  if (it == ps.end())
    ps.push_back(p);
  else
    *it = p;  // revisable; the log keeps the history
  return stay(*this);
}
sc::result Discussion::react(const sc::event_base&) { return notHere(*this); }

// ---- Assignment
sc::result Assignment::react(const EvAssign& ev) {
  auto& m = outermost_context();
  auto due = model::Date::parse(ev.due);
  if (!due || *due < m.in.today) return refuse(*this, "The due date cannot be before today.");
  m.item.handlers.clear();
  m.item.handlers.push_back({ev.lead, true, false});
  for (const auto& c : ev.co) m.item.handlers.push_back({c, false, false});
  m.item.standard = ev.standard;
  m.item.due = ev.due;
  m.item.assignedAt = m.in.at;
  return transit<OnTrack>();
}
sc::result Assignment::react(const sc::event_base&) { return notHere(*this); }

// ---- Deadline (outer)
sc::result Deadline::react(const EvReportProgress& ev) {
  auto& m = outermost_context();
  if (ev.done) {
    for (auto& h : m.item.handlers)
      if (!h.lead && h.party == ev.party) h.done = true;
  }
  return stay(*this);
}
sc::result Deadline::react(const EvRequestExtension& ev) {
  auto& m = outermost_context();
  auto due = model::Date::parse(m.item.due);
  auto wanted = model::Date::parse(ev.due);
  if (!m.item.extensionDue.empty())
    return refuse(*this, "An extension request is already pending.");
  if (due && *due < m.in.today)
    return refuse(*this, "The due date has passed; an extension must be asked for before it.");
  if (!wanted || (due && *wanted <= *due))
    return refuse(*this, "The requested due date must be later than the current one.");
  m.item.extensionDue = ev.due;
  m.item.extensionReason = ev.reason;
  return stay(*this);
}
sc::result Deadline::react(const EvDecideExtension& ev) {
  auto& m = outermost_context();
  if (m.item.extensionDue.empty()) return refuse(*this, "There is no pending extension request.");
  if (ev.approve) {
    m.item.due = m.item.extensionDue;
    m.item.ladderTier = 0;  // a new due date starts the ladder again
  }
  m.item.extensionDue.clear();
  m.item.extensionReason.clear();
  return stay(*this);
}
namespace {
// A ladder tier counts only when the system fired it (a person's payload cannot move it).
void noteTier(ItemMachine& m, int tier) {
  if (tier > 0 && m.in.actorUser == 0) m.item.ladderTier = std::max(m.item.ladderTier, tier);
}
}  // namespace
sc::result Deadline::react(const EvUrge& ev) {
  auto& m = outermost_context();
  ++m.item.urgeCount;
  noteTier(m, ev.tier);
  return stay(*this);
}
sc::result Deadline::react(const EvEscalate& ev) {
  auto& m = outermost_context();
  // The ladder's escalate on an item a supervisor already flagged records its tier only.
  if (m.item.escalated && !(ev.tier > 0 && m.in.actorUser == 0))
    return refuse(*this, "The item is already escalated.");
  m.item.escalated = true;
  noteTier(m, ev.tier);
  return stay(*this);
}
sc::result Deadline::react(const EvReport& ev) {
  noteTier(outermost_context(), ev.tier);
  return stay(*this);
}
sc::result Deadline::react(const EvSubmitResult& ev) {
  auto& m = outermost_context();
  for (const auto& h : m.item.handlers) {
    if (!h.lead && !h.done)
      return refuse(*this,
                    Msg("Co-handling party \"{1}\" has not reported its part done.").arg(h.party));
  }
  m.item.result = ev.result;
  m.item.submittedAt = m.in.at;
  m.item.extensionDue.clear();  // a pending request lapses once the result is in
  m.item.extensionReason.clear();
  return transit<FollowUp>();
}
sc::result Deadline::react(const sc::event_base&) { return notHere(*this); }

// ---- FollowUp
sc::result FollowUp::react(const EvReturnForRework& ev) {
  auto& m = outermost_context();
  auto due = model::Date::parse(ev.due);
  if (!due || *due < m.in.today) return refuse(*this, "The new due date cannot be before today.");
  m.item.due = ev.due;
  m.item.ladderTier = 0;
  m.item.result.clear();
  m.item.submittedAt.clear();
  ++m.item.reworkCount;
  for (auto& h : m.item.handlers) h.done = false;  // everyone reports again
  return transit<OnTrack>();
}
sc::result FollowUp::react(const sc::event_base&) { return notHere(*this); }

// ---- Closed
sc::result Closed::react(const EvRate& ev) {
  auto& m = outermost_context();
  if (!m.item.rating.empty()) return refuse(*this, "The item has already been rated.");
  m.item.rating = ev.rating;
  m.item.ratingComment = ev.comment;
  return stay(*this);
}
sc::result Closed::react(const sc::event_base&) { return notHere(*this); }

}  // namespace liufang::workflow
