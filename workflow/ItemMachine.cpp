#include "workflow/ItemMachine.h"

#include <algorithm>

#include "model/Errors.h"
#include "workflow/Events.h"

namespace liufang::workflow {
namespace {

// The one exit for a refusal: the listener hears why, the item is untouched.
template <class State>
sc::result refuse(State& s, const std::string& zh, const std::string& en) {
  auto& m = s.outermost_context();
  m.wasRefused = true;
  m.refusalZh = zh;
  m.refusalEn = en;
  m.listener.refused(zh, en);
  return s.discard_event();
}

// An event the state does not accept at all.
template <class State>
sc::result notHere(State& s) {
  auto& m = s.outermost_context();
  auto [zh, en] = stateRefusal(m.from, m.in.type);
  return refuse(s, zh, en);
}

// An accepted event that stays in the same state.
template <class State>
sc::result stay(State& s) {
  auto& m = s.outermost_context();
  m.listener.accepted(m.from, m.from);
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
sc::result retime(State& s) {
  auto& m = s.outermost_context();
  const std::string target = "deadline." + m.deadlineLight(m.in.today);
  if (target == m.from)
    return refuse(s, "时限状态没有变化。", "The deadline light has not changed.");
  if (target == "deadline.on_track") return s.template transit<OnTrack>();
  if (target == "deadline.due_soon") return s.template transit<DueSoon>();
  return s.template transit<Overdue>();
}
}  // namespace

sc::result OnTrack::react(const EvTick&) { return retime(*this); }
sc::result DueSoon::react(const EvTick&) { return retime(*this); }
sc::result Overdue::react(const EvTick&) { return retime(*this); }

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
  in = input;
  wasRefused = false;
  from = stateName();
  const std::string before = from;
  process_event(ev);
  // Transitions report here; in-state reactions and refusals report themselves.
  if (stateName() != before) listener.accepted(before, stateName());
}

std::string ItemMachine::stateName() const {
  if (terminated()) return "terminated";
  const auto* named = dynamic_cast<const NamedState*>(&*state_begin());
  return named ? named->name() : "unknown";
}

std::string deadlineLightFor(const std::string& dueText, const model::Date& today,
                             const model::HolidayCalendar& calendar) {
  auto due = model::Date::parse(dueText);
  if (!due) return "on_track";
  if (*due < today) return "overdue";
  return calendar.workingDaysBetween(today, *due) <= kDueSoonWorkingDays ? "due_soon" : "on_track";
}

std::string ItemMachine::deadlineLight(const model::Date& today) const {
  return deadlineLightFor(item.due, today, calendar);
}

void ItemMachine::unconsumed_event(const sc::event_base&) {
  wasRefused = true;
  refusalZh = "事项状态异常，无法处理「" + eventLabelZh(in.type) + "」。";
  refusalEn = "The item is not in a state that can take " + in.type + ".";
  listener.refused("事项状态异常，无法处理「" + eventLabelZh(in.type) + "」。",
                   "The item is not in a state that can take " + in.type + ".");
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

// ---- Proposal
sc::result Proposal::react(const EvTakeUp& ev) {
  outermost_context().item.meetingId = ev.meeting;
  return transit<Discussion>();
}
sc::result Proposal::react(const EvWithdraw& ev) {
  close(outermost_context(), "withdrawn", ev.response);
  return transit<Closed>();
}
sc::result Proposal::react(const EvMerge& ev) {
  auto& m = outermost_context();
  if (ev.into == m.item.id)
    return refuse(*this, "不能合并到自身。", "An item cannot merge into itself.");
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
sc::result Discussion::react(const EvDefer&) { return transit<Proposal>(); }
sc::result Discussion::react(const EvDismiss& ev) {
  close(outermost_context(), "not_adopted", ev.response);
  return transit<Closed>();
}
sc::result Discussion::react(const EvResolve& ev) {
  outermost_context().item.decision = ev.decision;
  return transit<Assignment>();
}
sc::result Discussion::react(const sc::event_base&) { return notHere(*this); }

// ---- Assignment
sc::result Assignment::react(const EvAssign& ev) {
  auto& m = outermost_context();
  auto due = model::Date::parse(ev.due);
  if (!due || *due < m.in.today)
    return refuse(*this, "办理期限不能早于今天。", "The due date cannot be before today.");
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
    return refuse(*this, "已有延期申请等待审批。", "An extension request is already pending.");
  if (due && *due < m.in.today)
    return refuse(*this, "已超过办理期限，不能再申请延期。",
                  "The due date has passed; an extension must be asked for before it.");
  if (!wanted || (due && *wanted <= *due))
    return refuse(*this, "延期后的期限必须晚于现在的期限。",
                  "The requested due date must be later than the current one.");
  m.item.extensionDue = ev.due;
  m.item.extensionReason = ev.reason;
  return stay(*this);
}
sc::result Deadline::react(const EvDecideExtension& ev) {
  auto& m = outermost_context();
  if (m.item.extensionDue.empty())
    return refuse(*this, "没有待审批的延期申请。", "There is no pending extension request.");
  if (ev.approve) m.item.due = m.item.extensionDue;
  m.item.extensionDue.clear();
  m.item.extensionReason.clear();
  return stay(*this);
}
sc::result Deadline::react(const EvUrge&) {
  ++outermost_context().item.urgeCount;
  return stay(*this);
}
sc::result Deadline::react(const EvEscalate&) {
  auto& m = outermost_context();
  if (m.item.escalated)
    return refuse(*this, "该事项已挂牌督办。", "The item is already escalated.");
  m.item.escalated = true;
  return stay(*this);
}
sc::result Deadline::react(const EvSubmitResult& ev) {
  auto& m = outermost_context();
  for (const auto& h : m.item.handlers) {
    if (!h.lead && !h.done)
      return refuse(*this, "协办方「" + h.party + "」尚未报告完成其承办部分。",
                    "Co-handling party '" + h.party + "' has not reported its part done.");
  }
  m.item.result = ev.result;
  m.item.submittedAt = m.in.at;
  m.item.extensionDue.clear();  // a pending request lapses once the result is in
  m.item.extensionReason.clear();
  return transit<FollowUp>();
}
sc::result Deadline::react(const sc::event_base&) { return notHere(*this); }

// ---- FollowUp
sc::result FollowUp::react(const EvAccept&) {
  auto& m = outermost_context();
  close(m, "resolved", m.item.result);
  return transit<Closed>();
}
sc::result FollowUp::react(const EvReturnForRework& ev) {
  auto& m = outermost_context();
  auto due = model::Date::parse(ev.due);
  if (!due || *due < m.in.today)
    return refuse(*this, "重办期限不能早于今天。", "The new due date cannot be before today.");
  m.item.due = ev.due;
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
  if (!m.item.rating.empty())
    return refuse(*this, "该事项已经评价过。", "The item has already been rated.");
  m.item.rating = ev.rating;
  m.item.ratingComment = ev.comment;
  return stay(*this);
}
sc::result Closed::react(const EvReopen&) {
  auto& it = outermost_context().item;
  // Back to the table: the old decision, assignment and answer no longer stand.
  it.outcome.clear();
  it.response.clear();
  it.decision.clear();
  it.handlers.clear();
  it.standard.clear();
  it.due.clear();
  it.result.clear();
  it.rating.clear();
  it.ratingComment.clear();
  it.mergedInto = 0;
  it.escalated = false;
  it.closedAt.clear();
  it.submittedAt.clear();
  it.assignedAt.clear();
  return transit<Discussion>();
}
sc::result Closed::react(const sc::event_base&) { return notHere(*this); }

}  // namespace liufang::workflow
