// The meeting machine alone, as the Engine drives it: one row per (state, event, expected).
#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <map>

#include "model/Errors.h"
#include "workflow/MeetingEvents.h"
#include "workflow/MeetingMachine.h"

using namespace liufang;
using namespace liufang::workflow;

namespace {

const model::Date kToday = *model::Date::parse("2026-11-18");
const std::string kAt = "2026-11-18T02:00:00.000Z";

const EventDef<model::Meeting>* find(const std::string& name) {
  for (const auto& d : meetingEvents())
    if (d.name == name) return &d;
  return nullptr;
}

// A meeting in `state` with what that state implies: wuye and juweihui present once opened.
model::Meeting meetingIn(const std::string& state) {
  model::Meeting m;
  m.id = 3;
  m.title = "十一月六方联席例会";
  m.date = "2026-11-25";
  m.state = state;
  m.agenda = {1, 2};
  if (state != "scheduled" && state != "cancelled")
    m.attendance = {{"wuye", "present", ""}, {"juweihui", "present", "张秀英"}};
  return m;
}

// A valid payload for every event from the table's sample (the actor speaks for wuye).
Poco::JSON::Object payloadFor(const std::string& event) {
  const auto* def = find(event);
  auto p = validateFields(*def, *sampleFields(*def, "wuye", {"wuye", "juweihui"}, 5, "2026-11-30"));
  if (def->complete)
    def->complete(*p, FieldContext{kToday, &model::HolidayCalendar::china(), "wuye", kAt});
  return *p;
}

const std::map<std::string, std::map<std::string, std::string>> kAccepted = {
    {"scheduled",
     {{"set_agenda", "scheduled"}, {"open", "in_session"}, {"cancel", "cancelled"}}},
    {"in_session",
     {{"set_agenda", "in_session"},
      {"mark_attendance", "in_session"},
      {"adjourn", "adjourned"}}},
    {"adjourned", {{"publish_minutes", "minutes_published"}}},
    {"minutes_published",
     {{"add_erratum", "minutes_published"}, {"sign_minutes", "minutes_published"}}},
    {"cancelled", {}},
};

std::string run(model::Meeting& m, const std::string& event, const Poco::JSON::Object& payload,
                const std::string& party = "wuye") {
  meeting::MeetingMachine machine(m, model::HolidayCalendar::china());
  machine.restore();
  machine.step(StepInput{event, kAt, kToday, party, 4}, *find(event)->decode(Payload(payload)));
  if (machine.lastStep.refused) return "refused:" + machine.lastStep.why.english();
  m.state = machine.stateName();
  return machine.lastStep.from + "->" + machine.lastStep.to;
}

}  // namespace

TEST(MeetingMachine, TransitionTableCoversEveryStateAndEvent) {
  size_t events = 0, rows = 0;
  for (const auto& d : meetingEvents()) events += d.from.empty() ? 0 : 1;
  ASSERT_EQ(kAccepted.size(), meetingStates().size());
  for (const auto& [state, accepted] : kAccepted) {
    for (const auto& d : meetingEvents()) {
      if (d.from.empty()) continue;  // schedule creates the meeting
      ++rows;
      model::Meeting m = meetingIn(state);
      const std::string got = run(m, d.name, payloadFor(d.name));
      auto it = accepted.find(d.name);
      if (it == accepted.end()) {
        EXPECT_EQ(got.rfind("refused:", 0), 0u) << state << " x " << d.name << " gave " << got;
        EXPECT_GT(got.size(), std::string("refused:").size()) << "a refusal carries a reason";
        EXPECT_EQ(m.state, state);
        EXPECT_FALSE(d.acceptedIn(state)) << "the table agrees: " << state << " x " << d.name;
      } else {
        EXPECT_EQ(got, state + "->" + it->second) << state << " x " << d.name;
        EXPECT_TRUE(d.acceptedIn(state)) << "the table agrees: " << state << " x " << d.name;
      }
    }
  }
  EXPECT_EQ(rows, meetingStates().size() * events);
}

