#include "workflow/PartyNames.h"

namespace liufang::workflow {

PartyNameHistory::PartyNameHistory(std::vector<model::Party> roster,
                                   const std::vector<model::PartyName>& history)
    : roster_(std::move(roster)) {
  for (const auto& n : history) history_[n.code].push_back(n);
}

PartyNameHistory PartyNameHistory::load(model::Store& store, int64_t communityId) {
  return PartyNameHistory(store.parties(communityId), store.partyNames(communityId));
}

const model::Party* PartyNameHistory::party(const std::string& code) const {
  for (const auto& p : roster_)
    if (p.code == code) return &p;
  return nullptr;
}

const model::PartyName* PartyNameHistory::rowAt(const std::string& code,
                                                const std::string& instant) const {
  if (instant.empty()) return nullptr;
  auto it = history_.find(code);
  if (it == history_.end()) return nullptr;
  const model::PartyName* found = nullptr;
  for (const auto& n : it->second)
    if (n.effectiveFrom <= instant) found = &n;  // instants sort as text
  return found;
}

std::string PartyNameHistory::nameAt(const std::string& code, const std::string& instant) const {
  if (const auto* n = rowAt(code, instant)) return n->name;
  if (const auto* p = party(code)) return p->name;
  return code;
}

std::string PartyNameHistory::shortNameAt(const std::string& code,
                                          const std::string& instant) const {
  if (const auto* n = rowAt(code, instant)) return n->shortName.empty() ? n->name : n->shortName;
  if (const auto* p = party(code)) return p->shortName.empty() ? p->name : p->shortName;
  return code;
}

}  // namespace liufang::workflow
