#pragma once
// MachineKind<Traits>: the StreamKind interface implemented once for every statechart kind.
// A kind supplies a traits struct (see ItemKind.cpp) with its projection, machine, event table
// and projection storage; everything else — the order of checks, field validation, permission,
// references, running the machine, the hash chain, replay — is here, shared.
//
// Traits must provide:
//   using Projection; using Machine;   // Machine(Projection&, calendar); restore(); step();
//   lastStep static const std::string& kind(); static const std::vector<EventDef<Projection>>&
//   table();     // creation event first static const std::vector<std::string>& states(); static
//   std::string stateLabel(const std::string& state); static Msg notAccepted(const std::string&
//   state, const std::string& event); static Msg notFound(); static Projection fromCreation(const
//   Poco::JSON::Object& payload, int64_t communityId,
//                                  int64_t actorUser, const std::string& at);
//   static std::optional<Projection> load(model::WriteTx&, int64_t id, int* utcOffsetMinutes);
//   static void insert(model::WriteTx&, Projection&);
//   static void save(model::WriteTx&, const Projection& before, const Projection& after);
//   static std::string followUp(const Projection&, Machine&, const std::string& type,
//                               const model::Date& today);   // a system event to add, or ""
//   static std::vector<int64_t> ids(model::Store&);
//   static std::optional<Projection> loadStored(model::Store&, int64_t id);
//   static std::string diff(const Projection& stored, const Projection& replayed);
//   optional: static void stamp(const Projection&, Poco::JSON::Object& creationPayload);
// Projection must have id, communityId, state, version, lastHash, updatedAt.
#include <algorithm>
#include <type_traits>
#include <utility>

#include "model/Errors.h"
#include "model/Hash.h"
#include "workflow/StreamKind.h"
#include "workflow/Webhooks.h"

namespace liufang::workflow {

// Why `actor` may not fire `def` on a projection of community `communityId`, or nullopt: the
// system fires system events only and nobody else does; a user tied to a community acts in
// it only; then the row's own rule.
template <class P>
std::optional<Msg> denial(const EventDef<P>& def, const P& p, const Actor& actor) {
  if (def.system)
    return actor.system
               ? std::nullopt
               : std::optional<Msg>(Msg("Only the system fires \"{1}\".").label(def.label));
  if (actor.system)
    return def.systemToo ? std::nullopt
                         : std::optional<Msg>(Msg("The system may only fire deadline checks."));
  if (actor.communityId != 0 && actor.communityId != p.communityId)
    return Msg("You do not belong to this community.");
  return def.deny ? def.deny(p, actor) : std::nullopt;
}

// Replaces arguments that are roster codes with the parties' names: machines know parties by
// code, people by name.
void nameParties(Msg& msg, const std::vector<model::Party>& roster);

// The references a payload makes outside its stream: Party fields must be on the community's
// roster (the actor's own party is, by construction), ItemRef / MeetingRef fields must name a
// record of the same community. Items are looked up through `tx` when given, so an item
// created earlier in the same transaction counts (Engine::createThenApply). Throws Invalid.
void checkReferences(const EventInfo& def, const Poco::JSON::Object& payload, int64_t communityId,
                     const Actor& actor, model::Store& store, model::WriteTx* tx = nullptr);

// The next row of a stream's chain; advances the projection's version, hash and updatedAt.
template <class P>
model::EventRecord chainRow(const std::string& kind, P& p, const std::string& type,
                            const Poco::JSON::Object& payload, const std::string& from,
                            const std::string& to, int64_t actorUser, const std::string& actorParty,
                            const std::string& at) {
  model::EventRecord e;
  e.kind = kind;
  e.streamId = p.id;
  e.seq = p.version + 1;
  e.at = at;
  e.actorUser = actorUser;
  e.actorParty = actorParty;
  e.type = type;
  e.payload = canonicalJson(payload);
  e.fromState = from;
  e.toState = to;
  e.prevHash = p.lastHash.empty() ? model::genesisHash(model::StreamRef{kind, p.id}) : p.lastHash;
  e.hash = model::eventHash(e);
  p.version = e.seq;
  p.lastHash = e.hash;
  p.updatedAt = at;
  return e;
}

// Whether Traits has the optional `static void stamp(const Projection&, Poco::JSON::Object&
// payload)`: what the creation row logs that insert() decided (the request's tracking number),
// or must not log (its contact).
template <class T, class = void>
struct HasStamp : std::false_type {};
template <class T>
struct HasStamp<T, std::void_t<decltype(T::stamp(std::declval<const typename T::Projection&>(),
                                                 std::declval<Poco::JSON::Object&>()))>>
    : std::true_type {};

// Optional Traits::notices(after, row) -> model::NoticeTo: who the applied event `row` notifies
// (the inbox) and, when its community has an enabled webhook, one outbox row. Written through
// the same WriteTx, after the event rows, so both commit or roll back with the event.
template <class T, class = void>
struct HasNotices : std::false_type {};
template <class T>
struct HasNotices<T, std::void_t<decltype(T::notices(std::declval<const typename T::Projection&>(),
                                                     std::declval<const model::EventRecord&>()))>>
    : std::true_type {};

template <class Traits, class P>
void writeNotices(model::WriteTx& tx, const P& after, const std::vector<model::EventRecord>& rows) {
  if constexpr (HasNotices<Traits>::value)
    for (const auto& r : rows) {
      const model::NoticeTo to = Traits::notices(after, r);
      if (to.empty()) continue;
      tx.addNotices(r, after.communityId, to);
      // The community's webhook hears of what the inbox hears of (workflow/Webhooks.h).
      tx.enqueueWebhook(r, after.communityId, webhookBody(r, after));
    }
}

template <class Traits>
class MachineKind : public StreamKind {
 public:
  using P = typename Traits::Projection;
  using M = typename Traits::Machine;
  using Def = EventDef<P>;

