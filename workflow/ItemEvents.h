#pragma once
// The item machine's event table: one row per DESIGN.md §2 event (workflow/EventTable.h), and
// the item's state labels. The machine (ItemMachine), the Engine, the web forms, the labels
// and the OpenAPI schemas all read this table.
#include <string>
#include <vector>

#include "model/Types.h"
#include "workflow/EventTable.h"

namespace liufang::workflow {

// Every item event, in lifecycle order (propose first).
const std::vector<EventDef<model::Item>>& itemEvents();
// The row of `name`, or nullptr.
const EventDef<model::Item>* findItemEvent(const std::string& name);

// Every state an item can be stored in (full names), in lifecycle order.
const std::vector<std::string>& itemStates();
// English msgids: the label of an event, of a state (full or top-level name).
std::string itemEventLabel(const std::string& event);
std::string itemStateLabel(const std::string& state);
// Why an item in `state` does not take `event` at all, with what it does take.
Msg itemStateRefusal(const std::string& state, const std::string& event);

// The codes and English msgids of the fixed choice lists.
const std::vector<std::string>& stanceCodes();
const std::vector<std::string>& ratingCodes();
std::string stanceLabel(const std::string& stance);
std::string ratingLabel(const std::string& rating);
std::string outcomeLabel(const std::string& outcome);

}  // namespace liufang::workflow
