#pragma once
// Supervision's time rules outside the machine: the demo clock's start and the sweep as a
// command (`liufang sweep`, for cron, beside the server's timer in workflow/Background).
#include <optional>
#include <string>

#include "model/Clock.h"
#include "model/Store.h"

namespace liufang::workflow {

// "2026-12-15T09:00" (or with ":SS") read as community-local time at utcOffsetMinutes, or with a
// trailing "Z" as UTC; nullopt if malformed.
std::optional<model::Instant> parseDemoNow(const std::string& text, int utcOffsetMinutes = 480);

// What one sweep did.
struct SweepReport {
  int moved = 0;          // items whose light changed (one `tick` each, actor "system")
  double milliseconds = 0;
};

// Runs one deadline sweep (Engine::sweep) at the clock's now over the store and times it.
SweepReport runSweep(model::Store& store, const model::Clock& clock);

}  // namespace liufang::workflow
