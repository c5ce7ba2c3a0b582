#include "workflow/Desk.h"

namespace liufang::workflow {
namespace {

DeskSection section(const model::User& u, std::string key, std::string heading, std::string state) {
  DeskSection s;
  s.key = std::move(key);
  s.heading = std::move(heading);
  s.query.communityId = u.communityId;
  s.query.state = std::move(state);
  return s;
}

}  // namespace

std::vector<DeskSection> deskSections(const model::User& u) {
  std::vector<DeskSection> out;
  if (u.representative && !u.party.empty()) {
    auto positions =
        section(u, "positions", "Items in discussion waiting for our position", "discussion");
    positions.query.awaitingPositionOf = u.party;
    out.push_back(std::move(positions));
    auto handling = section(u, "handling", "Items our party leads or co-handles", "deadline");
    handling.query.handledBy = u.party;
    out.push_back(std::move(handling));
  }
  if (u.convener) {
    out.push_back(section(u, "proposals", "Proposals waiting for a meeting", "proposal"));
    out.push_back(section(u, "assignment", "Decided items waiting to be assigned", "assignment"));
    auto extensions = section(u, "extensions", "Extension requests to decide", "deadline");
    extensions.query.extensionPending = true;
    out.push_back(std::move(extensions));
  }
  if (u.supervisor) {
    out.push_back(section(u, "overdue", "Overdue items", "deadline.overdue"));
    out.push_back(section(u, "due-soon", "Items due soon", "deadline.due_soon"));
    out.push_back(section(u, "review", "Results waiting for review", "followup"));
  }
  return out;
}

std::vector<DeskList> loadDesk(model::Store& store, const model::User& user, int limit,
                               int64_t countCap) {
  std::vector<DeskList> out;
  for (auto& s : deskSections(user)) {
    DeskList list;
    list.section = std::move(s);
    list.section.query.limit = limit;
    list.section.query.countCap = countCap;
    list.items = store.listItems(list.section.query, &list.total);
    list.totalCapped = countCap > 0 && list.total > countCap;
    out.push_back(std::move(list));
  }
  return out;
}

}  // namespace liufang::workflow
