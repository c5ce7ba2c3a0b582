#pragma once
// Who may fire what (DESIGN.md §2, "who may fire it"). Checked in the Engine, whatever the UI.
#include <string>

#include "model/Types.h"
#include "workflow/Engine.h"

namespace liufang::workflow {

// Throws liufang::Forbidden, with a reason, unless `actor` may fire `event` on `item`.
// For `propose`, item carries the community and proposerParty being proposed for.
void authorize(const std::string& event, const model::Item& item, const Actor& actor);

// The same verdict as a bool.
bool mayFire(const std::string& event, const model::Item& item, const Actor& actor);

}  // namespace liufang::workflow
