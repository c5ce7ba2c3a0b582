#pragma once
// What every statechart kind's machine and event table do alike (ItemMachine, MeetingMachine):
// the one exit for a refusal, one step with its outcome, the current state's name, and
// building a statechart event from a decoder.
#include <boost/intrusive_ptr.hpp>
#include <boost/statechart/result.hpp>
#include <string>

#include "model/Errors.h"
#include "workflow/EventTable.h"

namespace liufang::workflow {

// Refuses the event in state s: lastStep says why, the projection is untouched.
template <class State>
boost::statechart::result refuse(State& s, Msg why) {
  auto& m = s.outermost_context();
  m.lastStep.refused = true;
  m.lastStep.why = std::move(why);
  return s.discard_event();
}

// Processes one event on machine m with its inputs and records the outcome in m.lastStep.
template <class Machine>
void stepMachine(Machine& m, const StepInput& input, const boost::statechart::event_base& ev) {
  m.in = input;
  m.lastStep = StepOutcome{};
  m.lastStep.from = m.stateName();
  m.process_event(ev);
  m.lastStep.to = m.lastStep.refused ? m.lastStep.from : m.stateName();
}

// The name of m's innermost state (each state derives from Named, with name()).
template <class Named, class Machine>
std::string innermostStateName(const Machine& m) {
  if (m.terminated()) return "terminated";
  const auto* named = dynamic_cast<const Named*>(&*m.state_begin());
  return named ? named->name() : "unknown";
}

// A statechart event of type Ev, filled by fill(Ev&): what a table row's decoder returns.
template <class Ev, class F>
EventPtr makeEvent(F&& fill) {
  boost::intrusive_ptr<Ev> e = new Ev;
  fill(*e);
  return e;
}

}  // namespace liufang::workflow
