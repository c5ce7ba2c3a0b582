#pragma once
// Who sees what on a desk: the lists each role works from, as item queries the store answers
// with one indexed SQL query each (never a C++ loop over a listed page). Shared by the desk
// page and, later, the supervision desk and exports, so the rules live here once.
//
//   representative of a party   positions  discussion items without that party's position
//                               handling   items in deadline that party leads or co-handles
//   convener                    proposals  proposals waiting for a meeting
//                               assignment decided items waiting to be assigned
//                               extensions items in deadline with an extension request
//   supervisor                  overdue    deadline.overdue
//                               due-soon   deadline.due_soon
//                               review     results waiting for review (followup)
// Every list stays within the user's community (all communities for a user tied to none).
#include <cstdint>
#include <string>
#include <vector>

#include "model/Store.h"
#include "model/Types.h"

namespace liufang::workflow {

// One list on a desk. heading is an English msgid; the page translates it.
struct DeskSection {
  std::string key;      // stable id: "positions", "handling", "proposals", ...
  std::string heading;  // e.g. "Overdue items"
  model::ItemQuery query;
};

// The lists `user` sees, in display order (representative, convener, supervisor); empty for a
// user with none of those roles. limit and countCap are ItemQuery's defaults: set them.
std::vector<DeskSection> deskSections(const model::User& user);

// A desk list as loaded: its first items and how many there are.
struct DeskList {
  DeskSection section;
  std::vector<model::Item> items;  // newest first, at most `limit`
  int64_t total = 0;               // all matches, but at most countCap + 1
  bool totalCapped = false;        // total > countCap: show "countCap+"
};

// Loads each of the user's lists: the first `limit` items and a count capped at countCap, so
// the cost stays the same however many items the database holds.
std::vector<DeskList> loadDesk(model::Store& store, const model::User& user, int limit,
                               int64_t countCap);

}  // namespace liufang::workflow
