// The meeting's event table. Adding an event: its struct and reaction in MeetingMachine, one
// row here, and the zh-CN text of its msgids in web/i18n/zh_CN.po (docs/ARCHITECTURE.md).
#include "workflow/MeetingEvents.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <map>

#include "workflow/MachineSupport.h"
#include "workflow/MeetingMachine.h"
#include "workflow/Meetings.h"

namespace liufang::workflow {
namespace {

using Def = EventDef<model::Meeting>;
using K = FieldKind;
using Deny = std::optional<Msg>;
namespace mm = meeting;

const std::vector<std::string> kKinds = {"regular", "adhoc"};
const std::vector<std::string> kKindLabels = {"Regular meeting", "Ad-hoc meeting"};

FieldDef text(const std::string& name, const std::string& label, bool required,
              size_t maxChars = 5000) {
  return {name, K::LongText, required, label, maxChars};
}
FieldDef line(const std::string& name, const std::string& label, bool required,
              size_t maxChars) {
  return {name, K::Text, required, label, maxChars};
}

Deny conveners(const Actor& a, const std::string& event) {
  if (a.convener) return std::nullopt;
  return Msg("Only the convener may \"{1}\".").label(meetingEventLabel(event));
}

std::vector<int64_t> ids(const Payload& p, const std::string& key) {
  std::vector<int64_t> out;
  for (const auto& s : p.list(key)) out.push_back(std::stoll(s));
  return out;
}

std::vector<model::Attendance> attendance(const Poco::JSON::Object& payload) {
  std::vector<model::Attendance> out;
  if (auto arr = payload.getArray("attendance"))
    for (size_t i = 0; i < arr->size(); ++i) {
      auto o = arr->getObject(static_cast<unsigned>(i));
      Payload row(*o);
      out.push_back({row.str("party"), row.str("status"), row.str("delegate")});
    }
  return out;
}

void checkTime(const Poco::JSON::Object& p) {
  if (p.has("time") && !validTime(p.getValue<std::string>("time")))
    throw Invalid(
        Msg("The field \"{1}\" ({2}) must be a time, HH:MM.").label("Time").arg("time"));
}

std::vector<Def> buildTable() {
  std::vector<Def> t;
  auto row = [&](std::string name, std::string label, std::vector<std::string> from,
                 std::vector<FieldDef> fields, std::string who) -> Def& {
    // The convener fires every meeting event but sign_minutes (its row overrides deny).
    Def& d = addEventRow(t, std::move(name), std::move(label), std::move(from), std::move(fields),
                         std::move(who));
    d.deny = [event = d.name](const model::Meeting&, const Actor& a) {
      return conveners(a, event);
    };
    return d;
  };
  const FieldDef agenda{"agenda", K::ItemRefs, false, "Agenda (item numbers in order)", 20};

  {
    auto& d = row("schedule", "Schedule a meeting", {},
                  {line("title", "Title", true, 200),
                   {"kind", K::Choice, true, "Kind of meeting", 20, kKinds, kKindLabels},
                   {"date", K::Date, true, "Date", 20},
                   line("time", "Time", false, 5),
                   line("place", "Place", false, 200),
                   agenda},
                  "the convener");
    d.complete = [](Poco::JSON::Object& p, const FieldContext& ctx) {
      checkTime(p);
      if (*model::Date::parse(p.getValue<std::string>("date")) < ctx.today)
        throw Invalid("A meeting cannot be scheduled for a date that has passed.");
    };
  }
  {
    auto& d = row("set_agenda", "Set the agenda", {"scheduled", "in_session"}, {agenda},
                  "the convener");
    d.decode = [](const Payload& p) {
      return makeEvent<mm::EvSetAgenda>([&](mm::EvSetAgenda& e) { e.agenda = ids(p, "agenda"); });
    };
  }
  {
    auto& d = row("cancel", "Cancel the meeting", {"scheduled"}, {text("reason", "Reason", true)},
                  "the convener");
    d.decode = [](const Payload& p) {
      return makeEvent<mm::EvCancel>([&](mm::EvCancel& e) { e.reason = p.str("reason"); });
    };
  }
  {
    FieldDef att{"attendance", K::Attendance, true, "Attendance", 2000};
    att.help = "One line per party: its code, present / absent / excused, and the delegate's name.";
    auto& d = row("open", "Call the meeting to order", {"scheduled"}, {att}, "the convener");
    d.decode = [](const Payload& p) {
      return makeEvent<mm::EvOpen>([&](mm::EvOpen& e) { e.attendance = attendance(p.object()); });
    };
  }
  {
    auto& d = row("mark_attendance", "Mark attendance", {"in_session"},
                  {{"party", K::Party, true, "Party", 64},
                   {"status", K::Choice, true, "Attendance", 20, attendanceStatuses(),
                    attendanceStatusLabels()},
                   line("delegate", "Delegate", false, 100)},
                  "the convener");
    d.decode = [](const Payload& p) {
      return makeEvent<mm::EvMarkAttendance>([&](mm::EvMarkAttendance& e) {
        e.attendance = {p.str("party"), p.str("status"), p.str("delegate")};
      });
    };
  }
  {
    auto& d = row("adjourn", "Adjourn", {"in_session"}, {text("note", "Note", false)},
                  "the convener");
    d.decode = [](const Payload& p) {
      return makeEvent<mm::EvAdjourn>([&](mm::EvAdjourn& e) { e.note = p.str("note"); });
    };
  }
  {
    FieldDef minutes{"minutes", K::LongText, false, "Minutes", 1000000};
    minutes.onForm = false;  // rendered from the log by check(), never typed
    auto& d = row("publish_minutes", "Publish the minutes", {"adjourned"},
                  {text("preamble", "Preamble", false), text("closing", "Closing remarks", false),
                   minutes},
                  "the convener");
    d.check = [](const model::Meeting& m, Poco::JSON::Object& p, model::Store& store) {
      // The minutes are frozen here: the log row (and its hash) holds the whole text.
      model::Meeting draft = m;
      draft.preamble = p.optValue<std::string>("preamble", "");
      draft.closing = p.optValue<std::string>("closing", "");
      p.set("minutes", canonicalJson(*minutesModel(store, draft)));
    };
    d.decode = [](const Payload& p) {
      return makeEvent<mm::EvPublishMinutes>([&](mm::EvPublishMinutes& e) {
        e.preamble = p.str("preamble"), e.closing = p.str("closing");
        e.minutes = p.str("minutes");
      });
    };
  }
  {
    auto& d = row("add_erratum", "Add an erratum", {"minutes_published"},
                  {text("text", "Erratum", true)}, "the convener");
    d.decode = [](const Payload& p) {
      return makeEvent<mm::EvAddErratum>([&](mm::EvAddErratum& e) { e.text = p.str("text"); });
    };
  }
  {
    FieldDef party{"party", K::Party, false, "Party", 64};
    party.onForm = false;  // always the signer's own party
    auto& d = row("sign_minutes", "Sign the minutes", {"minutes_published"},
                  {party, text("note", "Note", false)},
                  "a representative of a party that was present, for their own party");
    d.deny = [](const model::Meeting& m, const Actor& a) -> Deny {
      if (!a.speaksForParty()) return Msg("Only a party representative may sign the minutes.");
      if (!m.present(a.party))
        return Msg("Your party was not present and does not sign these minutes.");
      return std::nullopt;
    };
    d.offer = [](const model::Meeting& m, const FieldContext& ctx) {
      return std::none_of(m.signatures.begin(), m.signatures.end(),
                          [&](const model::Signature& s) { return s.party == ctx.actorParty; });
    };
    d.complete = [](Poco::JSON::Object& p, const FieldContext& ctx) {
      p.set("party", ctx.actorParty);
    };
    d.decode = [](const Payload& p) {
      return makeEvent<mm::EvSignMinutes>(
          [&](mm::EvSignMinutes& e) { e.party = p.str("party"), e.note = p.str("note"); });
    };
  }
  return t;
}

const std::map<std::string, std::string>& stateLabels() {
  static const std::map<std::string, std::string> m = {
      {"scheduled", "Scheduled"},
      {"in_session", "In session"},
      {"adjourned", "Adjourned"},
      {"minutes_published", "Minutes published"},
      {"cancelled", "Cancelled"},
  };
  return m;
}

}  // namespace

const std::vector<EventDef<model::Meeting>>& meetingEvents() {
  static const std::vector<EventDef<model::Meeting>> table = buildTable();
  return table;
}

const std::vector<std::string>& meetingStates() {
  static const std::vector<std::string> states = {"scheduled", "in_session", "adjourned",
                                                  "minutes_published", "cancelled"};
  return states;
}

std::string meetingEventLabel(const std::string& event) {
  for (const auto& d : meetingEvents())
    if (d.name == event) return d.label;
  return event;
}

std::string meetingStateLabel(const std::string& state) {
  auto it = stateLabels().find(state);
  return it == stateLabels().end() ? state : it->second;
}

std::string meetingKindLabel(const std::string& kind) {
  auto it = std::find(kKinds.begin(), kKinds.end(), kind);
  return it == kKinds.end() ? kind : kKindLabels[static_cast<size_t>(it - kKinds.begin())];
}

Msg meetingStateRefusal(const std::string& state, const std::string& event) {
  static const std::map<std::string, std::string> hints = {
      {"scheduled", "A scheduled meeting takes its agenda, is called to order or cancelled."},
      {"in_session",
       "A meeting in session takes its agenda and attendance, and is adjourned."},
      {"adjourned", "An adjourned meeting's minutes are published next."},
      {"minutes_published", "Published minutes take errata and the parties' signatures."},
      {"cancelled", "A cancelled meeting takes no more events."},
  };
  auto it = hints.find(state);
  return Msg("A meeting at the \"{1}\" stage cannot \"{2}\". {3}")
      .label(meetingStateLabel(state))
      .label(meetingEventLabel(event))
      .label(it == hints.end() ? std::string() : it->second);
}

}  // namespace liufang::workflow
