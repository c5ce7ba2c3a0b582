// user, community, party and meeting: thin wrappers over workflow::Directory, which holds the
// rules (codes, rosters, password policy); a refusal comes back as a liufang::Error whose
// English sentence main() prints.
#include <iomanip>
#include <iostream>
#include <string>

#include "cli/Commands.h"
#include "model/Errors.h"
#include "workflow/Directory.h"
#include "workflow/Ladder.h"
#include "workflow/Engine.h"

namespace liufang::cli {
namespace {

// The policy every password set from the command line must pass.
workflow::PasswordPolicy passwordPolicy() {
  return workflow::PasswordPolicy(workflow::PasswordPolicy::kDefaultMinChars);
}

std::string roles(const model::User& u) {
  return std::string(u.convener ? "convener " : "") + (u.representative ? "representative " : "") +
         (u.supervisor ? "supervisor " : "");
}

}  // namespace

int cmdUser(const Args& a) {
  auto store = openStore(a);
  workflow::Directory directory(*store, passwordPolicy());
  const std::string sub = a.positional.empty() ? "" : a.positional[0];
  if (sub == "list" && a.positional.size() == 1) {
    for (const auto& u : directory.users())
      std::cout << std::left << std::setw(14) << u.username << std::setw(12) << u.party << roles(u)
                << (u.disabled ? "(disabled)" : "") << "\n";
    return kExitOk;
  }
  if (a.positional.size() != 2) return usageError();
  const std::string name = a.positional[1];
  if (sub == "add") {
    workflow::NewUser nu;
    nu.username = name;
    nu.displayName = a.get("--name", name);
    nu.communityCode = a.get("--community");
    nu.party = a.get("--party");
    nu.convener = a.has("--convener");
    nu.representative = a.has("--representative");
    nu.supervisor = a.has("--supervisor");
    const model::User u = directory.addUser(nu, passwordFrom(a, "password: "));
    std::cout << "user " << name << " added (id " << u.id << ")\n";
    return kExitOk;
  }
  if (sub == "passwd") {
    directory.user(name);  // an unknown user is named before anyone types a password
    directory.setPassword(name, passwordFrom(a, "new password: "));
    std::cout << "password changed for " << name << "; their sessions are ended\n";
    return kExitOk;
  }
  if (sub == "disable") {
    directory.disableUser(name);
    std::cout << "user " << name << " disabled\n";
    return kExitOk;
  }
  return usageError();
}

int cmdCommunity(const Args& a) {
  if (!a.positional.empty() && a.positional[0] == "webhook") return cmdCommunityWebhook(a);
  auto store = openStore(a);
  workflow::Directory directory(*store);
  const std::string sub = a.positional.empty() ? "" : a.positional[0];
  if (sub == "list" && a.positional.size() == 1) {
    for (const auto& c : directory.communities())
      std::cout << std::left << std::setw(14) << c.code << std::setw(8) << c.utcOffsetMinutes
                << std::setw(4) << c.dueSoonDays << c.name << "\n";
    return kExitOk;
  }
  if (sub == "due-soon" && a.positional.size() == 3) {
    int days = 0;
    try {
      days = std::stoi(a.positional[2]);
    } catch (const std::exception&) {
      days = -1;  // refused below with the rule
    }
    const model::Community c = directory.setDueSoonDays(a.positional[1], days);
    std::cout << "community " << c.code << ": due soon at " << c.dueSoonDays
              << " working day(s) left; the next sweep relights its items\n";
    return kExitOk;
  }
  if (sub == "ladder" && (a.positional.size() == 2 || a.positional.size() == 3)) {
    const auto tiers = a.positional.size() == 3
                           ? directory.setLadder(a.positional[1], a.positional[2])
                           : workflow::ladderOf(*store, directory.community(a.positional[1]).id);
    std::cout << "community " << a.positional[1] << ": ladder " << workflow::formatLadder(tiers)
              << " (working days overdue:action:colour)\n";
    return kExitOk;
  }
  if (sub == "add" && a.positional.size() == 3) {
    int offset = 0;
    try {
      offset = std::stoi(a.get("--utc-offset", "480"));
    } catch (const std::exception&) {
      throw Invalid(
          Msg("--utc-offset takes minutes east of UTC, e.g. 480 for Asia/Shanghai, not '{1}'.")
              .arg(a.get("--utc-offset")));
    }
    const model::Community c =
        a.has("--preset") ? directory.addCommunityFromPreset(a.positional[1], a.positional[2],
                                                             a.get("--preset"), offset)
                          : directory.addCommunity(a.positional[1], a.positional[2], offset);
    std::cout << "community " << c.code << " added (id " << c.id << ")";
    if (a.has("--preset"))
      std::cout << " with " << directory.roster(c.code).size() << " parties from "
                << a.get("--preset");
    std::cout << "\n";
    return kExitOk;
  }
  return usageError();
}

int cmdParty(const Args& a) {
  if (a.positional.size() < 2) return usageError();
  auto store = openStore(a);
  workflow::Directory directory(*store);
  const std::string& sub = a.positional[0];
  const std::string& community = a.positional[1];
  if (sub == "list" && a.positional.size() == 2) {
    for (const auto& p : directory.roster(community))
      std::cout << std::left << std::setw(14) << p.code << p.name << "\n";
    return kExitOk;
  }
  if (sub == "add" && a.positional.size() == 4) {
    const model::Party p = directory.addParty(community, a.positional[2], a.positional[3]);
    std::cout << "party " << p.code << " added to " << community << "\n";
    return kExitOk;
  }
  return usageError();
}

int cmdMeeting(const Args& a) {
  if (a.positional.size() < 2) return usageError();
  auto store = openStore(a);
  workflow::Directory directory(*store);
  const std::string& sub = a.positional[0];
  const std::string& community = a.positional[1];
  if (sub == "list" && a.positional.size() == 2) {
    for (const auto& m : directory.meetings(community))
      std::cout << std::right << std::setw(5) << m.id << "  " << std::left << std::setw(12)
                << m.date << std::setw(8) << m.kind << m.title << "\n";
    return kExitOk;
  }
  if (sub == "add" && a.positional.size() == 3) {
    // Through the Engine, like every meeting: the command line acts as the community's
    // convener (user 0 in the log).
    const model::Community c = directory.community(community);
    model::SystemClock clock;
    workflow::Engine engine(*store, clock);
    workflow::Actor admin;
    admin.username = "cli";
    admin.convener = true;
    admin.communityId = c.id;
    workflow::Command cmd("schedule");
    cmd.set("title", a.positional[2]).set("date", a.get("--date"));
    cmd.set("kind", a.has("--adhoc") ? "adhoc" : "regular");
    if (a.has("--location")) cmd.set("place", a.get("--location"));
    const auto m = engine.create("meeting", c.id, cmd, admin).as<model::Meeting>();
    std::cout << "meeting " << m.id << " scheduled on " << m.date << "\n";
    return kExitOk;
  }
  return usageError();
}

}  // namespace liufang::cli
