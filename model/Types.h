#pragma once
// Domain records as stored. Plain structs: no behaviour, no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace liufang::model {

// A community (社区) and its settings. Dates people see are at utcOffsetMinutes.
// One tier of a community's escalation ladder (migration 009): at `days` working days
// overdue the sweep fires `action` (urge | escalate | report) as the system; `colour` is how
// the item page shows it.
struct LadderTier {
  int days = 0;
  std::string action;
  std::string colour;
};

struct Community {
  int64_t id = 0;
  std::string code;  // short stable handle, e.g. "taoyuanju"
  std::string name;  // e.g. "桃源居社区"
  std::string timeZone = "Asia/Shanghai";
  int utcOffsetMinutes = 480;
  // Meeting settings (migration 004; workflow::Directory sets them, see workflow/Meetings.h).
  std::string quorumRule = "majority_and_convener";  // | majority | two_thirds | all
  std::string conveningParty;                         // roster code; empty: the roster's first
  std::string meetingRule;  // "" | "weekly:<1-7>" | "monthly:<1-5>:<1-7>" (5 = last)
  std::string meetingTime;  // HH:MM default for regular meetings
  std::string meetingPlace;
  bool resolveOutsideMeeting = true;
  int dueSoonDays = 2;  // working days left at which an item turns yellow (migration 006)
};

// One party on a community's roster (六方, 三方, ... — configuration, never hard-coded).
struct Party {
  int64_t id = 0;
  int64_t communityId = 0;
  std::string code;  // e.g. "wuye"; unique within the community
  std::string name;  // e.g. "物业公司"
  int sortOrder = 0;
  std::string shortName;   // e.g. "物业"; empty: the name
  std::string colour;     // badge colour "#rrggbb"; empty: the default grey
};

// One of the names a party has had (party_names): from effectiveFrom (an instant, "" = always)
// until the next row's, the party was called name.
struct PartyName {
  int64_t partyId = 0;
  std::string code;
  std::string effectiveFrom;
  std::string name;
  std::string shortName;
};

// A person who signs in. Roles combine: the secretary is convener and speaks for 党委.
struct User {
  int64_t id = 0;
  std::string username;
  std::string displayName;
  int64_t communityId = 0;  // 0: not tied to one community (a district supervisor)
  std::string party;        // roster code of the party they represent; empty if none
  bool convener = false;
  bool representative = false;
  bool supervisor = false;
  bool disabled = false;
  std::string passwordHash;  // libsodium crypto_pwhash_str output; empty = cannot log in
  std::string locale = "zh_CN";
};

// One party's attendance at a meeting: present (possibly through a delegate), absent or
// excused.
struct Attendance {
  std::string party;
  std::string status;    // present | absent | excused
  std::string delegate;  // the person who came for the party, if named
};
// A party's confirmation (会签) of published minutes.
struct Signature {
  std::string party;
  int64_t userId = 0;
  std::string at;  // instant
  std::string note;
};
// A correction appended to published minutes (the minutes themselves never change).
struct Erratum {
  std::string text;
  int64_t userId = 0;
  std::string at;  // instant
};
// The meeting projection (例会 regular / 临时 ad hoc), kept current by the Engine from the
// meeting's event log (DESIGN.md §2b). state is one of: scheduled, in_session, adjourned,
// minutes_published, cancelled.
struct Meeting {
  int64_t id = 0;
  int64_t communityId = 0;
  std::string title;
  std::string kind = "regular";  // regular | adhoc
  std::string date;              // YYYY-MM-DD, community-local
  std::string location;          // the `place` field of `schedule`
  std::string minutes;           // 会议纪要 text, frozen by publish_minutes
  bool published = false;        // state == minutes_published (kept for old readers)
  std::string time;              // HH:MM, community-local; empty if not given
  std::string state = "scheduled";
  std::string preamble, closing;  // of the published minutes
  std::string adjournNote;
  std::string cancelReason;
  int64_t convenerUser = 0;  // who scheduled it (0: the system, for upgraded old meetings)
  std::string createdAt, updatedAt, openedAt, adjournedAt, publishedAt;
  std::vector<int64_t> agenda;        // item ids, in order
  std::vector<Attendance> attendance;  // in roster order of marking
  std::vector<Signature> signatures;   // in signing order
  std::vector<Erratum> errata;         // in order
  int64_t version = 0;                 // == number of events in the log
  std::string lastHash;

