#pragma once
// workflow::Directory — the one writer of communities, rosters, users and meeting records,
// holding their rules once: codes are unique and looked up by code, a representative's party is
// on their community's roster, passwords pass the PasswordPolicy, and changing a password ends
// the user's sessions. The command line, the demo and the web admin pages all write through it;
// items stay the Engine's.
#include <string>
#include <vector>

#include "model/Store.h"
#include "model/Types.h"
#include "workflow/PasswordPolicy.h"

namespace liufang::workflow {

// A user to create. Roles combine; a non-empty party makes the user its representative.
struct NewUser {
  std::string username;
  std::string displayName;    // empty: the username
  std::string communityCode;  // empty: not tied to one community (a district supervisor)
  std::string party;          // roster code of the party they speak for; empty if none
  bool convener = false;
  bool representative = false;
  bool supervisor = false;
};

// A community's meeting settings as the convener's form sends them (Directory::setMeetingSettings).
struct MeetingSettings {
  std::string quorumRule, conveningParty;           // see setQuorumRule
  std::string meetingRule, meetingTime, meetingPlace;  // see setMeetingRule
  bool resolveOutsideMeeting = true;
};

class Directory {
 public:
  // store must outlive the directory.
  explicit Directory(model::Store& store, PasswordPolicy policy = PasswordPolicy());

  // ---- communities
  // Adds a community. code: 1-32 of [a-z0-9_-] (it appears in URLs); utcOffsetMinutes within
  // -720..840. Returns the stored community. Throws Invalid (code, name, offset), Conflict
  // (the code is taken).
  model::Community addCommunity(const std::string& code, const std::string& name,
                                int utcOffsetMinutes = 480);
  // The community with this code. Throws NotFound.
  model::Community community(const std::string& code);
  std::vector<model::Community> communities();
  // Sets how many working days before its due date a community's item turns yellow (1..20);
  // the next sweep relights its items. Throws NotFound (community), Invalid (days).
  model::Community setDueSoonDays(const std::string& communityCode, int days);
  // Sets a community's escalation ladder from "DAYS:ACTION:#COLOUR,..." (workflow/Ladder.h), or
  // back to the default with "default". Returns the ladder now in force.
  std::vector<model::LadderTier> setLadder(const std::string& communityCode,
                                           const std::string& spec);

  // ---- rosters
  // Appends a party to the community's roster (its order is the order of adding). code as for
  // communities. Throws NotFound (community), Invalid, Conflict (code already on the roster).
  model::Party addParty(const std::string& communityCode, const std::string& code,
                        const std::string& name);
  // The community's roster in order. Throws NotFound (community).
  std::vector<model::Party> roster(const std::string& communityCode);

  // ---- roster presets and party attributes (workflow/RosterPresets.h)
  // Appends a party with its attributes (code, name, shortName, colour); its order
  // is last. Throws as addParty, and Invalid for a colour that is not #rrggbb.
  model::Party addParty(const std::string& communityCode, const model::Party& party);
  // Fills the empty roster of a community from the preset, in one transaction. Returns the
  // roster. Throws NotFound (community, preset), Conflict (the roster is not empty).
  std::vector<model::Party> applyPreset(const std::string& communityCode,
                                        const std::string& presetCode);
  // A new community with its roster from the preset. Throws as addCommunity and applyPreset;
  // checks the preset before writing anything.
  model::Community addCommunityFromPreset(const std::string& code, const std::string& name,
                                          const std::string& presetCode,
                                          int utcOffsetMinutes = 480);
  // Sets a roster party's name, short name, colour and order (party.code names
  // it). A new name takes effect at `at` (an instant); events before it keep the old one.
  // Returns the stored party. Throws NotFound (community, party), Invalid (blank name, colour).
  model::Party updateParty(const std::string& communityCode, const model::Party& party,
                           const std::string& at);
  // The community's users (conveners, representatives), by id. Throws NotFound (community).
  std::vector<model::User> communityUsers(const std::string& communityCode);
  // Enables a disabled account again (its password is unchanged). Throws NotFound.
  void enableUser(const std::string& username);
  // A random password the policy accepts for username: 16 letters and digits in four groups
  // ("k7Qm-x2Rp-..."), for a convener to hand over once. Writes nothing.
  std::string generatePassword(const std::string& username) const;

  // ---- users
  // Creates a user with a password. Throws Invalid (username, roles without a community, a
  // representative without a party, the password policy), NotFound (community), Conflict
  // (username taken).
  model::User addUser(const NewUser& user, const std::string& password);
  // Creates several users sharing one initial password, hashed once (Argon2id is slow on
  // purpose): the demo's accounts. Checks every user before writing any. Throws as addUser.
  std::vector<model::User> addUsers(const std::vector<NewUser>& users, const std::string& password);
  // Sets a new password, clears the login throttle and ends every session of the user, so a
  // reset locks out whoever had the old one. Throws NotFound, Invalid (policy).
  void setPassword(const std::string& username, const std::string& password);
  // Disables the account and ends its sessions. Throws NotFound.
  void disableUser(const std::string& username);
  // The user with this name. Throws NotFound.
  model::User user(const std::string& username);
  std::vector<model::User> users();

  // ---- meetings: the Engine writes them (kind "meeting"); the settings below are the rules
  // the meeting and the items consult.
  // The community's meetings, newest first. Throws NotFound (community).
  std::vector<model::Meeting> meetings(const std::string& communityCode);
  // Sets the quorum rule (one of quorumRules(): majority_and_convener, majority, two_thirds,
  // all) and the convening party (a roster code; "" = the first party on the roster). Returns
  // the updated community. Throws NotFound (community), Invalid (rule, party not on roster).
  model::Community setQuorumRule(const std::string& communityCode, const std::string& rule,
                                 const std::string& conveningParty);
  // Sets how regular meetings (例会) recur: "" (they do not), "weekly:<1-7>" (ISO weekday,
  // 1 = Monday) or "monthly:<1-5>:<1-7>" (the Nth weekday of the month, 5 = the last), with
  // the usual time (HH:MM or "") and place. Throws NotFound, Invalid.
  model::Community setMeetingRule(const std::string& communityCode, const std::string& rule,
                                  const std::string& time, const std::string& place);
  // Whether an item may be resolved while no meeting with it on the agenda is in session.
  model::Community setResolveOutsideMeeting(const std::string& communityCode, bool allowed);
  // The three above at once (the /community form): every value checked first, then one
  // write, so a refused value changes nothing. Throws NotFound, Invalid.
  model::Community setMeetingSettings(const std::string& communityCode,
                                      const MeetingSettings& settings);

  const PasswordPolicy& passwordPolicy() const { return policy_; }

 private:
  void checkQuorumRule(const model::Community& c, const std::string& rule,
                       const std::string& conveningParty);
  static void checkMeetingRule(const std::string& rule, const std::string& time);
  // The user as stored, after every rule but the password's; communityId resolved.
  model::User checkedUser(const NewUser& user);

  model::Store& store_;
  PasswordPolicy policy_;
};

}  // namespace liufang::workflow
