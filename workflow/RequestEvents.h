#pragma once
// The request machine's event table (workflow/EventTable.h): submit, screen, answer, reject,
// and the request's state labels. RequestMachine, the Engine, the web pages and the OpenAPI
// schemas (requestEvent_<name>) read it.
#include <string>
#include <vector>

#include "model/Residents.h"
#include "workflow/Actor.h"
#include "workflow/EventTable.h"

namespace liufang::workflow {

// The party code of the residents' committee (居委会), whose representatives screen and answer
// requests beside the convener.
inline const char* kResidentsCommitteeParty = "juweihui";

// Every request event, submit first.
const std::vector<EventDef<model::Request>>& requestEvents();
// Every state a request can be stored in.
const std::vector<std::string>& requestStates();
// English msgids of an event, a state, a rejection reason.
std::string requestEventLabel(const std::string& event);
std::string requestStateLabel(const std::string& state);
std::string rejectReasonLabel(const std::string& reason);
const std::vector<std::string>& rejectReasonCodes();
// Why a request in `state` does not take `event`.
Msg requestStateRefusal(const std::string& state, const std::string& event);
// Whether `actor` may screen, answer and reject requests (and read their contacts: the
// convener only, see mayReadContacts).
bool mayModerateRequests(const Actor& actor);
bool mayReadContacts(const Actor& actor);

}  // namespace liufang::workflow
