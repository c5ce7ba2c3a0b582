#include "workflow/Engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "model/Errors.h"
#include "workflow/ItemKind.h"
#include "workflow/ItemMachine.h"

namespace liufang::workflow {

Actor Actor::fromUser(const model::User& u) {
  Actor a;
  a.userId = u.id;
  a.username = u.username;
  a.communityId = u.communityId;
  a.party = u.party;
  a.convener = u.convener;
  a.representative = u.representative;
  a.supervisor = u.supervisor;
  return a;
}

Actor Actor::systemActor() {
  Actor a;
  a.username = "system";
  a.system = true;
  return a;
}

Engine::Engine(model::Store& store, const model::Clock& clock,
               const model::HolidayCalendar& calendar)
    : store_(store), clock_(clock), calendar_(calendar) {
  for (auto& k : builtinKinds()) addKind(std::move(k));
}

void Engine::addKind(std::unique_ptr<StreamKind> kind) {
  for (const auto& k : kinds_)
    if (k->name() == kind->name())
      throw std::logic_error("machine kind registered twice: " + kind->name());
  kinds_.push_back(std::move(kind));
}

const StreamKind& Engine::kind(const std::string& name) const {
  for (const auto& k : kinds_)
    if (k->name() == name) return *k;
  throw NotFound(Msg("No such kind of record: {1}.").arg(name));
}

std::vector<const StreamKind*> Engine::kinds() const {
  std::vector<const StreamKind*> out;
  for (const auto& k : kinds_) out.push_back(k.get());
  return out;
}

void Engine::subscribe(EngineObserver* observer) {
  std::lock_guard<std::mutex> lock(observersMutex_);
  observers_.push_back(observer);
}

void Engine::unsubscribe(EngineObserver* observer) {
  std::lock_guard<std::mutex> lock(observersMutex_);
  observers_.erase(std::remove(observers_.begin(), observers_.end(), observer), observers_.end());
}

template <class Step>
Applied Engine::write(const std::string& kindName, const Command& cmd, const Actor& actor,
                      Step&& step) {
  const StreamKind& k = kind(kindName);
  Applied out;
  {
    auto tx = store_.beginWrite();
    const auto now = clock_.now();
    WriteContext w{*tx, store_, calendar_, model::formatInstant(now), now};
    out = step(k, w);
    tx->commit();
  }  // the write slot is free before observers run
  spdlog::info("{}={} user={} party={} rid={} event={} {} -> {}", kindName, out.stream.id,
               actor.username, actor.party, actor.requestId, cmd.type, out.from, out.to);
  std::vector<EngineObserver*> observers;
  {
    std::lock_guard<std::mutex> lock(observersMutex_);
    observers = observers_;
  }
  for (auto* o : observers) {
    try {
      o->applied(out, actor);
    } catch (const std::exception& e) {
      spdlog::error("{}={} observer failed after commit: {} rid={}", kindName, out.stream.id,
                    e.what(), actor.requestId);
    }
  }
  return out;
}

Applied Engine::create(const std::string& kindName, int64_t communityId, const Command& cmd,
                       const Actor& actor) {
  return write(kindName, cmd, actor, [&](const StreamKind& k, WriteContext& w) {
    return k.create(w, communityId, cmd, actor);
  });
}

Applied Engine::apply(const model::StreamRef& stream, const Command& cmd, const Actor& actor) {
  return write(stream.kind, cmd, actor, [&](const StreamKind& k, WriteContext& w) {
    return k.apply(w, stream.id, cmd, actor);
  });
}

model::Item Engine::propose(int64_t communityId, const Command& cmd, const Actor& actor) {
  return create("item", communityId, cmd, actor).as<model::Item>();
}

model::Item Engine::apply(int64_t itemId, const Command& cmd, const Actor& actor) {
  return apply(model::StreamRef{"item", itemId}, cmd, actor).as<model::Item>();
}

std::vector<std::string> Engine::allowedEvents(const model::Item& item, const Actor& actor,
                                               const model::Date& today) const {
  return allowedItemEvents(item, actor, today, calendar_);
}

std::vector<std::string> Engine::allowedEvents(const model::Item& item, const Actor& actor) const {
  return allowedEvents(item, actor, today(item.communityId));
}

model::Date Engine::today(int64_t communityId) const {
  auto c = store_.findCommunity(communityId);
  if (!c) throw NotFound("No such community.");
  return model::localDate(clock_.now(), c->utcOffsetMinutes);
}

int Engine::sweep() {
  // Per community, only the items whose due date crossed a threshold since their last tick
  // (Store::staleDeadlineItems, an index range per boundary): a sweep with nothing to move
  // reads no item row, however many items are in Deadline.
  std::vector<std::pair<int64_t, int>> stale;  // item id, its community's "due soon" days
  const auto now = clock_.now();
  for (const auto& community : store_.communities()) {
    const model::Date today = model::localDate(now, community.utcOffsetMinutes);
    const model::Date soonBefore = calendar_.addWorkingDays(today, community.dueSoonDays + 1);
    for (int64_t id : store_.staleDeadlineItems(community.id, today.str(), soonBefore.str()))
      stale.emplace_back(id, community.dueSoonDays);
  }
  int moved = 0;
  const Actor system = Actor::systemActor();
  for (const auto& [id, dueSoonDays] : stale) {
    try {
      apply(id, Command("tick").set("due_soon_days", dueSoonDays), system);
      ++moved;
    } catch (const Error& e) {
      // Someone else moved it first (e.g. submitted the result): nothing to do.
      spdlog::info("item={} user=system event=tick skipped: {}", id, e.what());
    }
  }
  if (moved > 0) spdlog::info("deadline sweep moved {} item(s)", moved);
  return moved;
}

std::string Engine::light(const model::Item& item) {
  if (item.state == "deadline.on_track") return "green";
  if (item.state == "deadline.due_soon") return "yellow";
  if (item.state == "deadline.overdue") return "red";
  return "";
}

int Engine::workingDaysLeft(const model::Item& item, const model::Date& today) const {
  auto due = model::Date::parse(item.due);
  if (!due) return 0;
  return calendar_.workingDaysBetween(today, *due);
}

int Engine::workingDaysLeft(const model::Item& item) const {
  return workingDaysLeft(item, today(item.communityId));
}

}  // namespace liufang::workflow
