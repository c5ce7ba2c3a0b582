#pragma once
// The resident's request as a machine kind (StreamKind "request"): RequestMachine, the request
// event table and the requests / request_contacts projection (migration 008).
#include <memory>

#include "workflow/StreamKind.h"

namespace liufang::workflow {

std::unique_ptr<StreamKind> makeRequestKind();

// The request events `actor` may fire on `request` (state and role).
std::vector<std::string> allowedRequestEvents(const model::Request& request, const Actor& actor,
                                              const model::Date& today,
                                              const model::HolidayCalendar& calendar);

}  // namespace liufang::workflow
