#include "workflow/RequestKind.h"

#include "workflow/MachineKind.h"
#include "workflow/RequestEvents.h"
#include "workflow/RequestMachine.h"

namespace liufang::workflow {
namespace {

struct RequestTraits {
  using Projection = model::Request;
  using Machine = request::RequestMachine;

  static const std::string& kind() {
    static const std::string k = "request";
    return k;
  }
  static const std::vector<EventDef<model::Request>>& table() { return requestEvents(); }
  static const std::vector<std::string>& states() { return requestStates(); }
  static std::string stateLabel(const std::string& s) { return requestStateLabel(s); }
  static Msg notAccepted(const std::string& state, const std::string& event) {
    return requestStateRefusal(state, event);
  }
  static Msg notFound() { return "No such request."; }

  // At submission the payload has no number yet (insert allocates it, stamp logs it); in a
  // replay it has the logged number and no contact.
  static model::Request fromCreation(const Poco::JSON::Object& payload, int64_t communityId,
                                     int64_t, const std::string& at) {
    Payload p(payload);
    model::Request r;
    r.communityId = communityId;
    r.number = p.str("number");
    r.title = p.str("title");
    r.description = p.str("description");
    r.location = p.str("location");
    r.contact = p.str("contact");
    r.createdAt = at;
    r.updatedAt = at;
    return r;
  }

  static std::optional<model::Request> load(model::WriteTx& tx, int64_t id, int* offset) {
    return tx.loadRequest(id, offset);
  }
  // The tracking number's year is the community's local year at submission.
  static void insert(model::WriteTx& tx, model::Request& r) {
    const auto offset = tx.utcOffsetOf(r.communityId);
    const int year = model::localDate(model::parseInstant(r.createdAt), offset ? *offset : 0).year;
    tx.insertRequest(r, year);
  }
  // What the creation row logs besides the fields: the number (so the chain covers it), and
  // not the contact (personal data stays in request_contacts, out of the append-only log).
  static void stamp(const model::Request& r, Poco::JSON::Object& payload) {
    payload.set("number", r.number);
    payload.remove("contact");
  }
  static void save(model::WriteTx& tx, const model::Request& before, const model::Request& after) {
    tx.updateRequest(after, before.version);
  }
  static std::string followUp(const model::Request&, Machine&, const std::string&,
                              const model::Date&) {
    return {};
  }
  static std::vector<int64_t> ids(model::Store& store) { return store.requestIds(); }
  static std::optional<model::Request> loadStored(model::Store& store, int64_t id) {
    return store.findRequest(id);
  }

  // The contact is not compared: it lives outside the log by design.
  static std::string diff(const model::Request& s, const model::Request& r) {
#define LIUFANG_CMP(field) \
  if (s.field != r.field) return #field;
    LIUFANG_CMP(communityId)
    LIUFANG_CMP(number)
    LIUFANG_CMP(title)
    LIUFANG_CMP(description)
    LIUFANG_CMP(location)
    LIUFANG_CMP(state)
    LIUFANG_CMP(reply)
    LIUFANG_CMP(rejectReason)
    LIUFANG_CMP(itemId)
    LIUFANG_CMP(createdAt)
    LIUFANG_CMP(updatedAt)
    LIUFANG_CMP(repliedAt)
    LIUFANG_CMP(version)
    LIUFANG_CMP(lastHash)
#undef LIUFANG_CMP
    return "";
  }
};

}  // namespace

std::unique_ptr<StreamKind> makeRequestKind() {
  return std::make_unique<MachineKind<RequestTraits>>();
}

std::vector<std::string> allowedRequestEvents(const model::Request& request, const Actor& actor,
                                              const model::Date& today,
                                              const model::HolidayCalendar& calendar) {
  return MachineKind<RequestTraits>::allowedOn(request, actor, today, calendar);
}

}  // namespace liufang::workflow
