#include "workflow/MeetingPlanning.h"

#include <Poco/JSON/Array.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "workflow/Meetings.h"

namespace liufang::workflow {

std::vector<AgendaProposal> proposeAgenda(model::Store& store, int64_t communityId) {
  std::vector<AgendaProposal> carried, overdue, fresh;
  auto list = [&](const std::string& state) {
    model::ItemQuery q;
    q.communityId = communityId;
    q.state = state;
    q.limit = 0;
    return store.listItems(q);
  };
  for (auto& item : list("discussion")) {
    const int on = static_cast<int>(store.meetingsWithItem(item.id).size());
    carried.push_back({std::move(item), "carried_over", on});
  }
  for (auto& item : list("proposal")) {
    const int on = static_cast<int>(store.meetingsWithItem(item.id).size());
    if (on > 0)
      carried.push_back({std::move(item), "deferred", on});
    else
      fresh.push_back({std::move(item), "proposal", 0});
  }
  for (auto& item : list("deadline.overdue")) {
    const int on = static_cast<int>(store.meetingsWithItem(item.id).size());
    overdue.push_back({std::move(item), "overdue", on});
  }
  std::stable_sort(carried.begin(), carried.end(), [](const auto& a, const auto& b) {
    return a.meetingsOn != b.meetingsOn ? a.meetingsOn > b.meetingsOn : a.item.id < b.item.id;
  });
  std::reverse(fresh.begin(), fresh.end());  // listed newest first; oldest first here
  std::vector<AgendaProposal> out = std::move(carried);
  out.insert(out.end(), overdue.begin(), overdue.end());
  out.insert(out.end(), fresh.begin(), fresh.end());
  return out;
}

std::optional<model::Meeting> scheduleNextRegular(Engine& engine, int64_t communityId,
                                                  const Actor& actor) {
  auto& store = engine.store();
  const auto community = store.findCommunity(communityId);
  if (!community || community->meetingRule.empty()) return std::nullopt;
  model::Date after = engine.today(communityId);
  for (const auto& m : store.meetings(communityId)) {
    if (m.kind != "regular" || m.state == "cancelled") continue;
    if (m.state == "scheduled") return std::nullopt;  // the next one is on the calendar already
    if (auto d = model::Date::parse(m.date); d && after < *d) after = *d;
  }
  const auto date = nextRegularDate(community->meetingRule, after);
  if (!date) return std::nullopt;
  // The title is data (Chinese, like the demo's): "2026年12月例会".
  Command cmd("schedule");
  cmd.set("title", std::to_string(date->year) + "年" + std::to_string(date->month) + "月例会").set("kind", "regular").set("date", date->str());
  if (!community->meetingTime.empty()) cmd.set("time", community->meetingTime);
  if (!community->meetingPlace.empty()) cmd.set("place", community->meetingPlace);
  Poco::JSON::Array::Ptr agenda = new Poco::JSON::Array;
  for (const auto& p : proposeAgenda(store, communityId)) agenda->add(p.item.id);
  if (agenda->size() > 0) cmd.set("agenda", agenda);
  return engine.create("meeting", communityId, cmd, actor).as<model::Meeting>();
}

void RegularMeetingScheduler::applied(const Applied& applied, const Actor& actor) {
  if (applied.stream.kind != "meeting" || applied.to != "adjourned" || applied.from == applied.to)
    return;
  const auto& m = applied.as<model::Meeting>();
  if (m.kind != "regular") return;
  try {
    if (auto next = scheduleNextRegular(engine_, m.communityId, actor))
      spdlog::info("meeting={} scheduled as the next regular meeting after meeting={} user={}",
                   next->id, m.id, actor.username);
  } catch (const std::exception& e) {
    spdlog::warn("meeting={} next regular meeting not scheduled: {} user={} rid={}", m.id,
                 e.what(), actor.username, actor.requestId);
  }
}

}  // namespace liufang::workflow