  // The attendance row of `party`, or nullptr.
  const Attendance* attendanceOf(const std::string& party) const {
    for (const auto& a : attendance)
      if (a.party == party) return &a;
    return nullptr;
  }
  bool present(const std::string& party) const {
    const auto* a = attendanceOf(party);
    return a && a->status == "present";
  }
};
// A party's current position on an item in discussion (history lives in the event log).
struct Position {
  std::string party;
  std::string stance;  // support | oppose | abstain | supplement
  std::string reason;
  std::string at;  // instant, formatInstant()
  int64_t userId = 0;
};

// A party handling an assigned item: the lead, or a co-handling party with its part done or not.
struct Handler {
  std::string party;
  bool lead = false;
  bool done = false;
};

// The item projection: what the event log adds up to, kept current by the Engine.
// state is one of: proposal, discussion, assignment, deadline.on_track, deadline.due_soon,
// deadline.overdue, followup, closed.
struct Item {
  int64_t id = 0;
  int64_t communityId = 0;
  std::string title;
  std::string description;
  std::string proposerParty;
  int64_t proposerUser = 0;
  std::string state = "proposal";
  std::string outcome;            // when closed: resolved | not_adopted | withdrawn | merged
  std::string response;           // the answer the proposer gets (回音); set whenever closed
  std::string decision;           // the collective decision (集中决议)
  std::vector<Handler> handlers;  // lead first, then co-handling parties
  std::string standard;           // the standard the result must meet
  std::string due;                // YYYY-MM-DD deadline
  std::string extensionDue;       // pending extension request: proposed date, empty if none
  std::string extensionReason;
  std::string result;  // submitted result (办理结果)
  std::string rating;  // satisfied | basically_satisfied | dissatisfied
  std::string ratingComment;
  int urgeCount = 0;
  bool escalated = false;  // 挂牌督办
  // Threshold (working days overdue) of the highest escalation-ladder tier fired for the
  // current due date; 0 when none (migration 009). Reset when the due date moves on.
  int ladderTier = 0;
  int reworkCount = 0;
  int64_t meetingId = 0;   // meeting it was taken up in, 0 if none
  int64_t mergedInto = 0;  // when merged
  std::string createdAt, updatedAt, assignedAt, submittedAt, closedAt;
  std::vector<Position> positions;  // current, one per party that logged one
  int64_t version = 0;              // == number of events in the log
  std::string lastHash;             // hash of the newest event row
  // Not stored, read with the item by WriteTx::loadItem: the meeting in session that has the
  // item on its agenda (0 if none), so the item's events can record the meeting.
  int64_t sessionMeetingId = 0;

  // The lead party's code, or empty before assignment.
  std::string lead() const {
    for (const auto& h : handlers)
      if (h.lead) return h.party;
    return {};
  }
  // Co-handling party codes.
  std::vector<std::string> co() const {
    std::vector<std::string> out;
    for (const auto& h : handlers)
      if (!h.lead) out.push_back(h.party);
    return out;
  }
  // The top-level state: "deadline.due_soon" -> "deadline".
  std::string topState() const { return state.substr(0, state.find('.')); }
};

// A stream: the event log of one record with a lifecycle, named by its machine kind ("item",
// "meeting", ...) and its id within that kind.
struct StreamRef {
  std::string kind;
  int64_t id = 0;
  bool operator==(const StreamRef& o) const { return kind == o.kind && id == o.id; }
};

// One row of a stream's append-only, hash-chained event log.
struct EventRecord {
  std::string kind = "item";  // the stream's machine kind
  int64_t streamId = 0;
  int64_t seq = 0;        // 1-based, contiguous per stream
  std::string at;         // instant, formatInstant()
  int64_t actorUser = 0;  // 0 = the system
  std::string actorParty;
  std::string type;     // event name from DESIGN.md §2
  std::string payload;  // canonical JSON of the fields
  std::string fromState, toState;
  std::string prevHash, hash;
};

// ---- inbox (migration 010): who an applied event notifies, and one user's notice.
// Representatives of `parties` in the event's community (all of them if allRepresentatives),
// plus supervisors (of that community or of none) if `supervisors`.
struct NoticeTo {
  std::vector<std::string> parties;
  bool allRepresentatives = false;
  bool supervisors = false;
  bool empty() const { return parties.empty() && !allRepresentatives && !supervisors; }
};

struct Notice {
  int64_t id = 0;
  std::string kind;  // the stream's machine kind
  int64_t streamId = 0;
  int64_t seq = 0;
  std::string type;  // event name
  std::string at;
  bool read = false;
  std::string title;    // the item's or meeting's title, read with the notice
  std::string toState;  // a tick's: the light it set (deadline.due_soon | deadline.overdue)
};

}  // namespace liufang::model
