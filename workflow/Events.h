#pragma once
// The event catalogue of DESIGN.md §2 — one name per event, shared by the engine, the log and
// the JSON API — and the conversion of a command's fields into a typed machine event.
#include <Poco/JSON/Object.h>

#include <boost/statechart/event_base.hpp>
#include <memory>
#include <string>
#include <vector>

#include "model/Calendar.h"
#include "model/Types.h"

namespace liufang::workflow {

struct ItemMachine;
struct StepInput;

// One row of the event table.
struct EventSpec {
  std::string name;
  std::string zh, en;             // labels people read
  std::vector<std::string> from;  // top-level states that accept it ("" for propose)
};

// Every event, in lifecycle order (propose first).
const std::vector<EventSpec>& eventSpecs();
// The spec of `name`, or nullptr.
const EventSpec* findEvent(const std::string& name);
// True if an item in `state` (full or top-level name) accepts `event` at all (before guards).
bool acceptedIn(const std::string& event, const std::string& state);

std::string eventLabelZh(const std::string& event);
std::string stateLabelZh(const std::string& state);  // top-level or full name
std::string stateLabelEn(const std::string& state);
// The refusal for an event the state does not take: {zh, en}.
std::pair<std::string, std::string> stateRefusal(const std::string& state,
                                                 const std::string& event);

// What normalisation needs besides the fields.
struct FieldContext {
  model::Date today;
  const model::HolidayCalendar* calendar = nullptr;
  std::string actorParty;
  std::string at;  // the event's instant
};

// Checks a command's fields against the table and returns the payload to log: known fields
// only, trimmed, defaults filled (a party field defaults to the actor's party; working_days
// becomes due). Throws liufang::Invalid naming the field.
Poco::JSON::Object::Ptr normalizeFields(const std::string& event, const Poco::JSON::Object& fields,
                                        const FieldContext& ctx);

// Builds the item a `propose` payload creates (state proposal, version 0).
model::Item itemFromProposal(const Poco::JSON::Object& payload, int64_t communityId, int64_t userId,
                             const std::string& at);

// Runs one logged event (type + normalised payload) through a running machine. Returns the
// state after it. Throws liufang::Refused with the machine's reason.
std::string processEvent(ItemMachine& machine, const std::string& type,
                         const Poco::JSON::Object& payload, const StepInput& in);

// Canonical text of a payload (sorted keys, no spaces): what the log stores and hashes.
std::string canonicalJson(const Poco::JSON::Object& payload);
// Parses a stored payload. Throws liufang::StorageError if it is not a JSON object.
Poco::JSON::Object::Ptr parsePayload(const std::string& text);

}  // namespace liufang::workflow
