#pragma once
// The meeting machine's event table: one row per DESIGN.md §2b event (workflow/EventTable.h),
// and the meeting's state labels. MeetingMachine, the Engine, the web forms, the labels and
// the OpenAPI schemas (meetingEvent_<name>) all read this table.
#include <string>
#include <vector>

#include "model/Types.h"
#include "workflow/EventTable.h"

namespace liufang::workflow {

// Every meeting event, in lifecycle order (schedule first).
const std::vector<EventDef<model::Meeting>>& meetingEvents();
// Every state a meeting can be stored in, in lifecycle order.
const std::vector<std::string>& meetingStates();
// English msgids: the label of an event, of a state.
std::string meetingEventLabel(const std::string& event);
std::string meetingStateLabel(const std::string& state);
// Why a meeting in `state` does not take `event` at all, with what it does take.
Msg meetingStateRefusal(const std::string& state, const std::string& event);
// English msgids of the meeting kinds (regular, adhoc).
std::string meetingKindLabel(const std::string& kind);

}  // namespace liufang::workflow
