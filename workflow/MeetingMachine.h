#pragma once
// The joint meeting's state machine (DESIGN.md §2b), with Boost.Statechart: the second machine
// kind on the engine, read the same way as ItemMachine.h.
//
//   MeetingMachine
//   ├── Restoring         (initial) EvRestore → the stored state, without replaying the log
//   ├── Scheduled         set_agenda (in-state) · open → InSession · cancel → Cancelled
//   ├── InSession         set_agenda, mark_attendance (in-state) · adjourn → Adjourned
//   ├── Adjourned         publish_minutes → MinutesPublished
//   ├── MinutesPublished  add_erratum, sign_minutes (in-state)
//   └── Cancelled         terminal
//
// `schedule` creates the meeting and is not an event here. The machine does no I/O: reactions
// update the Meeting projection it is given; lastStep keeps the outcome. Fields arrive
// validated (workflow/MeetingEvents.cpp), and the minutes text arrives computed: the engine's
// check step renders it from the log into publish_minutes' payload, so the hash chain covers
// the frozen minutes and replay reads them back from the log.
#include <boost/mpl/list.hpp>
#include <boost/statechart/custom_reaction.hpp>
#include <boost/statechart/event.hpp>
#include <boost/statechart/simple_state.hpp>
#include <boost/statechart/state_machine.hpp>
#include <boost/statechart/transition.hpp>
#include <string>
#include <vector>

#include "model/Calendar.h"
#include "model/Errors.h"
#include "model/Types.h"
#include "workflow/EventTable.h"

namespace liufang::workflow::meeting {

namespace sc = boost::statechart;
namespace mpl = boost::mpl;

// ---- events (one per DESIGN.md §2b row but `schedule`)
struct EvRestore : sc::event<EvRestore> {
  std::string state;
};
struct EvSetAgenda : sc::event<EvSetAgenda> {
  std::vector<int64_t> agenda;
};
struct EvCancel : sc::event<EvCancel> {
  std::string reason;
};
struct EvOpen : sc::event<EvOpen> {
  std::vector<model::Attendance> attendance;
};
struct EvMarkAttendance : sc::event<EvMarkAttendance> {
  model::Attendance attendance;
};
struct EvAdjourn : sc::event<EvAdjourn> {
  std::string note;
};
struct EvPublishMinutes : sc::event<EvPublishMinutes> {
  std::string preamble, closing, minutes;
};
struct EvAddErratum : sc::event<EvAddErratum> {
  std::string text;
};
struct EvSignMinutes : sc::event<EvSignMinutes> {
  std::string party, note;
};

struct Restoring;
struct MeetingMachine : sc::state_machine<MeetingMachine, Restoring> {
  MeetingMachine(model::Meeting& meeting, const model::HolidayCalendar& cal)
      : meeting(meeting), calendar(cal) {}

  // Starts the machine in meeting.state (no replay). Throws liufang::StorageError if the
  // stored state is not one of the machine's.
  void restore();
  // Processes one event with its inputs; lastStep tells what happened.
  void step(const StepInput& in, const sc::event_base& ev);
  // The current state's name, e.g. "in_session".
  std::string stateName() const;

  void unconsumed_event(const sc::event_base&);

  // Transition actions of the guard-free edges.
  void cancel(const EvCancel& ev);
  void adjourn(const EvAdjourn& ev);
  void publish(const EvPublishMinutes& ev);

  model::Meeting& meeting;
  const model::HolidayCalendar& calendar;
  StepInput in;
  StepOutcome lastStep;
};

// Every state names itself; stateName() reads it.
struct MeetingState {
  virtual ~MeetingState() = default;
  virtual const char* name() const = 0;
};

struct Scheduled;
struct InSession;
struct Adjourned;
struct MinutesPublished;
struct Cancelled;

struct Restoring : sc::simple_state<Restoring, MeetingMachine>, MeetingState {
  using reactions = sc::custom_reaction<EvRestore>;
  sc::result react(const EvRestore& ev);
  const char* name() const override { return "restoring"; }
};

struct Scheduled : sc::simple_state<Scheduled, MeetingMachine>, MeetingState {
  using reactions =
      mpl::list<sc::custom_reaction<EvSetAgenda>,  // in-state
                sc::custom_reaction<EvOpen>,       // → InSession, attendance by party
                sc::transition<EvCancel, Cancelled, MeetingMachine, &MeetingMachine::cancel>,
                sc::custom_reaction<sc::event_base>>;
  sc::result react(const EvSetAgenda& ev);
  sc::result react(const EvOpen& ev);
  sc::result react(const sc::event_base& ev);
  const char* name() const override { return "scheduled"; }
};

struct InSession : sc::simple_state<InSession, MeetingMachine>, MeetingState {
  using reactions =
      mpl::list<sc::custom_reaction<EvSetAgenda>, sc::custom_reaction<EvMarkAttendance>,
                sc::transition<EvAdjourn, Adjourned, MeetingMachine, &MeetingMachine::adjourn>,
                sc::custom_reaction<sc::event_base>>;
  sc::result react(const EvSetAgenda& ev);
  sc::result react(const EvMarkAttendance& ev);
  sc::result react(const sc::event_base& ev);
  const char* name() const override { return "in_session"; }
};

struct Adjourned : sc::simple_state<Adjourned, MeetingMachine>, MeetingState {
  using reactions = mpl::list<
      sc::transition<EvPublishMinutes, MinutesPublished, MeetingMachine, &MeetingMachine::publish>,
      sc::custom_reaction<sc::event_base>>;
  sc::result react(const sc::event_base& ev);
  const char* name() const override { return "adjourned"; }
};

struct MinutesPublished : sc::simple_state<MinutesPublished, MeetingMachine>, MeetingState {
  using reactions = mpl::list<sc::custom_reaction<EvAddErratum>,   // in-state, appended
                              sc::custom_reaction<EvSignMinutes>,  // in-state, once per party
                              sc::custom_reaction<sc::event_base>>;
  sc::result react(const EvAddErratum& ev);
  sc::result react(const EvSignMinutes& ev);
  sc::result react(const sc::event_base& ev);
  const char* name() const override { return "minutes_published"; }
};

struct Cancelled : sc::simple_state<Cancelled, MeetingMachine>, MeetingState {
  using reactions = sc::custom_reaction<sc::event_base>;
  sc::result react(const sc::event_base& ev);
  const char* name() const override { return "cancelled"; }
};

}  // namespace liufang::workflow::meeting
