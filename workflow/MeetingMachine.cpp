#include "workflow/MeetingMachine.h"

#include <algorithm>
#include <set>

#include "workflow/MachineSupport.h"
#include "workflow/MeetingEvents.h"

namespace liufang::workflow::meeting {
namespace {

using workflow::refuse;

template <class State>
sc::result notHere(State& s) {
  auto& m = s.outermost_context();
  return refuse(s, meetingStateRefusal(m.lastStep.from, m.in.type));
}

// Why an agenda cannot stand, or nullopt.
std::optional<Msg> badAgenda(const std::vector<int64_t>& agenda) {
  std::set<int64_t> seen;
  for (int64_t id : agenda)
    if (!seen.insert(id).second)
      return Msg("Item {1} is on the agenda twice.").arg(static_cast<long long>(id));
  return std::nullopt;
}

}  // namespace

void MeetingMachine::restore() {
  initiate();
  EvRestore ev;
  ev.state = meeting.state;
  in = StepInput{};
  in.type = "restore";
  process_event(ev);
  if (stateName() != meeting.state)
    throw StorageError("meeting " + std::to_string(meeting.id) + " has unknown state '" +
                       meeting.state + "'");
}

void MeetingMachine::step(const StepInput& input, const sc::event_base& ev) {
  stepMachine(*this, input, ev);
}

std::string MeetingMachine::stateName() const { return innermostStateName<MeetingState>(*this); }

void MeetingMachine::unconsumed_event(const sc::event_base&) {
  lastStep.refused = true;
  lastStep.why = Msg("The meeting is not in a state that can take \"{1}\".")
                     .label(meetingEventLabel(in.type));
}

sc::result Restoring::react(const EvRestore& ev) {
  const std::string& s = ev.state;
  if (s == "scheduled") return transit<Scheduled>();
  if (s == "in_session") return transit<InSession>();
  if (s == "adjourned") return transit<Adjourned>();
  if (s == "minutes_published") return transit<MinutesPublished>();
  if (s == "cancelled") return transit<Cancelled>();
  return discard_event();  // restore() reports the unknown state
}

// ---- transition actions
void MeetingMachine::cancel(const EvCancel& ev) { meeting.cancelReason = ev.reason; }
void MeetingMachine::adjourn(const EvAdjourn& ev) {
  meeting.adjournNote = ev.note;
  meeting.adjournedAt = in.at;
}
void MeetingMachine::publish(const EvPublishMinutes& ev) {
  meeting.preamble = ev.preamble;
  meeting.closing = ev.closing;
  meeting.minutes = ev.minutes;
  meeting.published = true;
  meeting.publishedAt = in.at;
}

// ---- Scheduled
sc::result Scheduled::react(const EvSetAgenda& ev) {
  if (auto why = badAgenda(ev.agenda)) return refuse(*this, *why);
  outermost_context().meeting.agenda = ev.agenda;
  return discard_event();
}
sc::result Scheduled::react(const EvOpen& ev) {
  auto& m = outermost_context();
  std::set<std::string> seen;
  for (const auto& a : ev.attendance)
    if (!seen.insert(a.party).second)
      return refuse(*this, Msg("Party \"{1}\" is listed twice in the attendance.").arg(a.party));
  m.meeting.attendance = ev.attendance;
  m.meeting.openedAt = m.in.at;
  return transit<InSession>();
}
sc::result Scheduled::react(const sc::event_base&) { return notHere(*this); }

// ---- InSession
sc::result InSession::react(const EvSetAgenda& ev) {
  if (auto why = badAgenda(ev.agenda)) return refuse(*this, *why);
  outermost_context().meeting.agenda = ev.agenda;
  return discard_event();
}
sc::result InSession::react(const EvMarkAttendance& ev) {
  auto& as = outermost_context().meeting.attendance;
  auto it = std::find_if(as.begin(), as.end(),
                         [&](const model::Attendance& a) { return a.party == ev.attendance.party; });
  if (it == as.end())
    as.push_back(ev.attendance);
  else
    *it = ev.attendance;  // a late arrival or an early leave; the log keeps the history
  return discard_event();
}
sc::result InSession::react(const sc::event_base&) { return notHere(*this); }

// ---- Adjourned
sc::result Adjourned::react(const sc::event_base&) { return notHere(*this); }

// ---- MinutesPublished
sc::result MinutesPublished::react(const EvAddErratum& ev) {
  auto& m = outermost_context();
  m.meeting.errata.push_back({ev.text, m.in.actorUser, m.in.at});
  return discard_event();
}
sc::result MinutesPublished::react(const EvSignMinutes& ev) {
  auto& m = outermost_context();
  if (!m.meeting.present(ev.party))
    return refuse(*this,
                  Msg("Party \"{1}\" was not present and does not sign the minutes.").arg(ev.party));
  for (const auto& s : m.meeting.signatures)
    if (s.party == ev.party)
      return refuse(*this, Msg("Party \"{1}\" has already signed the minutes.").arg(ev.party));
  m.meeting.signatures.push_back({ev.party, m.in.actorUser, m.in.at, ev.note});
  return discard_event();
}
sc::result MinutesPublished::react(const sc::event_base&) { return notHere(*this); }

// ---- Cancelled
sc::result Cancelled::react(const sc::event_base&) { return notHere(*this); }

}  // namespace liufang::workflow::meeting