TEST(MeetingMachine, OpenRecordsAttendanceAndMarkingRevisesIt) {
  model::Meeting m = meetingIn("scheduled");
  Poco::JSON::Object open;
  open.set("attendance", "dangwei present 李红梅\nwuye absent\njuweihui excused");
  ASSERT_EQ(run(m, "open", *validateFields(*find("open"), open)), "scheduled->in_session");
  ASSERT_EQ(m.attendance.size(), 3u);
  EXPECT_EQ(m.attendance[0].delegate, "李红梅");
  EXPECT_EQ(m.openedAt, kAt);
  EXPECT_TRUE(m.present("dangwei"));
  EXPECT_FALSE(m.present("wuye"));
  Poco::JSON::Object late;
  late.set("party", "wuye").set("status", "present").set("delegate", "刘经理");
  ASSERT_EQ(run(m, "mark_attendance", *validateFields(*find("mark_attendance"), late)),
            "in_session->in_session");
  EXPECT_TRUE(m.present("wuye")) << "a late arrival is marked present";
  EXPECT_EQ(m.attendance.size(), 3u);
}

TEST(MeetingMachine, AttendanceAndAgendaAreCheckedAsFields) {
  Poco::JSON::Object twice;
  twice.set("attendance", "wuye present\nwuye absent");
  EXPECT_THROW(validateFields(*find("open"), twice), Invalid);
  Poco::JSON::Object badStatus;
  badStatus.set("attendance", "wuye asleep");
  EXPECT_THROW(validateFields(*find("open"), badStatus), Invalid);
  Poco::JSON::Object agenda;
  agenda.set("agenda", "3, 1, 3");
  EXPECT_THROW(validateFields(*find("set_agenda"), agenda), Invalid);
  agenda.set("agenda", "3, 1, 7");
  auto ok = validateFields(*find("set_agenda"), agenda);
  model::Meeting m = meetingIn("scheduled");
  run(m, "set_agenda", *ok);
  EXPECT_EQ(m.agenda, (std::vector<int64_t>{3, 1, 7})) << "the convener's order is kept";
}

TEST(MeetingMachine, OnlyPresentPartiesSignAndOnlyOnce) {
  model::Meeting m = meetingIn("minutes_published");
  EXPECT_EQ(run(m, "sign_minutes", payloadFor("sign_minutes")),
            "minutes_published->minutes_published");
  ASSERT_EQ(m.signatures.size(), 1u);
  EXPECT_EQ(m.signatures[0].party, "wuye");
  EXPECT_EQ(m.signatures[0].at, kAt);
  EXPECT_EQ(run(m, "sign_minutes", payloadFor("sign_minutes")).rfind("refused:", 0), 0u)
      << "a second signature of the same party is refused";
  Poco::JSON::Object absent;
  absent.set("party", "gongyi");
  EXPECT_EQ(run(m, "sign_minutes", absent, "gongyi"),
            "refused:Party \"gongyi\" was not present and does not sign the minutes.");
}

TEST(MeetingMachine, PublishFreezesTheMinutesAndErrataAppend) {
  model::Meeting m = meetingIn("adjourned");
  Poco::JSON::Object p;
  p.set("preamble", "前言").set("minutes", "{\"items\":[]}");
  ASSERT_EQ(run(m, "publish_minutes", p), "adjourned->minutes_published");
  EXPECT_EQ(m.minutes, "{\"items\":[]}");
  EXPECT_TRUE(m.published);
  EXPECT_EQ(m.publishedAt, kAt);
  run(m, "add_erratum", payloadFor("add_erratum"));
  run(m, "add_erratum", payloadFor("add_erratum"));
  EXPECT_EQ(m.errata.size(), 2u);
  EXPECT_EQ(m.minutes, "{\"items\":[]}") << "an erratum never edits the minutes";
}

TEST(MeetingMachine, RestoreRejectsUnknownState) {
  model::Meeting m = meetingIn("scheduled");
  m.state = "postponed";
  meeting::MeetingMachine machine(m, model::HolidayCalendar::china());
  EXPECT_THROW(machine.restore(), StorageError);
}
