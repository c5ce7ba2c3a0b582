#pragma once
// The demo's residents' requests: a few in each state (see Demo.cpp).
#include <map>
#include <string>

#include "model/Clock.h"
#include "model/Store.h"
#include "workflow/Engine.h"

namespace liufang::workflow {

// Adds requests to the demo community through the Engine: two waiting (one with a contact),
// one answered, one rejected as spam, one screened into a new proposal, and one screened into
// `existingItem` (an item being handled, so its progress shows on the tracking page). Sets the
// tracking-number prefix to TYJ. `who` holds the demo's actors by username ("shuji",
// "juweihui"); the clock is moved to days before `now`.
void addDemoRequests(model::Store& store, Engine& engine, model::ManualClock& clock,
                     model::Instant now, int64_t communityId,
                     const std::map<std::string, Actor>& who, int64_t existingItem);

// What a resident is: nobody signed in (the public form's actor).
Actor residentActor(const std::string& requestId = {});

}  // namespace liufang::workflow
