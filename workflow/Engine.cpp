#include "workflow/Engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "model/Errors.h"
#include "model/Hash.h"
#include "workflow/Events.h"
#include "workflow/ItemMachine.h"
#include "workflow/Permissions.h"

namespace liufang::workflow {
namespace {

// The Engine needs only the verdict, which processEvent() turns into Refused.
struct QuietListener : MachineListener {
  void accepted(const std::string&, const std::string&) override {}
  void refused(const std::string&, const std::string&) override {}
};

bool sameHandlers(const std::vector<model::Handler>& a, const std::vector<model::Handler>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.party == y.party && x.lead == y.lead && x.done == y.done;
  });
}

bool samePositions(const std::vector<model::Position>& a, const std::vector<model::Position>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.party == y.party && x.stance == y.stance && x.reason == y.reason && x.at == y.at &&
           x.userId == y.userId;
  });
}

// Appends the next row of an item's chain and advances the projection's version and hash.
model::EventRecord chainRow(model::Item& item, const std::string& type,
                            const Poco::JSON::Object& payload, const std::string& from,
                            const std::string& to, int64_t actorUser, const std::string& actorParty,
                            const std::string& at) {
  model::EventRecord e;
  e.itemId = item.id;
  e.seq = item.version + 1;
  e.at = at;
  e.actorUser = actorUser;
  e.actorParty = actorParty;
  e.type = type;
  e.payload = canonicalJson(payload);
  e.fromState = from;
  e.toState = to;
  e.prevHash = item.lastHash.empty() ? model::genesisHash(item.id) : item.lastHash;
  e.hash = model::eventHash(e);
  item.version = e.seq;
  item.lastHash = e.hash;
  item.updatedAt = at;
  return e;
}

// Replaces quoted party codes (「wuye」, 'wuye') in a message with the parties' names.
std::string withPartyNames(std::string text, const std::vector<model::Party>& roster) {
  for (const auto& p : roster) {
    for (const auto& [open, close] :
         {std::pair<std::string, std::string>{"「", "」"}, {"'", "'"}}) {
      const std::string from = open + p.code + close, to = open + p.name + close;
      for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at))
        text.replace(at, from.size(), to), at += to.size();
    }
  }
  return text;
}

bool inRoster(const std::vector<model::Party>& roster, const std::string& code) {
  return std::any_of(roster.begin(), roster.end(),
                     [&](const model::Party& p) { return p.code == code; });
}

}  // namespace

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
    : store_(store), clock_(clock), calendar_(calendar) {}

int Engine::utcOffset(int64_t communityId) const {
  auto c = store_.findCommunity(communityId);
  if (!c) throw NotFound("社区不存在。", "No such community.");
  return c->utcOffsetMinutes;
}

model::Date Engine::today(int64_t communityId) const {
  return model::localDate(clock_.now(), utcOffset(communityId));
}

model::Item Engine::propose(int64_t communityId, const Command& cmd, const Actor& actor) {
  if (cmd.type != "propose")
    throw Invalid("新建事项须使用「提出议题」。", "A new item starts with propose.");
  const auto now = clock_.now();
  const std::string at = model::formatInstant(now);
  FieldContext ctx{model::localDate(now, utcOffset(communityId)), &calendar_, actor.party, at};
  auto payload = normalizeFields("propose", *cmd.fields, ctx);

  model::Item probe;
  probe.communityId = communityId;
  probe.proposerParty = payload->getValue<std::string>("party");
  authorize("propose", probe, actor);
  if (!inRoster(store_.parties(communityId), probe.proposerParty))
    throw Invalid("「" + probe.proposerParty + "」不是本社区的参与方。",
                  "'" + probe.proposerParty + "' is not a party of this community.");

  // The community goes into the logged payload so the hash chain covers it.
  payload->set("community", static_cast<Poco::Int64>(communityId));
  auto tx = store_.beginWrite();
  model::Item item = itemFromProposal(*payload, communityId, actor.userId, at);
  tx->insertItem(item);
  auto row = chainRow(item, "propose", *payload, "", "proposal", actor.userId, actor.party, at);
  tx->appendEvent(row);
  tx->updateItem(item, 0, false, false);
  tx->commit();
  spdlog::info("item={} user={} party={} rid={} event=propose -> proposal", item.id, actor.username,
               actor.party, actor.requestId);
  return item;
}

