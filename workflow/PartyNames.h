#pragma once
// A community's party names as they were at any instant: renaming a party keeps its old name
// for the events and minutes written before (party_names, migration 005). Pages read it once
// per request and ask nameAt(code, event.at).
#include <map>
#include <string>
#include <vector>

#include "model/Store.h"
#include "model/Types.h"

namespace liufang::workflow {

class PartyNameHistory {
 public:
  // roster: the parties as they are now; history: their rows from party_names.
  PartyNameHistory(std::vector<model::Party> roster, const std::vector<model::PartyName>& history);
  // The community's roster and history, read in two queries.
  static PartyNameHistory load(model::Store& store, int64_t communityId);

  // The party's name at `instant` (formatInstant text; "" = now): the newest history row at or
  // before it, else the current name; the code itself for a party not on the roster.
  std::string nameAt(const std::string& code, const std::string& instant) const;
  // The same for the short name, falling back to the name when the party has none.
  std::string shortNameAt(const std::string& code, const std::string& instant) const;
  // The party as it is now, or nullptr.
  const model::Party* party(const std::string& code) const;
  const std::vector<model::Party>& roster() const { return roster_; }

 private:
  const model::PartyName* rowAt(const std::string& code, const std::string& instant) const;

  std::vector<model::Party> roster_;
  std::map<std::string, std::vector<model::PartyName>> history_;  // by code, oldest first
};

}  // namespace liufang::workflow
