#pragma once
// The fields of each event (DESIGN.md §2) as the web layer shows and reads them, and the
// English labels of states, events, fields and choices (translated through the catalogs).
// The Engine remains the judge of what is valid; these specs only draw forms and convert input.
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "web/Http.h"
#include "workflow/Engine.h"

namespace liufang::web {

enum class FieldKind { Text, Textarea, Date, Number, Select, Checkboxes, YesNo, Checkbox };

struct FieldSpec {
  std::string name;
  FieldKind kind;
  bool required;
  // Where a Select/Checkboxes field gets its options: "parties", "stances", "ratings",
  // "meetings"; empty for free input.
  std::string choices;
};

struct EventSpec {
  std::string type;
  std::vector<FieldSpec> fields;
};

// Every event a person can fire from a form, in DESIGN.md order (tick is the system's only).
const std::vector<EventSpec>& eventSpecs();
// The spec of one event; nullptr if there is none.
const EventSpec* eventSpec(const std::string& type);

// A Command from a submitted form: every field but type and csrf, blank ones left out (so a
// missing required field reaches the Engine as missing), `co` as a list.
workflow::Command commandFromForm(const std::string& type, const FormFields& form);
// A Command from a JSON body {"type": NAME, ...fields}. Throws liufang::Invalid without a type.
workflow::Command commandFromJson(const Poco::JSON::Object::Ptr& body);

// English msgids for display; the input itself when it is unknown.
std::string stateLabel(const std::string& state);
std::string eventLabel(const std::string& type);
std::string fieldLabel(const std::string& field);
std::string stanceLabel(const std::string& stance);
std::string ratingLabel(const std::string& rating);
std::string outcomeLabel(const std::string& outcome);
std::string lightLabel(const std::string& light);

// The codes of the fixed choice lists.
const std::vector<std::string>& stanceCodes();
const std::vector<std::string>& ratingCodes();
const std::vector<std::string>& stateFilterCodes();  // what the item list can filter by

// Every msgid the functions above can return (for the catalog completeness test).
std::vector<std::string> labelMsgids();

}  // namespace liufang::web