  const std::string& name() const override { return Traits::kind(); }
  std::vector<const EventInfo*> events() const override {
    std::vector<const EventInfo*> out;
    for (const auto& d : Traits::table()) out.push_back(&d);
    return out;
  }
  const std::vector<std::string>& states() const override { return Traits::states(); }
  std::string stateLabel(const std::string& s) const override { return Traits::stateLabel(s); }

  static const Def* find(const std::string& type) {
    for (const auto& d : Traits::table())
      if (d.name == type) return &d;
    return nullptr;
  }

  Applied create(WriteContext& w, int64_t communityId, const Command& cmd,
                 const Actor& actor) const override {
    const Def& def = Traits::table().front();
    if (cmd.type != def.name)
      throw Invalid(Msg("A new record starts with \"{1}\".").label(def.label));
    const auto offset = w.tx.utcOffsetOf(communityId);
    if (!offset) throw NotFound("No such community.");
    FieldContext ctx{model::localDate(w.now, *offset), &w.calendar, actor.party, w.at};
    auto payload = validated(def, *cmd.fields, ctx);
    P p = Traits::fromCreation(*payload, communityId, actor.userId, w.at);
    if (auto why = denial(def, p, actor)) throw Forbidden(*why);
    checkReferences(def, *payload, communityId, actor, w.store);
    // The community goes into the logged payload so the hash chain covers it.
    payload->set("community", static_cast<Poco::Int64>(communityId));
    Traits::insert(w.tx, p);
    if constexpr (HasStamp<Traits>::value) Traits::stamp(p, *payload);
    const P inserted = p;
    Applied out;
    out.stream = {Traits::kind(), p.id};
    out.to = p.state;
    out.rows.push_back(chainRow(Traits::kind(), p, def.name, *payload, "", p.state, actor.userId,
                                actor.party, w.at));
    w.tx.appendEvent(out.rows.back());
    Traits::save(w.tx, inserted, p);
    writeNotices<Traits>(w.tx, p, out.rows);
    out.projection = std::move(p);
    return out;
  }

  Applied apply(WriteContext& w, int64_t id, const Command& cmd,
                const Actor& actor) const override {
    const Def* def = find(cmd.type);
    if (!def || def->from.empty()) throw Invalid(Msg("Unknown event \"{1}\".").arg(cmd.type));
    int offset = 0;
    auto loaded = Traits::load(w.tx, id, &offset);
    if (!loaded) throw NotFound(Traits::notFound());
    P p = std::move(*loaded);
    // Another community's records are not probeable: they do not exist for this actor.
    if (actor.communityId != 0 && actor.communityId != p.communityId)
      throw NotFound(Traits::notFound());
    const P before = p;
    if (!def->acceptedIn(p.state)) throw Refused(Traits::notAccepted(p.state, def->name));
    if (auto why = denial(*def, p, actor)) throw Forbidden(*why);

    const model::Date today = model::localDate(w.now, offset);
    FieldContext ctx{today, &w.calendar, actor.party, w.at};
    auto payload = validated(*def, *cmd.fields, ctx);
    checkReferences(*def, *payload, p.communityId, actor, w.store, &w.tx);
    if (def->check) def->check(p, *payload, w.store);

    M machine(p, w.calendar);
    machine.restore();
    Applied out;
    out.stream = {Traits::kind(), id};
    out.from = p.state;
    run(*def, machine, p, *payload, StepInput{def->name, w.at, today, actor.party, actor.userId},
        &w.store);
    out.rows.push_back(chainRow(Traits::kind(), p, def->name, *payload, out.from, p.state,
                                actor.userId, actor.party, w.at));

    // A system event the new state calls for at once (the item's stale light after a short
    // deadline or an extension) goes into the same transaction, so nobody sees a wrong state.
    const std::string follow = Traits::followUp(p, machine, def->name, today);
    if (!follow.empty()) {
      const Def* sys = find(follow);
      FieldContext sysCtx{today, &w.calendar, "", w.at};
      auto sysPayload = validated(*sys, Poco::JSON::Object(), sysCtx);
      const std::string sysFrom = p.state;
      run(*sys, machine, p, *sysPayload, StepInput{sys->name, w.at, today, "", 0}, &w.store);
      out.rows.push_back(
          chainRow(Traits::kind(), p, sys->name, *sysPayload, sysFrom, p.state, 0, "", w.at));
    }
    for (const auto& r : out.rows) w.tx.appendEvent(r);
    Traits::save(w.tx, before, p);
    writeNotices<Traits>(w.tx, p, out.rows);
    out.to = p.state;
    out.projection = std::move(p);
    return out;
  }

