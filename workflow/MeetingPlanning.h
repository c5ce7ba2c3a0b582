#pragma once
// Planning the next meeting: the proposed agenda (open proposals and carry-over) and regular
// meetings (例会) that schedule themselves from the community's rule, through the Engine.
#include <optional>
#include <string>
#include <vector>

#include "workflow/Engine.h"

namespace liufang::workflow {

// One item proposed for the next meeting's agenda.
struct AgendaProposal {
  model::Item item;
  // carried_over (left in discussion at a meeting), deferred (sent back at a meeting),
  // overdue (its deadline passed) or proposal (new, never on an agenda)
  std::string why;
  int meetingsOn = 0;  // meetings whose agenda has held it
};

// What the next meeting of community `communityId` should take up, carry-over first (the
// items on the most agendas first), then overdue items, then new proposals (oldest first).
// The convener orders, adds and removes with set_agenda.
std::vector<AgendaProposal> proposeAgenda(model::Store& store, int64_t communityId);

// Schedules the community's next regular meeting from its rule (Community::meetingRule): on
// the first date the rule names after the latest regular meeting's date (or after today), at
// the usual time and place, with the proposed agenda, as `actor` (a convener of the
// community). Returns the new meeting; nullopt when the community has no rule or a regular
// meeting is already scheduled. Throws as Engine::create.
std::optional<model::Meeting> scheduleNextRegular(Engine& engine, int64_t communityId,
                                                  const Actor& actor);

// Schedules the next regular meeting when a regular meeting is adjourned (subscribe it to the
// Engine). Failures are logged: the adjournment stands whatever happens here.
class RegularMeetingScheduler : public EngineObserver {
 public:
  explicit RegularMeetingScheduler(Engine& engine) : engine_(engine) {}
  void applied(const Applied& applied, const Actor& actor) override;

 private:
  Engine& engine_;
};

}  // namespace liufang::workflow
