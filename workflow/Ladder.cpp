#include "workflow/Ladder.h"

#include <algorithm>
#include <sstream>

#include "model/Errors.h"
#include "model/Store.h"
#include "workflow/ItemEvents.h"

namespace liufang::workflow {
namespace {

const char* defaultColour(const std::string& action) {
  if (action == "urge") return "#f5a623";
  if (action == "escalate") return "#d0021b";
  return "#8b0000";
}

bool isColour(const std::string& c) {
  if ((c.size() != 4 && c.size() != 7) || c[0] != '#') return false;
  return std::all_of(c.begin() + 1, c.end(), [](char ch) { return std::isxdigit(ch) != 0; });
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

const std::vector<model::LadderTier>& defaultLadder() {
  static const std::vector<model::LadderTier> tiers = {
      {1, "urge", "#f5a623"}, {5, "escalate", "#d0021b"}, {10, "report", "#8b0000"}};
  return tiers;
}

std::vector<model::LadderTier> parseLadder(const std::string& spec) {
  std::vector<model::LadderTier> out;
  std::stringstream in(spec);
  std::string part;
  while (std::getline(in, part, ',')) {
    part = trimmed(part);
    if (part.empty()) continue;
    std::vector<std::string> f;
    std::stringstream ps(part);
    std::string x;
    while (std::getline(ps, x, ':')) f.push_back(trimmed(x));
    model::LadderTier t;
    bool ok = f.size() == 2 || f.size() == 3;
    if (ok) {
      ok = !f[0].empty() && f[0].size() <= 3 &&
           f[0].find_first_not_of("0123456789") == std::string::npos;
      if (ok) t.days = std::stoi(f[0]);
      ok = ok && t.days >= 1 && t.days <= 365;
    }
    if (ok) {
      t.action = f[1];
      ok = t.action == "urge" || t.action == "escalate" || t.action == "report";
    }
    if (ok) {
      t.colour = f.size() == 3 ? f[2] : defaultColour(t.action);
      ok = isColour(t.colour);
    }
    if (!ok)
      throw Invalid(Msg("Bad ladder tier \"{1}\": write DAYS:ACTION:#COLOUR with 1 to 365 working "
                        "days, an action of urge, escalate or report, and a colour like #d0021b.")
                        .arg(part));
    for (const auto& o : out)
      if (o.days == t.days)
        throw Invalid(Msg("The ladder has two tiers at {1} working days.").arg(f[0]));
    out.push_back(t);
  }
  if (out.empty()) throw Invalid(Msg("A ladder needs at least one tier."));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.days < b.days; });
  return out;
}

std::string formatLadder(const std::vector<model::LadderTier>& tiers) {
  std::string out;
  for (const auto& t : tiers) {
    if (!out.empty()) out += ',';
    out += std::to_string(t.days) + ":" + t.action + ":" + t.colour;
  }
  return out;
}

std::string ladderActionLabel(const std::string& action) { return itemEventLabel(action); }

std::vector<model::LadderTier> ladderOf(model::Store& store, int64_t communityId) {
  auto own = store.ladder(communityId);
  return own.empty() ? defaultLadder() : own;
}

}  // namespace liufang::workflow
