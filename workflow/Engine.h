#pragma once
// workflow::Engine — the only writer. It runs machines, not items: every record with a
// lifecycle is a stream of events of one machine kind (StreamKind; the item is the first).
// One command in, one transaction out:
//   BEGIN IMMEDIATE; load the stream's projection and its version; check the event (state,
//   permission, fields, references); restore the machine at the stored state and process the
//   event (refused -> roll back, throw why); append the event row(s), hash-chained; update the
//   projection WHERE version = old; COMMIT; then tell the observers what was applied.
#include <memory>
#include <mutex>
#include <utility>
#include <string>
#include <vector>

#include "model/Calendar.h"
#include "model/Clock.h"
#include "model/Store.h"
#include "model/Types.h"
#include "workflow/Actor.h"
#include "workflow/StreamKind.h"

namespace liufang::workflow {

// Hears every applied command after its COMMIT (never before, never for a rolled-back one).
// This is where the inbox and outgoing webhooks subscribe (Engine::subscribe). Observers run
// on the writer's thread after the write slot is released: keep them short, and hand slow work
// (an HTTP delivery) to a background task. An exception from an observer is logged and dropped:
// the command has been applied whatever an observer does.
class EngineObserver {
 public:
  virtual ~EngineObserver() = default;
  virtual void applied(const Applied& applied, const Actor& actor) = 0;
};

class Engine {
 public:
  // The store, clock and calendar must outlive the engine. builtinKinds() are registered.
  Engine(model::Store& store, const model::Clock& clock,
         const model::HolidayCalendar& calendar = model::HolidayCalendar::china());

  // Registers another machine kind (its name must be new).
  void addKind(std::unique_ptr<StreamKind> kind);
  // The kind named `name`; throws NotFound.
  const StreamKind& kind(const std::string& name) const;
  // Every registered kind, the item first.
  std::vector<const StreamKind*> kinds() const;

  // Adds an observer (not owned; must outlive the engine or be removed first).
  void subscribe(EngineObserver* observer);
  void unsubscribe(EngineObserver* observer);

  // Creates a stream of `kind` in a community from its creation command (the item's
  // `propose`). Returns what was applied. Throws Invalid, Forbidden, NotFound (community).
  Applied create(const std::string& kind, int64_t communityId, const Command& cmd,
                 const Actor& actor);

  // Applies one event to a stream and returns what it applied. On any throw nothing was
  // written. Throws NotFound (stream), Invalid (unknown event, bad/missing field),
  // Refused (not allowed in this state, or a guard failed), Forbidden (role/party),
  // Conflict (another writer changed the stream first).
  Applied apply(const model::StreamRef& stream, const Command& cmd, const Actor& actor);

  // Creates a stream of `createKind` and applies `cmd` to `stream` with the new stream's id in
  // the field `linkField`, in ONE transaction: both are written or neither (a resident's
  // request screened into a new item: `propose` + the request's `screen` with `item`).
  // Returns both. Throws as create and apply do; on any throw nothing was written.
  std::pair<Applied, Applied> createThenApply(const std::string& createKind, int64_t communityId,
                                              const Command& create,
                                              const model::StreamRef& stream, Command cmd,
                                              const std::string& linkField, const Actor& actor);

  // ---- items (the first kind), for callers that know they hold one
  // create("item", ...) returning the new item.
  model::Item propose(int64_t communityId, const Command& cmd, const Actor& actor);
  // apply({"item", itemId}, ...) returning the updated item.
  model::Item apply(int64_t itemId, const Command& cmd, const Actor& actor);
  // Event names this actor may fire on this item right now (state, role, party and the
  // offer-guards): what the item page offers as forms. `today` is the community-local date.
  std::vector<std::string> allowedEvents(const model::Item& item, const Actor& actor,
                                         const model::Date& today) const;
  // The same, reading today's date from the item's community.
  std::vector<std::string> allowedEvents(const model::Item& item, const Actor& actor) const;

  // Fires `tick` on every item in Deadline whose light is stale at the clock's now.
  // Returns how many items moved. Errors on one item are logged and skipped. Then fires the
  // escalation ladder (fireLadder); ladderFired, if given, receives how many events it fired.
  int sweep(int* ladderFired = nullptr);
  // Fires, as the system, every tier of each community's escalation ladder (workflow/Ladder.h)
  // an overdue item has reached and not yet had for its due date, lowest first: `urge`,
  // `escalate` or `report` with the tier's days in `tier`. Returns how many events it fired.
  int fireLadder();

  // green / yellow / red for an item in Deadline (from its stored sub-state), else "".
  static std::string light(const model::Item& item);
  // Working days from today (community-local) to the item's due date; negative if overdue.
  int workingDaysLeft(const model::Item& item) const;
  int workingDaysLeft(const model::Item& item, const model::Date& today) const;
  // Today's date in the community.
  model::Date today(int64_t communityId) const;

  model::Store& store() { return store_; }
  const model::Clock& clock() const { return clock_; }
  const model::HolidayCalendar& calendar() const { return calendar_; }

 private:
  // Runs `step` in one write transaction, commits, logs and notifies.
  template <class Step>
  Applied write(const std::string& kind, const Command& cmd, const Actor& actor, Step&& step);
  // Logs an applied command and tells the observers (after COMMIT).
  void notify(const Applied& applied, const Command& cmd, const Actor& actor);

  model::Store& store_;
  const model::Clock& clock_;
  const model::HolidayCalendar& calendar_;
  std::vector<std::unique_ptr<StreamKind>> kinds_;
  mutable std::mutex observersMutex_;
  std::vector<EngineObserver*> observers_;
};

}  // namespace liufang::workflow
