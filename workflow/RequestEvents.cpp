// The request's event table. Adding an event: its struct and reaction in RequestMachine, one
// row here, and the zh-CN text of its msgids in web/i18n/zh_CN.po.
#include "workflow/RequestEvents.h"

#include "workflow/RequestMachine.h"

namespace liufang::workflow {
namespace {

using Def = EventDef<model::Request>;
using K = FieldKind;
using Deny = std::optional<Msg>;

const std::vector<std::string> kReasons = {"spam", "abusive", "other"};
const std::vector<std::string> kReasonLabels = {"Spam", "Abusive", "Other"};

// The public reply every way out of Submitted carries.
FieldDef reply() { return {"reply", K::LongText, true, "Public reply", 2000}; }

Deny moderators(const Actor& a, const std::string& event) {
  if (mayModerateRequests(a)) return std::nullopt;
  return Msg("Only the convener or the residents' committee may \"{1}\".")
      .label(requestEventLabel(event));
}

template <class Ev, class F>
EventPtr make(F&& fill) {
  boost::intrusive_ptr<Ev> e = new Ev;
  fill(*e);
  return e;
}

std::vector<Def> buildTable() {
  std::vector<Def> t;
  // Each row as in ItemEvents.cpp: name, label, accepting states, fields, who.
  auto row = [&](std::string name, std::string label, std::vector<std::string> from,
                 std::vector<FieldDef> fields, std::string who) -> Def& {
    Def d;
    d.name = std::move(name), d.label = std::move(label), d.from = std::move(from);
    d.fields = std::move(fields), d.who = std::move(who);
    t.push_back(std::move(d));
    return t.back();
  };
  {
    // The contact is taken off the logged payload once stored (RequestKind's stamp): it is
    // personal data, kept apart and erasable, never in the hash chain.
    auto& d = row("submit", "Submit a request", {},
                  {{"title", K::Text, true, "Title", 100},
                   {"description", K::LongText, true, "Description", 2000},
                   {"location", K::Text, false, "Location", 200},
                   {"contact", K::Text, false, "Contact (seen by the convener only)", 200}},
                  "anyone, without signing in");
    d.deny = [](const model::Request&, const Actor&) -> Deny { return std::nullopt; };
  }
  {
    auto& d = row("screen", "Turn into a proposal", {"submitted"},
                  {{"item", K::ItemRef, true, "Item", 20}, reply()},
                  "the convener; a representative of the residents' committee");
    d.deny = [](const model::Request&, const Actor& a) { return moderators(a, "screen"); };
    d.decode = [](const Payload& p) {
      return make<request::EvScreen>(
          [&](request::EvScreen& e) { e.item = p.integer("item"), e.reply = p.str("reply"); });
    };
  }
  {
    auto& d = row("answer", "Answer publicly", {"submitted"}, {reply()},
                  "the convener; a representative of the residents' committee");
    d.deny = [](const model::Request&, const Actor& a) { return moderators(a, "answer"); };
    d.decode = [](const Payload& p) {
      return make<request::EvAnswer>([&](request::EvAnswer& e) { e.reply = p.str("reply"); });
    };
  }
  {
    auto& d = row(
        "reject", "Reject", {"submitted"},
        {{"reason", K::Choice, true, "Reason for rejecting", 20, kReasons, kReasonLabels}, reply()},
        "the convener; a representative of the residents' committee");
    d.deny = [](const model::Request&, const Actor& a) { return moderators(a, "reject"); };
    d.decode = [](const Payload& p) {
      return make<request::EvReject>(
          [&](request::EvReject& e) { e.reason = p.str("reason"), e.reply = p.str("reply"); });
    };
  }
  return t;
}

}  // namespace

const std::vector<EventDef<model::Request>>& requestEvents() {
  static const std::vector<Def> table = buildTable();
  return table;
}

const std::vector<std::string>& requestStates() {
  static const std::vector<std::string> s = {"submitted", "screened", "answered", "rejected"};
  return s;
}

std::string requestEventLabel(const std::string& event) {
  for (const auto& d : requestEvents())
    if (d.name == event) return d.label;
  return event;
}

std::string requestStateLabel(const std::string& state) {
  if (state == "submitted") return "Received, waiting to be screened";
  if (state == "screened") return "Taken up as a proposal";
  if (state == "answered") return "Answered";
  if (state == "rejected") return "Not accepted";
  return state;
}

const std::vector<std::string>& rejectReasonCodes() { return kReasons; }

std::string rejectReasonLabel(const std::string& reason) {
  for (size_t i = 0; i < kReasons.size(); ++i)
    if (kReasons[i] == reason) return kReasonLabels[i];
  return reason;
}

Msg requestStateRefusal(const std::string& state, const std::string& event) {
  if (state == "submitted")
    return Msg("A request waiting to be screened does not take \"{1}\".")
        .label(requestEventLabel(event));
  return Msg("The request has its public reply already (\"{1}\"); \"{2}\" is not possible.")
      .label(requestStateLabel(state))
      .label(requestEventLabel(event));
}

bool mayModerateRequests(const Actor& a) {
  return a.convener || (a.speaksForParty() && a.party == kResidentsCommitteeParty);
}

bool mayReadContacts(const Actor& a) { return a.convener; }

}  // namespace liufang::workflow