  std::vector<std::string> allowed(const std::any& projection, const Actor& actor,
                                   const model::Date& today,
                                   const model::HolidayCalendar& calendar) const override {
    return allowedOn(std::any_cast<const P&>(projection), actor, today, calendar);
  }

  // allowed() for a projection the caller holds typed: no copy into a std::any (list pages ask
  // this of every row).
  static std::vector<std::string> allowedOn(const P& p, const Actor& actor,
                                            const model::Date& today,
                                            const model::HolidayCalendar& calendar) {
    FieldContext ctx{today, &calendar, actor.party, ""};
    std::vector<std::string> out;
    for (const auto& d : Traits::table()) {
      if (d.from.empty() || d.system || !d.acceptedIn(p.state)) continue;
      if (denial(d, p, actor)) continue;
      if (d.offer && !d.offer(p, ctx)) continue;
      out.push_back(d.name);
    }
    return out;
  }

  std::vector<int64_t> ids(model::Store& store) const override { return Traits::ids(store); }

  std::optional<std::any> load(model::Store& store, int64_t id) const override {
    auto p = Traits::loadStored(store, id);
    if (!p) return std::nullopt;
    return std::any(std::move(*p));
  }

  std::any replay(const std::vector<model::EventRecord>& log, int64_t id, int64_t communityId,
                  int utcOffsetMinutes, const model::HolidayCalendar& calendar) const override {
    const Def& creation = Traits::table().front();
    if (log.empty() || log.front().type != creation.name)
      throw StorageError("the log does not start with " + creation.name);
    const auto& first = log.front();
    const auto created = parsePayload(first.payload);
    if (created->has("community")) communityId = created->getValue<Poco::Int64>("community");
    P p = Traits::fromCreation(*created, communityId, first.actorUser, first.at);
    p.id = id;
    p.version = 1;
    p.lastHash = first.hash;
    p.updatedAt = first.at;

    M machine(p, calendar);
    machine.restore();
    for (size_t i = 1; i < log.size(); ++i) {
      const auto& e = log[i];
      const Def* def = find(e.type);
      if (!def) throw StorageError("unknown event type '" + e.type + "'");
      if (machine.stateName() != e.fromState)
        throw StorageError("row says from '" + e.fromState + "' but the machine is in '" +
                           machine.stateName() + "'");
      const auto payload = parsePayload(e.payload);
      const model::Date today = model::localDate(model::parseInstant(e.at), utcOffsetMinutes);
      run(*def, machine, p, *payload, StepInput{e.type, e.at, today, e.actorParty, e.actorUser},
          nullptr);
      if (p.state != e.toState)
        throw StorageError("row says to '" + e.toState + "' but the machine went to '" + p.state +
                           "'");
      p.version = e.seq;
      p.lastHash = e.hash;
      p.updatedAt = e.at;
    }
    return p;
  }

  std::string diff(const std::any& stored, const std::any& replayed) const override {
    return Traits::diff(std::any_cast<const P&>(stored), std::any_cast<const P&>(replayed));
  }
  int64_t communityOf(const std::any& p) const override {
    return std::any_cast<const P&>(p).communityId;
  }
  std::string stateOf(const std::any& p) const override { return std::any_cast<const P&>(p).state; }

  // Runs one validated event through a running machine and sets p.state. Throws Refused with
  // the machine's reason (party codes named when a store is given).
  static void run(const Def& def, M& machine, P& p, const Poco::JSON::Object& payload,
                  const StepInput& in, model::Store* store) {
    const EventPtr ev = def.decode(Payload(payload));
    machine.step(in, *ev);
    if (machine.lastStep.refused) {
      Msg why = machine.lastStep.why;
      if (store) nameParties(why, store->parties(p.communityId));
      throw Refused(why);
    }
    p.state = machine.stateName();
  }

 private:
  static Poco::JSON::Object::Ptr validated(const Def& def, const Poco::JSON::Object& fields,
                                           const FieldContext& ctx) {
    auto payload = validateFields(def, fields);
    if (def.complete) def.complete(*payload, ctx);
    return payload;
  }
};

}  // namespace liufang::workflow
