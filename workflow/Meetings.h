#pragma once
// The meeting read module: what the meeting pages, the live screen, the printed minutes and
// the JSON API show of a meeting (agenda with each item's positions, attendance, quorum, who
// has not spoken, minutes, signatures), and the meeting rules the item events consult
// (quorum, 先民主讨论、再集中决议). Reads go through model::Store; writes through the Engine.
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

#include "model/Calendar.h"
#include "model/Errors.h"
#include "model/Store.h"
#include "model/Types.h"

namespace liufang::workflow {

// Whether a meeting has its quorum under its community's rule (model::Community::quorumRule).
struct Quorum {
  bool met = false;
  int present = 0;  // parties present
  int roster = 0;   // parties on the roster
  int needed = 0;   // parties that must be present
  std::string conveningParty;  // roster code ("" if the roster is empty)
  bool conveningPresent = false;
  std::string rule;  // majority_and_convener | majority | two_thirds | all
  Msg why;           // why it is not met (English msgid; empty id when met)
};

// The quorum of `m` (its attendance) under `c`'s rule over `roster`.
Quorum quorumOf(const model::Community& c, const std::vector<model::Party>& roster,
                const model::Meeting& m);
// The convening party of a community: its setting, else the first party on the roster.
std::string conveningPartyOf(const model::Community& c, const std::vector<model::Party>& roster);
// The quorum rules (codes) a community may choose from.
const std::vector<std::string>& quorumRules();

// Parties present at `m` (roster order) that have no position on `item`.
std::vector<std::string> notSpoken(const model::Item& item, const model::Meeting& m,
                                   const std::vector<model::Party>& roster);

// One party's line in a meeting's attendance (every roster party, in roster order).
struct PartyAttendance {
  std::string party, name;
  std::string status;  // present | absent | excused | "" (not marked yet)
  std::string delegate;
};
// One item on the agenda, as it stands now.
struct AgendaEntry {
  model::Item item;
  std::vector<std::string> notSpoken;  // present parties without a position (codes)
  int meetingsOn = 0;                  // meetings whose agenda has held it, this one included
};
// One present party's sign-off of the minutes (signed or still missing).
struct SignatureLine {
  std::string party, name;
  bool isSigned = false;
  int64_t userId = 0;
  std::string at, note;
};
// Everything a meeting page shows.
struct MeetingView {
  model::Meeting meeting;
  model::Community community;
  std::vector<model::Party> roster;
  std::vector<PartyAttendance> attendance;
  std::vector<AgendaEntry> agenda;
  Quorum quorum;
  std::vector<SignatureLine> signatures;  // every party present, in roster order
  // The minutes model (see minutesModel): frozen from publish_minutes' logged payload once
  // published, else the draft built from the log now. Null for an upgraded old meeting whose
  // minutes were plain text (then legacyMinutes holds it).
  Poco::JSON::Object::Ptr minutes;
  bool minutesFrozen = false;
  std::string legacyMinutes;
};

// The meeting `id` as its pages show it; nullopt if there is none.
std::optional<MeetingView> meetingView(model::Store& store, int64_t id);

// The minutes (会议纪要) of `m` built from the event log, as data: every value a reader needs,
// party names as they are now (publish_minutes freezes them, so a later renaming does not
// change published minutes). Keys:
//   title, kind, date, time, place, convener (display name), preamble, closing,
//   attendance: [{party, name, status, delegate}],
//   items: [{id, title, proposer, proposer_name, outcome (resolved | deferred | dismissed |
//            discussed), positions: [{party, name, stance, reason, at}], decision,
//            tally: {party: stance}, reason (deferred), response (dismissed), lead, lead_name,
//            co: [{party, name}], standard, due, objection_addressed}]
// An item event belongs to the meeting when its payload names it ("meeting"), or, for events
// logged without one, when it happened while the meeting was in session.
Poco::JSON::Object::Ptr minutesModel(model::Store& store, const model::Meeting& m);

// ---- regular meetings (例会)
// The first date strictly after `after` that `rule` names ("weekly:<1-7>",
// "monthly:<1-5>:<1-7>", 5 = the last such weekday of the month); nullopt for "" or a
// malformed rule.
std::optional<model::Date> nextRegularDate(const std::string& rule, const model::Date& after);
// Whether `time` is HH:MM, 00:00 to 23:59.
bool validTime(const std::string& time);

}  // namespace liufang::workflow
