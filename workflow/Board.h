#pragma once
// The public board (公示): who may keep an item off it, and the one writer of that choice.
// What the board shows is read through model::ResidentStore::boardItems.
#include <string>

#include "model/Clock.h"
#include "model/Store.h"
#include "workflow/Actor.h"

namespace liufang::workflow {

// Keeps an item off its community's public board (hidden = true) or puts it back, with a
// reason, logged with who and when (board_visibility_log). The convener of the item's
// community only. Throws Forbidden, NotFound (item, or another community's), Invalid (no
// reason, or longer than 500 characters), Conflict (already so).
void setBoardVisibility(model::Store& store, const model::Clock& clock, int64_t itemId, bool hidden,
                        const std::string& reason, const Actor& actor);

}  // namespace liufang::workflow
