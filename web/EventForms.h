#pragma once
// The web face of the event tables (workflow/EventTable.h): forms are drawn from each event's
// fields, commands are read from forms and JSON bodies, labels are the tables' English msgids
// (translated through the catalogs). The Engine remains the judge of what is valid.
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "web/Http.h"
#include "workflow/Engine.h"
#include "workflow/ItemEvents.h"

namespace liufang::web {

// Item events a person can fire from a form, in table order (system events excluded).
std::vector<const workflow::EventInfo*> itemFormEvents();
// The item event `type` if a person can fire it from a form; nullptr otherwise.
const workflow::EventInfo* itemFormEvent(const std::string& type);

// A Command from a submitted form: every field but type and csrf, blank ones left out (so a
// missing required field reaches the Engine as missing), list fields as lists.
workflow::Command commandFromForm(const std::string& type, const FormFields& form);
// A Command from a JSON body {"type": NAME, ...fields}. Throws liufang::Invalid without a type.
workflow::Command commandFromJson(const Poco::JSON::Object::Ptr& body);

// English msgids for display; the input itself when it is unknown.
std::string stateLabel(const std::string& state);
std::string eventLabel(const std::string& type);
std::string fieldLabel(const std::string& field);
using workflow::outcomeLabel;
using workflow::ratingCodes;
using workflow::ratingLabel;
using workflow::stanceCodes;
using workflow::stanceLabel;
std::string lightLabel(const std::string& light);

const std::vector<std::string>& stateFilterCodes();  // what the item list can filter by

// Every msgid the labels above and the event tables can show (for the catalog test).
std::vector<std::string> labelMsgids();

// The OpenAPI document `doc` (JSON text) with eventSchemas() added to components/schemas and
// listed in EventCommand's oneOf / discriminator. Throws std::runtime_error on a bad document.
std::string openapiWithEvents(const std::string& doc,
                              const std::vector<const workflow::StreamKind*>& kinds);

// The OpenAPI schema of each event of every kind, as "components/schemas" entries named
// Event_<name> (machine kind "item") or <Kind>Event_<name>, built from the tables.
Poco::JSON::Object::Ptr eventSchemas(const std::vector<const workflow::StreamKind*>& kinds);

}  // namespace liufang::web
