#pragma once
// The agenda-item state machine (DESIGN.md §2), with Boost.Statechart.
//
//   ItemMachine
//   ├── Restoring      (initial) EvRestore → the stored state, without replaying the log
//   ├── Proposal       take_up → Discussion · withdraw / merge → Closed
//   ├── Discussion     log_position (in-state) · defer → Proposal · dismiss → Closed
//   │                  resolve → Assignment
//   ├── Assignment     assign → Deadline
//   ├── Deadline       report_progress, request_extension, decide_extension, urge, escalate
//   │   │              (in-state) · submit_result → FollowUp
//   │   ├── OnTrack    tick → DueSoon | Overdue
//   │   ├── DueSoon    tick → OnTrack | Overdue
//   │   └── Overdue    tick → OnTrack | DueSoon (after an extension)
//   ├── FollowUp       accept → Closed · return_for_rework → Deadline
//   └── Closed         rate (in-state) · reopen → Discussion
//
// The machine does no I/O: reactions update the Item projection it is given, and the outcome
// of each step (accepted from → to, or refused with a reason) is kept in lastStep for the
// Engine and the tests. Every outer state refuses what it does not accept, with a reason,
// through a reaction to sc::event_base. Guard-free edges are sc::transition rows, so the
// target reads here; guarded ones are custom reactions. Fields arrive validated (the event
// table, workflow/ItemEvents.cpp); guards that depend on the item live here.
#include <boost/mpl/list.hpp>
#include <boost/statechart/custom_reaction.hpp>
#include <boost/statechart/event.hpp>
#include <boost/statechart/simple_state.hpp>
#include <boost/statechart/state.hpp>
#include <boost/statechart/state_machine.hpp>
#include <boost/statechart/transition.hpp>
#include <string>
#include <vector>

#include "model/Calendar.h"
#include "model/Errors.h"
#include "model/Types.h"
#include "workflow/EventTable.h"

namespace liufang::workflow {

namespace sc = boost::statechart;
namespace mpl = boost::mpl;

// ---- events (one per DESIGN.md §2 row; `propose` creates the item and is not an event here)
struct EvRestore : sc::event<EvRestore> {
  std::string state;
};
struct EvTakeUp : sc::event<EvTakeUp> {
  int64_t meeting = 0;
};
struct EvLogPosition : sc::event<EvLogPosition> {
  std::string party, stance, reason;
};
struct EvDefer : sc::event<EvDefer> {
  std::string reason;
};
struct EvDismiss : sc::event<EvDismiss> {
  std::string response;
};
struct EvWithdraw : sc::event<EvWithdraw> {
  std::string response;
};
struct EvMerge : sc::event<EvMerge> {
  int64_t into = 0;
  std::string response;
};
struct EvResolve : sc::event<EvResolve> {
  std::string decision;
};
struct EvAssign : sc::event<EvAssign> {
  std::string lead;
  std::vector<std::string> co;
  std::string standard;
  std::string due;
};
struct EvReportProgress : sc::event<EvReportProgress> {
  std::string party, text;
  bool done = false;
};
struct EvRequestExtension : sc::event<EvRequestExtension> {
  std::string reason, due;
};
struct EvDecideExtension : sc::event<EvDecideExtension> {
  bool approve = false;
  std::string note;
};
struct EvUrge : sc::event<EvUrge> {
  std::string note;
};
struct EvEscalate : sc::event<EvEscalate> {
  std::string note;
};
struct EvTick : sc::event<EvTick> {
  int dueSoonDays = 2;  // the community's "due soon" setting when the tick was fired
};
struct EvSubmitResult : sc::event<EvSubmitResult> {
  std::string result;
};
struct EvAccept : sc::event<EvAccept> {
  std::string note;
};
struct EvReturnForRework : sc::event<EvReturnForRework> {
  std::string reason, due;
};
struct EvRate : sc::event<EvRate> {
  std::string rating, comment;
};
struct EvReopen : sc::event<EvReopen> {
  std::string reason;
};

// Working days left at which an item turns yellow, unless its community sets another number
// (communities.due_soon_days, migration 006; carried in each tick's payload so replay agrees).
constexpr int kDueSoonWorkingDays = 2;

// The Deadline sub-state an item due on `due` belongs in on `today`: "on_track" (more than
// dueSoonDays working days left), "due_soon" (due today or within them) or "overdue".
std::string deadlineLightFor(const std::string& due, const model::Date& today,
                             const model::HolidayCalendar& calendar,
                             int dueSoonDays = kDueSoonWorkingDays);

struct Restoring;
struct ItemMachine : sc::state_machine<ItemMachine, Restoring> {
  ItemMachine(model::Item& item, const model::HolidayCalendar& cal) : item(item), calendar(cal) {}

  // Starts the machine in item.state (no replay). Throws liufang::StorageError if the stored
  // state is not one of the machine's.
  void restore();
  // Processes one event with its inputs; lastStep tells what happened.
  void step(const StepInput& in, const sc::event_base& ev);
  // The full name of the current (innermost) state, e.g. "deadline.due_soon".
  std::string stateName() const;
  // The sub-state an item in Deadline should be in on `today`: on_track, due_soon or overdue.
  std::string deadlineLight(const model::Date& today,
                            int dueSoonDays = kDueSoonWorkingDays) const;