model::Item Engine::apply(int64_t itemId, const Command& cmd, const Actor& actor) {
  const EventSpec* spec = findEvent(cmd.type);
  if (!spec || cmd.type == "propose")
    throw Invalid("未知事件「" + cmd.type + "」。", "Unknown event '" + cmd.type + "'.");

  auto tx = store_.beginWrite();
  auto loaded = tx->loadItem(itemId);
  if (!loaded) throw NotFound("事项不存在。", "No such item.");
  model::Item item = std::move(*loaded);
  const model::Item before = item;

  if (!acceptedIn(cmd.type, item.state)) {
    auto [zh, en] = stateRefusal(item.state, cmd.type);
    throw Refused(zh, en);
  }
  authorize(cmd.type, item, actor);

  const auto now = clock_.now();
  const std::string at = model::formatInstant(now);
  const auto offset = tx->utcOffsetOf(item.communityId);
  if (!offset) throw NotFound("社区不存在。", "No such community.");
  const model::Date today = model::localDate(now, *offset);
  FieldContext ctx{today, &calendar_, actor.party, at};
  auto payload = normalizeFields(cmd.type, *cmd.fields, ctx);

  // References the machine cannot see: rosters, meetings, other items.
  if (cmd.type == "log_position" && payload->getValue<std::string>("party") != actor.party)
    throw Forbidden("只能为本方表态。", "You may only log your own party's position.");
  if (cmd.type == "assign") {
    const auto roster = store_.parties(item.communityId);
    const std::string lead = payload->getValue<std::string>("lead");
    if (!inRoster(roster, lead))
      throw Invalid("牵头方「" + lead + "」不是本社区的参与方。",
                    "Lead '" + lead + "' is not a party of this community.");
    auto co = payload->getArray("co");
    for (size_t i = 0; co && i < co->size(); ++i) {
      const std::string c = co->get(i).toString();
      if (!inRoster(roster, c))
        throw Invalid("协办方「" + c + "」不是本社区的参与方。",
                      "Co-handling party '" + c + "' is not a party of this community.");
      if (c == lead)
        throw Invalid("牵头方不能同时是协办方。", "The lead cannot also be a co-handling party.");
    }
  }
  if (cmd.type == "take_up" && payload->has("meeting")) {
    auto m = store_.findMeeting(payload->getValue<Poco::Int64>("meeting"));
    if (!m || m->communityId != item.communityId)
      throw Invalid("会议不存在。", "No such meeting in this community.");
  }
  if (cmd.type == "merge") {
    auto target = store_.findItem(payload->getValue<Poco::Int64>("into"));
    if (!target || target->communityId != item.communityId)
      throw Invalid("要合并到的事项不存在。", "The item to merge into does not exist.");
    if (target->state == "closed")
      throw Refused("不能合并到已办结的事项。", "Cannot merge into a closed item.");
  }

  QuietListener quiet;
  ItemMachine machine(item, quiet, calendar_);
  machine.restore();
  const std::string from = item.state;
  try {
    item.state = processEvent(machine, cmd.type, *payload,
                              StepInput{cmd.type, at, today, actor.party, actor.userId});
  } catch (const Refused& r) {
    // The machine knows parties by code; people know them by name.
    throw Refused(withPartyNames(r.what(), store_.parties(item.communityId)),
                  withPartyNames(r.english(), store_.parties(item.communityId)));
  }
  std::vector<model::EventRecord> rows;
  rows.push_back(
      chainRow(item, cmd.type, *payload, from, item.state, actor.userId, actor.party, at));

  // Landing in Deadline with a stale light (a short deadline, an approved extension): the
  // system ticks in the same transaction, so nobody ever sees a wrong light.
  if (cmd.type != "tick" && item.topState() == "deadline" &&
      item.state != "deadline." + machine.deadlineLight(today)) {
    Poco::JSON::Object tick;
    tick.set("now", at);
    const std::string tickFrom = item.state;
    item.state = processEvent(machine, "tick", tick, StepInput{"tick", at, today, "", 0});
    rows.push_back(chainRow(item, "tick", tick, tickFrom, item.state, 0, "", at));
  }

  for (const auto& r : rows) tx->appendEvent(r);
  tx->updateItem(item, before.version, !sameHandlers(before.handlers, item.handlers),
                 !samePositions(before.positions, item.positions));
  tx->commit();
  spdlog::info("item={} user={} party={} rid={} event={} {} -> {}", item.id, actor.username,
               actor.party, actor.requestId, cmd.type, from, item.state);
  return item;
}

std::vector<std::string> Engine::allowedEvents(const model::Item& item, const Actor& actor) const {
  std::vector<std::string> out;
  const bool extensionPending = !item.extensionDue.empty();
  bool coDone = true;
  for (const auto& h : item.handlers)
    if (!h.lead && !h.done) coDone = false;
  bool pastDue = false;
  if (auto due = model::Date::parse(item.due)) pastDue = *due < today(item.communityId);

  for (const auto& spec : eventSpecs()) {
    const std::string& e = spec.name;
    if (e == "propose" || e == "tick") continue;
    if (!acceptedIn(e, item.state) || !mayFire(e, item, actor)) continue;
    // The simple guards, so the page offers nothing the machine would refuse.
    if (e == "request_extension" && (extensionPending || pastDue)) continue;
    if (e == "decide_extension" && !extensionPending) continue;
    if (e == "escalate" && item.escalated) continue;
    if (e == "submit_result" && !coDone) continue;
    if (e == "rate" && !item.rating.empty()) continue;
    out.push_back(e);
  }
  return out;
}

int Engine::sweep() {
  std::vector<int64_t> stale;
  model::ItemQuery q;
  q.state = "deadline";
  q.limit = 500;
  for (;;) {
    auto page = store_.listItems(q);
    for (const auto& item : page) {
      if (item.state !=
          "deadline." + deadlineLightFor(item.due, today(item.communityId), calendar_))
        stale.push_back(item.id);
    }
    if (static_cast<int>(page.size()) < q.limit) break;
    q.offset += q.limit;
  }
  int moved = 0;
  const Actor system = Actor::systemActor();
  for (int64_t id : stale) {
    try {
      apply(id, Command("tick"), system);
      ++moved;
    } catch (const Error& e) {
      // Someone else moved it first (e.g. submitted the result): nothing to do.
      spdlog::info("item={} user=system event=tick skipped: {}", id, e.english());
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

int Engine::workingDaysLeft(const model::Item& item) const {
  auto due = model::Date::parse(item.due);
  if (!due) return 0;
  return calendar_.workingDaysBetween(today(item.communityId), *due);
}

}  // namespace liufang::workflow
