#pragma once
// The meeting as a machine kind (StreamKind "meeting"): MeetingMachine, the meeting event
// table and the meetings / meeting_agenda / meeting_attendance / meeting_signatures /
// meeting_errata projection.
#include <memory>

#include "workflow/StreamKind.h"

namespace liufang::workflow {

// The meeting kind.
std::unique_ptr<StreamKind> makeMeetingKind();

// The meeting events `actor` may fire on `meeting` on `today` (StreamKind::allowed without a
// std::any): what the meeting pages offer.
std::vector<std::string> allowedMeetingEvents(const model::Meeting& meeting, const Actor& actor,
                                              const model::Date& today,
                                              const model::HolidayCalendar& calendar);

}  // namespace liufang::workflow
