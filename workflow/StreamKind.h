#pragma once
// A machine kind: what the Engine, replay and `liufang verify` need of one kind of stream
// (the item, the meeting next). The Engine, the event log and the verifier are generic; a kind
// brings its statechart, its event table and its projection (see MachineKind.h, which
// implements this interface from a small traits struct).
#include <any>
#include <optional>
#include <string>
#include <vector>

#include "model/Calendar.h"
#include "model/Clock.h"
#include "model/Store.h"
#include "model/Types.h"
#include "workflow/Actor.h"
#include "workflow/EventTable.h"

namespace liufang::workflow {

// What one command did, as the Engine returns it and tells observers after COMMIT.
struct Applied {
  model::StreamRef stream;
  std::string from, to;                  // state before the command and after its last row
  std::vector<model::EventRecord> rows;  // the rows appended, in order (a command may add a
                                         // system row, e.g. the item's stale-light tick)
  std::any projection;                   // the new projection (model::Item for items)

  // The projection as P; throws std::bad_any_cast if it is another kind's.
  template <class P>
  const P& as() const {
    return std::any_cast<const P&>(projection);
  }
};

// What a kind's write step needs besides the command.
struct WriteContext {
  model::WriteTx& tx;
  model::Store& store;  // for references outside the stream (rosters, other streams)
  const model::HolidayCalendar& calendar;
  std::string at;  // the command's instant (formatInstant)
  model::Instant now;
};

class StreamKind {
 public:
  virtual ~StreamKind() = default;

  // The kind's name in stream refs and the log: "item", "meeting".
  virtual const std::string& name() const = 0;
  // The event table (creation event first), as the web, the API schema and tests read it.
  virtual std::vector<const EventInfo*> events() const = 0;
  // The row of `event`, or nullptr.
  const EventInfo* event(const std::string& event) const {
    for (const auto* e : events())
      if (e->name == event) return e;
    return nullptr;
  }
  // Every state a stream of this kind can be stored in (full names).
  virtual const std::vector<std::string>& states() const = 0;
  // The English msgid of a state (full or top-level name).
  virtual std::string stateLabel(const std::string& state) const = 0;

  // ---- the Engine's steps, inside its write transaction: check, run the machine, append the
  // rows and write the projection. Throw liufang::Error subtypes; nothing is committed here.
  virtual Applied create(WriteContext& w, int64_t communityId, const Command& cmd,
                         const Actor& actor) const = 0;
  virtual Applied apply(WriteContext& w, int64_t id, const Command& cmd,
                        const Actor& actor) const = 0;
  // Event names `actor` may fire on `projection` on `today` (state, role and offer-guards).
  virtual std::vector<std::string> allowed(const std::any& projection, const Actor& actor,
                                           const model::Date& today,
                                           const model::HolidayCalendar& calendar) const = 0;

  // ---- replay and verify
  // The ids of every stored projection of this kind, ascending.
  virtual std::vector<int64_t> ids(model::Store& store) const = 0;
  // The stored projection, if any.
  virtual std::optional<std::any> load(model::Store& store, int64_t id) const = 0;
  // Rebuilds the projection from its log through the same machine. The community logged in
  // the first row is the truth; communityId stands in for rows written before it was logged.
  // Throws StorageError (or Refused, if the machine refuses a logged event).
  virtual std::any replay(const std::vector<model::EventRecord>& log, int64_t id,
                          int64_t communityId, int utcOffsetMinutes,
                          const model::HolidayCalendar& calendar) const = 0;
  // The first field where two projections differ, or "".
  virtual std::string diff(const std::any& stored, const std::any& replayed) const = 0;
  // The community and state of a projection.
  virtual int64_t communityOf(const std::any& projection) const = 0;
  virtual std::string stateOf(const std::any& projection) const = 0;
};

}  // namespace liufang::workflow
