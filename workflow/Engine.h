#pragma once
// workflow::Engine — the only writer of items. One command in, one transaction out:
//   BEGIN IMMEDIATE; load the item and its version; restore the machine at the stored state;
//   process the event (refused -> roll back, throw why); append the event row (hash-chained);
//   update the projection WHERE version = old; COMMIT.
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>
#include <vector>

#include "model/Calendar.h"
#include "model/Clock.h"
#include "model/Store.h"
#include "model/Types.h"

namespace liufang::workflow {

// Who is acting. Roles combine (the secretary is convener and speaks for 党委).
struct Actor {
  int64_t userId = 0;  // 0 for the system
  std::string username;
  int64_t communityId = 0;  // 0: every community (a district supervisor)
  std::string party;        // roster code the user speaks for; empty if none
  bool convener = false;
  bool representative = false;
  bool supervisor = false;
  bool system = false;
  std::string requestId;  // the HTTP request acting, for log context; empty elsewhere

  static Actor fromUser(const model::User& u);
  // The deadline sweep's identity: may fire `tick` only.
  static Actor systemActor();
};

// An event to apply: its DESIGN.md §2 name and its fields, as the JSON API receives them.
// Lenient on form input: booleans may be "true"/"1"/"on", `co` a list or a comma string.
struct Command {
  std::string type;
  Poco::JSON::Object::Ptr fields = new Poco::JSON::Object;

  Command() = default;
  explicit Command(std::string t) : type(std::move(t)) {}
  Command& set(const std::string& key, const Poco::Dynamic::Var& value) {
    fields->set(key, value);
    return *this;
  }
};

class Engine {
 public:
  // The store, clock and calendar must outlive the engine.
  Engine(model::Store& store, const model::Clock& clock,
         const model::HolidayCalendar& calendar = model::HolidayCalendar::china());

  // Creates an item in Proposal from a `propose` command (title, description, party).
  // Returns the stored item. Throws Invalid (missing field, unknown party), Forbidden,
  // NotFound (community).
  model::Item propose(int64_t communityId, const Command& cmd, const Actor& actor);

  // Applies one event to an item and returns the updated projection. On any throw nothing
  // was written. Throws NotFound (item), Invalid (unknown event, bad/missing field),
  // Refused (not allowed in this state, or a guard failed), Forbidden (role/party),
  // Conflict (another writer changed the item first).
  model::Item apply(int64_t itemId, const Command& cmd, const Actor& actor);

  // Event names this actor may fire on this item right now (state, role, party and the
  // simple guards): what the item page offers as forms.
  std::vector<std::string> allowedEvents(const model::Item& item, const Actor& actor) const;

  // Fires `tick` on every item in Deadline whose light is stale at the clock's now.
  // Returns how many items moved. Errors on one item are logged and skipped.
  int sweep();

  // green / yellow / red for an item in Deadline (from its stored sub-state), else "".
  static std::string light(const model::Item& item);
  // Working days from today (community-local) to the item's due date; negative if overdue.
  int workingDaysLeft(const model::Item& item) const;
  // Today's date in the item's community.
  model::Date today(int64_t communityId) const;

  model::Store& store() { return store_; }
  const model::Clock& clock() const { return clock_; }
  const model::HolidayCalendar& calendar() const { return calendar_; }

 private:
  int utcOffset(int64_t communityId) const;

  model::Store& store_;
  const model::Clock& clock_;
  const model::HolidayCalendar& calendar_;
};

}  // namespace liufang::workflow
