#include "workflow/Directory.h"

#include <algorithm>
#include <cctype>

#include "model/Calendar.h"
#include "model/Errors.h"
#include "model/Password.h"
#include "workflow/Ladder.h"
#include "workflow/RosterPresets.h"
#include "workflow/Meetings.h"

namespace liufang::workflow {
namespace {

// Codes appear in URLs (/board/{community}) and in commands, so they stay plain.
bool isCode(const std::string& code) {
  return !code.empty() && code.size() <= 32 && std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

void requireCode(const std::string& code) {
  if (!isCode(code))
    throw Invalid(
        Msg("'{1}' is not a valid code: use 1 to 32 lower-case letters, digits, '-' or '_'.")
            .arg(code));
}

bool isBlank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

// A badge colour: empty (the default) or #rrggbb. Stored lower-case.
std::string checkedColour(std::string colour) {
  if (colour.empty()) return colour;
  const bool ok = colour.size() == 7 && colour[0] == '#' &&
                  std::all_of(colour.begin() + 1, colour.end(),
                              [](unsigned char c) { return std::isxdigit(c) != 0; });
  if (!ok) throw Invalid(Msg("'{1}' is not a colour: write #rrggbb, e.g. #b3261e.").arg(colour));
  std::transform(colour.begin(), colour.end(), colour.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return colour;
}

const RosterPreset& preset(const std::string& code) {
  const RosterPreset* p = findRosterPreset(code);
  if (!p) {
    std::string known;
    for (const auto& r : rosterPresets()) known += (known.empty() ? "" : ", ") + r.code;
    throw NotFound(Msg("There is no roster preset '{1}' (known: {2}).").arg(code).arg(known));
  }
  return *p;
}

}  // namespace

Directory::Directory(model::Store& store, PasswordPolicy policy) : store_(store), policy_(policy) {}

model::Community Directory::addCommunity(const std::string& code, const std::string& name,
                                         int utcOffsetMinutes) {
  requireCode(code);
  if (isBlank(name)) throw Invalid(Msg("A community needs a name."));
  if (utcOffsetMinutes < -720 || utcOffsetMinutes > 840)
    throw Invalid(Msg("A UTC offset is between -720 and 840 minutes, not {1}.")
                      .arg(static_cast<long long>(utcOffsetMinutes)));
  for (const auto& c : store_.communities())
    if (c.code == code)
      throw Conflict(Msg("A community with code '{1}' already exists.").arg(code));
  model::Community c;
  c.code = code;
  c.name = name;
  c.utcOffsetMinutes = utcOffsetMinutes;
  store_.addCommunity(c);
  return c;
}

model::Community Directory::community(const std::string& code) {
  for (const auto& c : store_.communities())
    if (c.code == code) return c;
  throw NotFound(Msg("There is no community with code '{1}'.").arg(code));
}

std::vector<model::Community> Directory::communities() { return store_.communities(); }

model::Community Directory::setDueSoonDays(const std::string& communityCode, int days) {
  if (days < 1 || days > 20)
    throw Invalid(Msg("\"Due soon\" is 1 to 20 working days, not {1}.").arg(
        static_cast<long long>(days)));
  model::Community c = community(communityCode);
  store_.setDueSoonDays(c.id, days);
  c.dueSoonDays = days;
  return c;
}

std::vector<model::LadderTier> Directory::setLadder(const std::string& communityCode,
                                                   const std::string& spec) {
  const model::Community c = community(communityCode);
  store_.setLadder(c.id, spec == "default" ? std::vector<model::LadderTier>() : parseLadder(spec));
  return ladderOf(store_, c.id);
}

model::Party Directory::addParty(const std::string& communityCode, const std::string& code,
                                 const std::string& name) {
  model::Party p;
  p.code = code;
  p.name = name;
  return addParty(communityCode, p);
}

model::Party Directory::addParty(const std::string& communityCode, const model::Party& party) {
  const model::Community c = community(communityCode);
  requireCode(party.code);
  if (isBlank(party.name)) throw Invalid(Msg("A party needs a name."));
  const auto parties = store_.parties(c.id);
  for (const auto& p : parties)
    if (p.code == party.code)
      throw Conflict(Msg("'{1}' is already on the roster of {2}.").arg(party.code).arg(c.code));
  model::Party p = party;
  p.id = 0;
  p.communityId = c.id;
  p.colour = checkedColour(p.colour);
  int last = 0;
  for (const auto& q : parties) last = std::max(last, q.sortOrder);
  p.sortOrder = last + 1;
  store_.addParty(p);
  return p;
}

std::vector<model::Party> Directory::applyPreset(const std::string& communityCode,
                                                 const std::string& presetCode) {
  const model::Community c = community(communityCode);
  const RosterPreset& r = preset(presetCode);
  if (!store_.parties(c.id).empty())
    throw Conflict(Msg("The roster of {1} is not empty: a preset fills an empty roster only.")
                       .arg(c.code));
  std::vector<model::Party> parties;
  for (const auto& pp : r.parties) {
    model::Party p;
    p.code = pp.code;
    p.name = pp.name;
    p.shortName = pp.shortName;
    p.colour = pp.colour;
    p.sortOrder = static_cast<int>(parties.size()) + 1;
    parties.push_back(p);
  }
  store_.addRoster(c.id, parties);
  return parties;
}

model::Community Directory::addCommunityFromPreset(const std::string& code,
                                                   const std::string& name,
                                                   const std::string& presetCode,
                                                   int utcOffsetMinutes) {
  preset(presetCode);  // before anything is written
  model::Community c = addCommunity(code, name, utcOffsetMinutes);
  applyPreset(c.code, presetCode);
  return c;
}

model::Party Directory::updateParty(const std::string& communityCode, const model::Party& party,
                                    const std::string& at) {
  const model::Community c = community(communityCode);
  for (auto p : store_.parties(c.id)) {
    if (p.code != party.code) continue;
    if (isBlank(party.name)) throw Invalid(Msg("A party needs a name."));
    p.name = party.name;
    p.shortName = party.shortName;
    p.colour = checkedColour(party.colour);
    p.sortOrder = party.sortOrder;
    store_.updateParty(p, at);
    return p;
  }
  throw NotFound(Msg("'{1}' is not on the roster of {2}.").arg(party.code).arg(c.code));
}

std::vector<model::User> Directory::communityUsers(const std::string& communityCode) {
  const model::Community c = community(communityCode);
  std::vector<model::User> out;
  for (auto& u : store_.users())
    if (u.communityId == c.id) out.push_back(std::move(u));
  return out;
}

std::string Directory::generatePassword(const std::string& username) const {
  // No 0/O, 1/l/I: it is read aloud or copied from a screen.
  static const std::string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  for (int attempt = 0;; ++attempt) {
    const std::string bytes = model::randomToken(16);  // hex: 2 characters a byte
    std::string out;
    for (size_t i = 0; i < 16; ++i) {
      if (i > 0 && i % 4 == 0) out += '-';
      const int v = std::stoi(bytes.substr(2 * i, 2), nullptr, 16);
      out += alphabet[static_cast<size_t>(v) % alphabet.size()];
    }
    try {
      policy_.check(out, username);
      return out;
    } catch (const Invalid&) {
      if (attempt >= 20) throw;  // a policy no random password meets: say so, never loop
    }
  }
}

void Directory::enableUser(const std::string& username) {
  model::User u = user(username);
  u.disabled = false;
  store_.updateUser(u);
  store_.clearLoginFailures(u.id);
}

std::vector<model::Party> Directory::roster(const std::string& communityCode) {
  return store_.parties(community(communityCode).id);
}

model::User Directory::checkedUser(const NewUser& nu) {
  if (nu.username.empty() || nu.username.size() > 64 ||
      std::any_of(nu.username.begin(), nu.username.end(),
                  [](unsigned char c) { return std::isspace(c) != 0 || std::iscntrl(c) != 0; }))
    throw Invalid(
        Msg("'{1}' is not a valid user name: 1 to 64 characters, no spaces.").arg(nu.username));
  if (store_.findUserByName(nu.username))
    throw Conflict(Msg("The user name '{1}' is taken.").arg(nu.username));
  model::User u;
  u.username = nu.username;
  u.displayName = isBlank(nu.displayName) ? nu.username : nu.displayName;
  u.party = nu.party;
  u.convener = nu.convener;
  u.representative = nu.representative || !nu.party.empty();
  u.supervisor = nu.supervisor;
  if (!nu.communityCode.empty()) u.communityId = community(nu.communityCode).id;
  if ((u.convener || u.representative) && u.communityId == 0)
    throw Invalid(Msg("A convener or representative belongs to a community."));
  if (u.representative && u.party.empty())
    throw Invalid(Msg("A representative speaks for a party: name one."));
  if (!u.party.empty()) {
    const auto parties = store_.parties(u.communityId);
    if (std::none_of(parties.begin(), parties.end(),
                     [&](const model::Party& p) { return p.code == u.party; }))
      throw Invalid(Msg("'{1}' is not on the roster of {2}.").arg(u.party).arg(nu.communityCode));
  }
  return u;
}

model::User Directory::addUser(const NewUser& user, const std::string& password) {
  return addUsers({user}, password).front();
}

std::vector<model::User> Directory::addUsers(const std::vector<NewUser>& users,
                                             const std::string& password) {
  std::vector<model::User> out;
  for (const auto& nu : users) {
    out.push_back(checkedUser(nu));
    policy_.check(password, nu.username);
  }
  const std::string hash = model::hashPassword(password);
  for (auto& u : out) {
    u.passwordHash = hash;
    store_.addUser(u);
  }
  return out;
}

void Directory::setPassword(const std::string& username, const std::string& password) {
  model::User u = user(username);
  policy_.check(password, username);
  u.passwordHash = model::hashPassword(password);
  store_.updateUser(u);
  store_.clearLoginFailures(u.id);
  store_.deleteSessionsOfUser(u.id);
}

void Directory::disableUser(const std::string& username) {
  model::User u = user(username);
  u.disabled = true;
  store_.updateUser(u);
  store_.deleteSessionsOfUser(u.id);
}

model::User Directory::user(const std::string& username) {
  auto u = store_.findUserByName(username);
  if (!u) throw NotFound(Msg("There is no user '{1}'.").arg(username));
  return *u;
}

std::vector<model::User> Directory::users() { return store_.users(); }

void Directory::checkQuorumRule(const model::Community& c, const std::string& rule,
                                const std::string& conveningParty) {
  const auto& rules = quorumRules();
  if (std::find(rules.begin(), rules.end(), rule) == rules.end())
    throw Invalid(Msg("'{1}' is not a quorum rule.").arg(rule));
  if (!conveningParty.empty()) {
    const auto parties = store_.parties(c.id);
    if (std::none_of(parties.begin(), parties.end(),
                     [&](const model::Party& p) { return p.code == conveningParty; }))
      throw Invalid(Msg("'{1}' is not on the roster of {2}.").arg(conveningParty).arg(c.code));
  }
}

void Directory::checkMeetingRule(const std::string& rule, const std::string& time) {
  if (!rule.empty() && !nextRegularDate(rule, model::Date{2026, 1, 1}))
    throw Invalid(Msg("'{1}' is not a meeting rule (weekly:<1-7> or monthly:<1-5>:<1-7>).")
                      .arg(rule));
  if (!time.empty() && !validTime(time)) throw Invalid(Msg("'{1}' is not a time (HH:MM).").arg(time));
}

model::Community Directory::setQuorumRule(const std::string& communityCode,
                                         const std::string& rule,
                                         const std::string& conveningParty) {
  model::Community c = community(communityCode);
  checkQuorumRule(c, rule, conveningParty);
  c.quorumRule = rule;
  c.conveningParty = conveningParty;
  store_.updateCommunitySettings(c);
  return c;
}

model::Community Directory::setMeetingRule(const std::string& communityCode,
                                          const std::string& rule, const std::string& time,
                                          const std::string& place) {
  model::Community c = community(communityCode);
  checkMeetingRule(rule, time);
  c.meetingRule = rule;
  c.meetingTime = time;
  c.meetingPlace = place;
  store_.updateCommunitySettings(c);
  return c;
}

model::Community Directory::setResolveOutsideMeeting(const std::string& communityCode,
                                                    bool allowed) {
  model::Community c = community(communityCode);
  c.resolveOutsideMeeting = allowed;
  store_.updateCommunitySettings(c);
  return c;
}

model::Community Directory::setMeetingSettings(const std::string& communityCode,
                                              const MeetingSettings& s) {
  model::Community c = community(communityCode);
  // Everything is checked before anything is written: a bad time keeps the old quorum too.
  checkQuorumRule(c, s.quorumRule, s.conveningParty);
  checkMeetingRule(s.meetingRule, s.meetingTime);
  c.quorumRule = s.quorumRule;
  c.conveningParty = s.conveningParty;
  c.meetingRule = s.meetingRule;
  c.meetingTime = s.meetingTime;
  c.meetingPlace = s.meetingPlace;
  c.resolveOutsideMeeting = s.resolveOutsideMeeting;
  store_.updateCommunitySettings(c);
  return c;
}

std::vector<model::Meeting> Directory::meetings(const std::string& communityCode) {
  return store_.meetings(community(communityCode).id);
}

}  // namespace liufang::workflow