  void unconsumed_event(const sc::event_base&);

  // Transition actions of the guard-free edges (the header's sc::transition rows).
  void takeUp(const EvTakeUp& ev);
  void withdraw(const EvWithdraw& ev);
  void dismiss(const EvDismiss& ev);
  void resolve(const EvResolve& ev);
  void accept(const EvAccept& ev);
  void reopen(const EvReopen& ev);

  model::Item& item;
  const model::HolidayCalendar& calendar;
  StepInput in;
  StepOutcome lastStep;
};

// Every state names itself; stateName() reads the innermost one.
struct NamedState {
  virtual ~NamedState() = default;
  virtual const char* name() const = 0;
};

struct Proposal;
struct Discussion;
struct Assignment;
struct Deadline;
struct FollowUp;
struct Closed;
struct OnTrack;

struct Restoring : sc::simple_state<Restoring, ItemMachine>, NamedState {
  using reactions = sc::custom_reaction<EvRestore>;
  sc::result react(const EvRestore& ev);
  const char* name() const override { return "restoring"; }
};

struct Proposal : sc::simple_state<Proposal, ItemMachine>, NamedState {
  using reactions =
      mpl::list<sc::transition<EvTakeUp, Discussion, ItemMachine, &ItemMachine::takeUp>,
                sc::transition<EvWithdraw, Closed, ItemMachine, &ItemMachine::withdraw>,
                sc::custom_reaction<EvMerge>,  // → Closed, unless into itself
                sc::custom_reaction<sc::event_base>>;
  sc::result react(const EvMerge& ev);
  sc::result react(const sc::event_base& ev);
  const char* name() const override { return "proposal"; }
};

struct Discussion : sc::simple_state<Discussion, ItemMachine>, NamedState {
  using reactions =
      mpl::list<sc::custom_reaction<EvLogPosition>,  // in-state, revisable
                sc::transition<EvDefer, Proposal>,
                sc::transition<EvDismiss, Closed, ItemMachine, &ItemMachine::dismiss>,
                sc::transition<EvResolve, Assignment, ItemMachine, &ItemMachine::resolve>,
                sc::custom_reaction<sc::event_base>>;
  sc::result react(const EvLogPosition& ev);
  sc::result react(const sc::event_base& ev);
  const char* name() const override { return "discussion"; }
};

struct Assignment : sc::simple_state<Assignment, ItemMachine>, NamedState {
  using reactions = mpl::list<sc::custom_reaction<EvAssign>,  // → Deadline, if due >= today
                              sc::custom_reaction<sc::event_base>>;
  sc::result react(const EvAssign& ev);
  sc::result react(const sc::event_base& ev);
  const char* name() const override { return "assignment"; }
};

// Inner states OnTrack / DueSoon / Overdue are in ItemMachine.cpp; they react to EvTick.
struct Deadline : sc::simple_state<Deadline, ItemMachine, OnTrack>, NamedState {
  using reactions =
      mpl::list<sc::custom_reaction<EvReportProgress>, sc::custom_reaction<EvRequestExtension>,
                sc::custom_reaction<EvDecideExtension>, sc::custom_reaction<EvUrge>,
                sc::custom_reaction<EvEscalate>,
                sc::custom_reaction<EvSubmitResult>,  // → FollowUp, once every co part is done
                sc::custom_reaction<sc::event_base>>;
  sc::result react(const EvReportProgress& ev);
  sc::result react(const EvRequestExtension& ev);
  sc::result react(const EvDecideExtension& ev);
  sc::result react(const EvUrge& ev);
  sc::result react(const EvEscalate& ev);
  sc::result react(const EvSubmitResult& ev);
  sc::result react(const sc::event_base& ev);
  const char* name() const override { return "deadline"; }
};

struct FollowUp : sc::simple_state<FollowUp, ItemMachine>, NamedState {
  using reactions =
      mpl::list<sc::transition<EvAccept, Closed, ItemMachine, &ItemMachine::accept>,
                sc::custom_reaction<EvReturnForRework>,  // → Deadline, if due >= today
                sc::custom_reaction<sc::event_base>>;
  sc::result react(const EvReturnForRework& ev);
  sc::result react(const sc::event_base& ev);
  const char* name() const override { return "followup"; }
};

struct Closed : sc::simple_state<Closed, ItemMachine>, NamedState {
  using reactions =
      mpl::list<sc::custom_reaction<EvRate>,  // in-state, once per closing
                sc::transition<EvReopen, Discussion, ItemMachine, &ItemMachine::reopen>,
                sc::custom_reaction<sc::event_base>>;
  sc::result react(const EvRate& ev);
  sc::result react(const sc::event_base& ev);
  const char* name() const override { return "closed"; }
};

}  // namespace liufang::workflow
