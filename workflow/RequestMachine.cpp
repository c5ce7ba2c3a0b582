#include "workflow/RequestMachine.h"

#include "workflow/RequestEvents.h"

namespace liufang::workflow::request {
namespace {

template <class State>
sc::result notHere(State& s) {
  auto& m = s.outermost_context();
  m.lastStep.refused = true;
  m.lastStep.why = requestStateRefusal(m.lastStep.from, m.in.type);
  return s.discard_event();
}

void replied(RequestMachine& m, const std::string& reply) {
  m.request.reply = reply;
  m.request.repliedAt = m.in.at;
}

}  // namespace

void RequestMachine::restore() {
  initiate();
  EvRestore ev;
  ev.state = request.state;
  in = StepInput{};
  in.type = "restore";
  process_event(ev);
  if (stateName() != request.state)
    throw StorageError("request " + std::to_string(request.id) + " has unknown state '" +
                       request.state + "'");
}

void RequestMachine::step(const StepInput& input, const sc::event_base& ev) {
  in = input;
  lastStep = StepOutcome{};
  lastStep.from = stateName();
  process_event(ev);
  lastStep.to = lastStep.refused ? lastStep.from : stateName();
}

std::string RequestMachine::stateName() const {
  if (terminated()) return "terminated";
  const auto* named = dynamic_cast<const NamedState*>(&*state_begin());
  return named ? named->name() : "unknown";
}

void RequestMachine::unconsumed_event(const sc::event_base&) {
  lastStep.refused = true;
  lastStep.why = requestStateRefusal(lastStep.from, in.type);
}

void RequestMachine::screen(const EvScreen& ev) {
  request.itemId = ev.item;
  replied(*this, ev.reply);
}
void RequestMachine::answer(const EvAnswer& ev) { replied(*this, ev.reply); }
void RequestMachine::reject(const EvReject& ev) {
  request.rejectReason = ev.reason;
  replied(*this, ev.reply);
}

sc::result Restoring::react(const EvRestore& ev) {
  if (ev.state == "submitted") return transit<Submitted>();
  if (ev.state == "screened") return transit<Screened>();
  if (ev.state == "answered") return transit<Answered>();
  if (ev.state == "rejected") return transit<Rejected>();
  return discard_event();  // restore() reports the unknown state
}

sc::result Submitted::react(const sc::event_base&) { return notHere(*this); }
sc::result Screened::react(const sc::event_base&) { return notHere(*this); }
sc::result Answered::react(const sc::event_base&) { return notHere(*this); }
sc::result Rejected::react(const sc::event_base&) { return notHere(*this); }

}  // namespace liufang::workflow::request
