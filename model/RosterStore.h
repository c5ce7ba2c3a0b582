#pragma once
// Rosters beyond one party at a time: a whole roster in one transaction (presets), edits of a
// party that keep its old names (party_names), and the name history reads. workflow::Directory
// is its one writer. Part of model::Store (Store.h).
#include <cstdint>
#include <string>
#include <vector>

#include "model/Types.h"

namespace liufang::model {

class RosterStore {
 public:
  virtual ~RosterStore() = default;

  // Adds every party of `parties` to the community in one transaction, filling their ids:
  // all or none. Throws Conflict (a code already on the roster), NotFound (community).
  virtual void addRoster(int64_t communityId, std::vector<Party>& parties) = 0;
  // Writes the party's name, short name, colour and order (by id). When the
  // name or short name changes, the history gains a row effective at `at` (and, on the first
  // rename, the old name from the beginning), in the same transaction. Throws NotFound.
  virtual void updateParty(const Party& p, const std::string& at) = 0;
  // The names the community's parties have had, by party id then effectiveFrom. A party never
  // renamed has no rows.
  virtual std::vector<PartyName> partyNames(int64_t communityId) = 0;
  // Stores one history row as given (import). Throws Conflict on a duplicate.
  virtual void addPartyName(const PartyName& n) = 0;
};

}  // namespace liufang::model
