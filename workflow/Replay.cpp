#include "workflow/Replay.h"

#include "model/Errors.h"
#include "workflow/Events.h"
#include "workflow/ItemMachine.h"

namespace liufang::workflow {
namespace {
struct Silent : MachineListener {
  void accepted(const std::string&, const std::string&) override {}
  void refused(const std::string&, const std::string&) override {}
};
}  // namespace

model::Item replayLog(const std::vector<model::EventRecord>& log, int64_t itemId,
                      int64_t communityId, int utcOffsetMinutes,
                      const model::HolidayCalendar& calendar) {
  if (log.empty() || log.front().type != "propose")
    throw StorageError("the log does not start with propose");
  const auto& first = log.front();
  const auto proposal = parsePayload(first.payload);
  // The logged community, when present, is the truth (older rows may lack it).
  if (proposal->has("community")) communityId = proposal->getValue<Poco::Int64>("community");
  model::Item item = itemFromProposal(*proposal, communityId, first.actorUser, first.at);
  item.id = itemId;
  item.version = 1;
  item.lastHash = first.hash;

  Silent silent;
  ItemMachine machine(item, silent, calendar);
  machine.restore();
  for (size_t i = 1; i < log.size(); ++i) {
    const auto& e = log[i];
    const auto payload = parsePayload(e.payload);
    const model::Date today = model::localDate(model::parseInstant(e.at), utcOffsetMinutes);
    if (machine.stateName() != e.fromState)
      throw StorageError("row says from '" + e.fromState + "' but the machine is in '" +
                         machine.stateName() + "'");
    item.state = processEvent(machine, e.type, *payload,
                              StepInput{e.type, e.at, today, e.actorParty, e.actorUser});
    if (item.state != e.toState)
      throw StorageError("row says to '" + e.toState + "' but the machine went to '" + item.state +
                         "'");
    item.version = e.seq;
    item.lastHash = e.hash;
    item.updatedAt = e.at;
  }
  return item;
}

}  // namespace liufang::workflow
