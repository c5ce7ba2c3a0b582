#pragma once
// One declaration per event. Each machine kind has one table of EventDef rows — name, label,
// accepting states, fields, who may fire it, the offer-guard and the decoder into the
// statechart event — and everything else is derived from it: field validation and
// normalisation (validateFields), permission checks, allowedEvents, the web forms, the labels
// and the OpenAPI event schemas. See docs/ARCHITECTURE.md, "Adding an event".
#include <Poco/JSON/Object.h>

#include <boost/intrusive_ptr.hpp>
#include <boost/statechart/event_base.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/Calendar.h"
#include "model/Errors.h"
#include "model/Store.h"
#include "workflow/Actor.h"
#include "workflow/Payload.h"

namespace liufang::workflow {

// How a field is read, checked and drawn.
enum class FieldKind {
  Text,        // one line of text
  LongText,    // a paragraph (a textarea on forms)
  Date,        // YYYY-MM-DD
  Count,       // a positive whole number
  Flag,        // a checkbox: missing means false
  YesNo,       // a required yes / no choice
  Choice,      // one of FieldDef::choices
  Party,       // a party code of the stream's community roster
  Parties,     // a list of party codes (a JSON array, or text separated by commas)
  ItemRef,     // an item id in the same community
  MeetingRef,  // a meeting id in the same community
  ItemRefs,    // an ordered list of item ids of the same community, each once (an agenda)
  Attendance,  // a list of {party, status: present/absent/excused, delegate?}, each party once
};

// The attendance statuses, and their English msgids in the same order.
const std::vector<std::string>& attendanceStatuses();
const std::vector<std::string>& attendanceStatusLabels();

// One field of an event.
struct FieldDef {
  FieldDef() = default;
  FieldDef(std::string name, FieldKind kind, bool required, std::string label,
           size_t maxChars = 5000, std::vector<std::string> choices = {},
           std::vector<std::string> choiceLabels = {})
      : name(std::move(name)),
        kind(kind),
        required(required),
        label(std::move(label)),
        maxChars(maxChars),
        choices(std::move(choices)),
        choiceLabels(std::move(choiceLabels)) {}

  std::string name;
  FieldKind kind = FieldKind::Text;
  bool required = false;
  std::string label;       // English msgid
  size_t maxChars = 5000;  // in characters (code points), for text kinds
  // Choice: the codes, and their English msgids in the same order.
  std::vector<std::string> choices;
  std::vector<std::string> choiceLabels;
  // False for fields the engine fills (a default party, tick's "now"): no form input.
  bool onForm = true;
  std::string help;  // English msgid shown under the form field; empty for none
};

// The facts besides the fields that validation and the offer-guards read.
struct FieldContext {
  model::Date today;  // community-local date at the event's instant
  const model::HolidayCalendar* calendar = nullptr;
  std::string actorParty;
  std::string at;  // the event's instant
};

// What the web, the API schema and the docs need to know of an event.
struct EventInfo {
  std::string name;
  std::string label;              // English msgid
  std::vector<std::string> from;  // top-level states that accept it; empty: it creates the stream
  std::vector<FieldDef> fields;
  std::string who;      // English, for the API schema: who may fire it
  bool system = false;  // fired by the system only (never offered as a form)
  // Fired by people and also by the system (the escalation ladder's urge and escalate).
  bool systemToo = false;

  // The field named `name`, or nullptr.
  const FieldDef* field(const std::string& name) const {
    for (const auto& f : fields)
      if (f.name == name) return &f;
    return nullptr;
  }
  // Whether a stream whose state (full or top-level) is `state` accepts it at all.
  bool acceptedIn(const std::string& state) const;
};

// The inputs of the event being processed that are not its fields.
struct StepInput {
  std::string type;   // event name, for refusal messages
  std::string at;     // instant (formatInstant)
  model::Date today;  // community-local date at `at`
  std::string actorParty;
  int64_t actorUser = 0;
};

// What one step of a machine did: accepted (from → to, equal for in-state reactions) or
// refused with why.
struct StepOutcome {
  std::string from, to;
  bool refused = false;
  Msg why;
};

using EventPtr = boost::intrusive_ptr<const boost::statechart::event_base>;

// One row of machine kind P's event table (P is the projection, e.g. model::Item).
template <class P>
struct EventDef : EventInfo {
  // Why `actor` may not fire this event on `p`; nullopt when they may.
  std::function<std::optional<Msg>(const P& p, const Actor& actor)> deny;
  // Whether a form is offered (guards that can be judged without firing); empty: always.
  std::function<bool(const P& p, const FieldContext& ctx)> offer;
  // Extra normalisation after the fields are checked (derived fields); empty: none.
  std::function<void(Poco::JSON::Object& payload, const FieldContext& ctx)> complete;
  // References outside the stream the field kinds do not cover (e.g. merging into a closed
  // item), and facts the payload records from them (the meeting an item event happens in, the
  // tally of a decision, the frozen minutes), so the log and its hash chain hold them and
  // replay needs no store. Throws a liufang::Error. Empty: none.
  std::function<void(const P& p, Poco::JSON::Object& payload, model::Store& store)> check;
  // The statechart event a normalised payload stands for.
  std::function<EventPtr(const Payload& payload)> decode;
};

// Appends a row to a kind's table under construction and returns it for the rest (deny,
// decode, ...). The reference stays valid until the next append: fill it in before that.
template <class P>
EventDef<P>& addEventRow(std::vector<EventDef<P>>& table, std::string name, std::string label,
                         std::vector<std::string> from, std::vector<FieldDef> fields,
                         std::string who) {
  EventDef<P> d;
  d.name = std::move(name);
  d.label = std::move(label);
  d.from = std::move(from);
  d.fields = std::move(fields);
  d.who = std::move(who);
  table.push_back(std::move(d));
  return table.back();
}

// Checks `in` against the event's fields and returns the payload to log: known fields only,
// trimmed, in canonical types; optional fields left out when blank. Text must be valid UTF-8
// without control characters other than tab and newline, and no longer than maxChars.
// Throws liufang::Invalid naming the field.
Poco::JSON::Object::Ptr validateFields(const EventInfo& event, const Poco::JSON::Object& in);

// A sample payload that passes validateFields for `event` (for tests and the API docs):
// `party` stands for any Party field, `parties` for Parties, `ref` for references.
Poco::JSON::Object::Ptr sampleFields(const EventInfo& event, const std::string& party,
                                     const std::vector<std::string>& parties, int64_t ref,
                                     const std::string& date);

}  // namespace liufang::workflow
