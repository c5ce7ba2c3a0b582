#pragma once
// The item as a machine kind (StreamKind "item"): ItemMachine, the item event table and the
// items / item_handlers / positions projection.
#include <memory>

#include "workflow/StreamKind.h"

namespace liufang::workflow {

// The item kind.
std::unique_ptr<StreamKind> makeItemKind();

// The item events `actor` may fire on `item` on `today` (StreamKind::allowed, without copying
// the item into a std::any).
std::vector<std::string> allowedItemEvents(const model::Item& item, const Actor& actor,
                                           const model::Date& today,
                                           const model::HolidayCalendar& calendar);

// Every machine kind liufang knows, the item first: what the Engine registers and what
// `liufang verify` checks. Adding a kind means adding it here.
std::vector<std::unique_ptr<StreamKind>> builtinKinds();

}  // namespace liufang::workflow
