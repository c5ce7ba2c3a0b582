#pragma once
// A resident's request (居民点单), the "request" machine kind, with Boost.Statechart.
//
//   RequestMachine
//   ├── Restoring   (initial) EvRestore → the stored state, without replaying the log
//   ├── Submitted   screen → Screened · answer → Answered · reject → Rejected
//   ├── Screened    (final) turned into a proposal: the linked item carries it on
//   ├── Answered    (final) a public reply (already handled, not the community's task, ...)
//   └── Rejected    (final) spam or abuse: the text is kept from public view, a reply is not
//
// Every way out of Submitted carries a public reply, so no request ends unanswered
// (件件有回音). `submit` creates the stream and is not an event here. The machine does no
// I/O: reactions update the Request projection and lastStep says what happened.
#include <boost/mpl/list.hpp>
#include <boost/statechart/custom_reaction.hpp>
#include <boost/statechart/event.hpp>
#include <boost/statechart/simple_state.hpp>
#include <boost/statechart/state_machine.hpp>
#include <boost/statechart/transition.hpp>
#include <string>

#include "model/Calendar.h"
#include "model/Residents.h"
#include "workflow/EventTable.h"

namespace liufang::workflow::request {

namespace sc = boost::statechart;
namespace mpl = boost::mpl;

// ---- events
struct EvRestore : sc::event<EvRestore> {
  std::string state;
};
struct EvScreen : sc::event<EvScreen> {
  int64_t item = 0;
  std::string reply;
};
struct EvAnswer : sc::event<EvAnswer> {
  std::string reply;
};
struct EvReject : sc::event<EvReject> {
  std::string reason, reply;
};

struct Restoring;
struct RequestMachine : sc::state_machine<RequestMachine, Restoring> {
  RequestMachine(model::Request& request, const model::HolidayCalendar&) : request(request) {}

  // Starts the machine in request.state (no replay). Throws StorageError for an unknown state.
  void restore();
  // Processes one event with its inputs; lastStep tells what happened.
  void step(const StepInput& in, const sc::event_base& ev);
  // The current state's name, e.g. "submitted".
  std::string stateName() const;
  void unconsumed_event(const sc::event_base&);

  // Transition actions.
  void screen(const EvScreen& ev);
  void answer(const EvAnswer& ev);
  void reject(const EvReject& ev);

  model::Request& request;
  StepInput in;
  StepOutcome lastStep;
};

struct NamedState {
  virtual ~NamedState() = default;
  virtual const char* name() const = 0;
};

struct Submitted;
struct Screened;
struct Answered;
struct Rejected;

struct Restoring : sc::simple_state<Restoring, RequestMachine>, NamedState {
  using reactions = sc::custom_reaction<EvRestore>;
  sc::result react(const EvRestore& ev);
  const char* name() const override { return "restoring"; }
};

struct Submitted : sc::simple_state<Submitted, RequestMachine>, NamedState {
  using reactions =
      mpl::list<sc::transition<EvScreen, Screened, RequestMachine, &RequestMachine::screen>,
                sc::transition<EvAnswer, Answered, RequestMachine, &RequestMachine::answer>,
                sc::transition<EvReject, Rejected, RequestMachine, &RequestMachine::reject>,
                sc::custom_reaction<sc::event_base>>;
  sc::result react(const sc::event_base& ev);
  const char* name() const override { return "submitted"; }
};

// The three final states refuse everything, with the reason.
struct Screened : sc::simple_state<Screened, RequestMachine>, NamedState {
  using reactions = sc::custom_reaction<sc::event_base>;
  sc::result react(const sc::event_base& ev);
  const char* name() const override { return "screened"; }
};
struct Answered : sc::simple_state<Answered, RequestMachine>, NamedState {
  using reactions = sc::custom_reaction<sc::event_base>;
  sc::result react(const sc::event_base& ev);
  const char* name() const override { return "answered"; }
};
struct Rejected : sc::simple_state<Rejected, RequestMachine>, NamedState {
  using reactions = sc::custom_reaction<sc::event_base>;
  sc::result react(const sc::event_base& ev);
  const char* name() const override { return "rejected"; }
};

}  // namespace liufang::workflow::request
