#include "workflow/ItemKind.h"

#include <map>

#include "workflow/ItemEvents.h"
#include "workflow/ItemMachine.h"
#include "workflow/MachineKind.h"
#include "workflow/RequestKind.h"
#include "workflow/MeetingKind.h"

namespace liufang::workflow {
namespace {

bool sameHandlers(const std::vector<model::Handler>& a, const std::vector<model::Handler>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.party == y.party && x.lead == y.lead && x.done == y.done;
  });
}

bool samePositions(const std::vector<model::Position>& a, const std::vector<model::Position>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.party == y.party && x.stance == y.stance && x.reason == y.reason && x.at == y.at &&
           x.userId == y.userId;
  });
}

struct ItemTraits {
  using Projection = model::Item;
  using Machine = ItemMachine;

  static const std::string& kind() {
    static const std::string k = "item";
    return k;
  }
  static const std::vector<EventDef<model::Item>>& table() { return itemEvents(); }
  static const std::vector<std::string>& states() { return itemStates(); }
  static std::string stateLabel(const std::string& s) { return itemStateLabel(s); }
  static Msg notAccepted(const std::string& state, const std::string& event) {
    return itemStateRefusal(state, event);
  }
  static Msg notFound() { return "No such item."; }

  static model::Item fromCreation(const Poco::JSON::Object& payload, int64_t communityId,
                                  int64_t actorUser, const std::string& at) {
    Payload p(payload);
    model::Item item;
    item.communityId = communityId;
    item.title = p.str("title");
    item.description = p.str("description");
    item.proposerParty = p.str("party");
    item.proposerUser = actorUser;
    item.state = "proposal";
    item.createdAt = at;
    item.updatedAt = at;
    return item;
  }

  static std::optional<model::Item> load(model::WriteTx& tx, int64_t id, int* offset) {
    return tx.loadItem(id, offset);
  }
  static void insert(model::WriteTx& tx, model::Item& item) { tx.insertItem(item); }
  static void save(model::WriteTx& tx, const model::Item& before, const model::Item& after) {
    tx.updateItem(after, before.version, !sameHandlers(before.handlers, after.handlers),
                  !samePositions(before.positions, after.positions));
  }

  // The inbox (docs/ARCHITECTURE.md "Inbox"): the handling parties hear of the assignment, the
  // lead party of what concerns its deadline, supervisors of a report.
  static model::NoticeTo notices(const model::Item& after, const model::EventRecord& row) {
    model::NoticeTo to;
    const std::string& t = row.type;
    const bool lead = t == "urge" || t == "escalate" || t == "report" ||
                      t == "return_for_rework" || t == "decide_extension" ||
                      (t == "tick" && row.fromState != row.toState &&
                       (row.toState == "deadline.due_soon" || row.toState == "deadline.overdue"));
    for (const auto& h : after.handlers)
      if (t == "assign" || (lead && h.lead)) to.parties.push_back(h.party);
    to.supervisors = t == "report";
    return to;
  }

  // An event that sets a due date (entering Deadline, an approved extension) may leave a light
  // the new date does not call for. Time passing, and a community's own "due soon" setting, are
  // the sweep's: a follow-up tick on other events would undo that setting on every report.
  static std::string followUp(const model::Item& item, ItemMachine& machine,
                              const std::string& type, const model::Date& today) {
    const bool setsDue =
        type == "assign" || type == "decide_extension" || type == "return_for_rework";
    if (setsDue && item.topState() == "deadline" &&
        item.state != "deadline." + machine.deadlineLight(today))
      return "tick";
    return {};
  }

  static std::vector<int64_t> ids(model::Store& store) { return store.itemIds(); }
  static std::optional<model::Item> loadStored(model::Store& store, int64_t id) {
    return store.findItem(id);
  }

  static std::string diff(const model::Item& s, const model::Item& r) {
    auto handlers = [](const model::Item& i) {
      std::string out;
      for (const auto& h : i.handlers)
        out += h.party + (h.lead ? "*" : "") + (h.done ? "+" : "") + ",";
      return out;
    };
    auto positions = [](const model::Item& i) {
      std::map<std::string, std::string> out;
      for (const auto& p : i.positions)
        out[p.party] = p.stance + "|" + p.reason + "|" + p.at + "|" + std::to_string(p.userId);
      return out;
    };
#define LIUFANG_CMP(field) \
  if (s.field != r.field) return #field;
    LIUFANG_CMP(communityId)
    LIUFANG_CMP(title)
    LIUFANG_CMP(description)
    LIUFANG_CMP(proposerParty)
    LIUFANG_CMP(proposerUser)
    LIUFANG_CMP(state)
    LIUFANG_CMP(outcome)
    LIUFANG_CMP(response)
    LIUFANG_CMP(decision)
    LIUFANG_CMP(standard)
    LIUFANG_CMP(due)
    LIUFANG_CMP(extensionDue)
    LIUFANG_CMP(extensionReason)
    LIUFANG_CMP(result)
    LIUFANG_CMP(rating)
    LIUFANG_CMP(ratingComment)
    LIUFANG_CMP(urgeCount)
    LIUFANG_CMP(escalated)
    LIUFANG_CMP(ladderTier)
    LIUFANG_CMP(reworkCount)
    LIUFANG_CMP(meetingId)
    LIUFANG_CMP(mergedInto)
    LIUFANG_CMP(createdAt)
    LIUFANG_CMP(updatedAt)
    LIUFANG_CMP(assignedAt)
    LIUFANG_CMP(submittedAt)
    LIUFANG_CMP(closedAt)
    LIUFANG_CMP(version)
    LIUFANG_CMP(lastHash)
#undef LIUFANG_CMP
    if (handlers(s) != handlers(r)) return "handlers";
    if (positions(s) != positions(r)) return "positions";
    return "";
  }
};

}  // namespace

std::vector<std::string> allowedItemEvents(const model::Item& item, const Actor& actor,
                                           const model::Date& today,
                                           const model::HolidayCalendar& calendar) {
  return MachineKind<ItemTraits>::allowedOn(item, actor, today, calendar);
}

std::unique_ptr<StreamKind> makeItemKind() { return std::make_unique<MachineKind<ItemTraits>>(); }

std::vector<std::unique_ptr<StreamKind>> builtinKinds() {
  std::vector<std::unique_ptr<StreamKind>> out;
  out.push_back(makeItemKind());
  out.push_back(makeRequestKind());
  out.push_back(makeMeetingKind());
  return out;
}

}  // namespace liufang::workflow
