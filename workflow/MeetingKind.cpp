#include "workflow/MeetingKind.h"

#include "workflow/MachineKind.h"
#include "workflow/MeetingEvents.h"
#include "workflow/MeetingMachine.h"

namespace liufang::workflow {
namespace {

bool sameChildren(const model::Meeting& a, const model::Meeting& b) {
  auto att = [](const model::Attendance& x, const model::Attendance& y) {
    return x.party == y.party && x.status == y.status && x.delegate == y.delegate;
  };
  auto sig = [](const model::Signature& x, const model::Signature& y) {
    return x.party == y.party && x.userId == y.userId && x.at == y.at && x.note == y.note;
  };
  auto err = [](const model::Erratum& x, const model::Erratum& y) {
    return x.text == y.text && x.userId == y.userId && x.at == y.at;
  };
  return a.agenda == b.agenda &&
         std::equal(a.attendance.begin(), a.attendance.end(), b.attendance.begin(),
                    b.attendance.end(), att) &&
         std::equal(a.signatures.begin(), a.signatures.end(), b.signatures.begin(),
                    b.signatures.end(), sig) &&
         std::equal(a.errata.begin(), a.errata.end(), b.errata.begin(), b.errata.end(), err);
}

struct MeetingTraits {
  using Projection = model::Meeting;
  using Machine = meeting::MeetingMachine;

  static const std::string& kind() {
    static const std::string k = "meeting";
    return k;
  }
  static const std::vector<EventDef<model::Meeting>>& table() { return meetingEvents(); }
  static const std::vector<std::string>& states() { return meetingStates(); }
  static std::string stateLabel(const std::string& s) { return meetingStateLabel(s); }
  static Msg notAccepted(const std::string& state, const std::string& event) {
    return meetingStateRefusal(state, event);
  }
  static Msg notFound() { return "No such meeting."; }

  static model::Meeting fromCreation(const Poco::JSON::Object& payload, int64_t communityId,
                                     int64_t actorUser, const std::string& at) {
    Payload p(payload);
    model::Meeting m;
    m.communityId = communityId;
    m.title = p.str("title");
    m.kind = p.str("kind");
    m.date = p.str("date");
    m.time = p.str("time");
    m.location = p.str("place");
    m.minutes = p.str("minutes");  // only an upgraded old meeting's draft (migration 004)
    for (const auto& id : p.list("agenda")) m.agenda.push_back(std::stoll(id));
    m.convenerUser = actorUser;
    m.state = "scheduled";
    m.createdAt = at;
    m.updatedAt = at;
    return m;
  }

  static std::optional<model::Meeting> load(model::WriteTx& tx, int64_t id, int* offset) {
    return tx.loadMeeting(id, offset);
  }
  static void insert(model::WriteTx& tx, model::Meeting& m) { tx.insertMeeting(m); }
  static void save(model::WriteTx& tx, const model::Meeting& before, const model::Meeting& after) {
    tx.updateMeeting(after, before.version, !sameChildren(before, after));
  }
  // The inbox: every representative of the community hears of a scheduled meeting.
  static model::NoticeTo notices(const model::Meeting&, const model::EventRecord& row) {
    model::NoticeTo to;
    to.allRepresentatives = row.type == "schedule";
    return to;
  }
  static std::string followUp(const model::Meeting&, meeting::MeetingMachine&, const std::string&,
                              const model::Date&) {
    return {};
  }

  static std::vector<int64_t> ids(model::Store& store) { return store.meetingIds(); }
  static std::optional<model::Meeting> loadStored(model::Store& store, int64_t id) {
    return store.findMeeting(id);
  }

  static std::string diff(const model::Meeting& s, const model::Meeting& r) {
#define LIUFANG_CMP(field) \
  if (s.field != r.field) return #field;
    LIUFANG_CMP(communityId)
    LIUFANG_CMP(title)
    LIUFANG_CMP(kind)
    LIUFANG_CMP(date)
    LIUFANG_CMP(time)
    LIUFANG_CMP(location)
    LIUFANG_CMP(minutes)
    LIUFANG_CMP(published)
    LIUFANG_CMP(state)
    LIUFANG_CMP(preamble)
    LIUFANG_CMP(closing)
    LIUFANG_CMP(adjournNote)
    LIUFANG_CMP(cancelReason)
    LIUFANG_CMP(convenerUser)
    LIUFANG_CMP(createdAt)
    LIUFANG_CMP(updatedAt)
    LIUFANG_CMP(openedAt)
    LIUFANG_CMP(adjournedAt)
    LIUFANG_CMP(publishedAt)
    LIUFANG_CMP(agenda)
    LIUFANG_CMP(version)
    LIUFANG_CMP(lastHash)
#undef LIUFANG_CMP
    if (!sameChildren(s, r)) return "attendance, signatures or errata";
    return "";
  }
};

}  // namespace

std::unique_ptr<StreamKind> makeMeetingKind() {
  return std::make_unique<MachineKind<MeetingTraits>>();
}

std::vector<std::string> allowedMeetingEvents(const model::Meeting& meeting, const Actor& actor,
                                              const model::Date& today,
                                              const model::HolidayCalendar& calendar) {
  return MachineKind<MeetingTraits>::allowedOn(meeting, actor, today, calendar);
}

}  // namespace liufang::workflow
