#include "workflow/MachineKind.h"

#include <Poco/JSON/Array.h>

namespace liufang::workflow {

void nameParties(Msg& msg, const std::vector<model::Party>& roster) {
  Msg named(msg.id());
  for (const auto& a : msg.args()) {
    if (a.translate) {
      named.label(a.text);
      continue;
    }
    auto it = std::find_if(roster.begin(), roster.end(),
                           [&](const model::Party& p) { return p.code == a.text; });
    named.arg(it == roster.end() ? a.text : it->name);
  }
  msg = std::move(named);
}

void checkReferences(const EventInfo& def, const Poco::JSON::Object& payload, int64_t communityId,
                     const Actor& actor, model::Store& store, model::WriteTx* tx) {
  std::vector<model::Party> roster;
  bool rosterRead = false;
  auto onRoster = [&](const FieldDef& f, const std::string& code) {
    if (code == actor.party && !actor.party.empty()) return;  // checked when the user was made
    if (!rosterRead) roster = store.parties(communityId), rosterRead = true;
    if (std::none_of(roster.begin(), roster.end(),
                     [&](const model::Party& p) { return p.code == code; }))
      throw Invalid(Msg("{1}: \"{2}\" is not a party of this community.").label(f.label).arg(code));
  };
  for (const auto& f : def.fields) {
    if (!payload.has(f.name)) continue;
    switch (f.kind) {
      case FieldKind::Party:
        onRoster(f, payload.getValue<std::string>(f.name));
        break;
      case FieldKind::Parties:
        if (auto arr = payload.getArray(f.name))
          for (size_t i = 0; i < arr->size(); ++i) onRoster(f, arr->get(i).toString());
        break;
      case FieldKind::ItemRef: {
        const int64_t id = payload.getValue<Poco::Int64>(f.name);
        auto item = tx ? tx->loadItem(id) : store.findItem(id);
        if (!item || item->communityId != communityId)
          throw Invalid(Msg("{1}: no such item in this community.").label(f.label));
        break;
      }
      case FieldKind::ItemRefs:
        if (auto arr = payload.getArray(f.name))
          for (size_t i = 0; i < arr->size(); ++i) {
            const auto id = arr->get(i).convert<Poco::Int64>();
            auto item = store.findItem(id);
            if (!item || item->communityId != communityId)
              throw Invalid(Msg("{1}: item {2} is not in this community.")
                                .label(f.label)
                                .arg(static_cast<long long>(id)));
          }
        break;
      case FieldKind::Attendance:
        if (auto arr = payload.getArray(f.name))
          for (size_t i = 0; i < arr->size(); ++i)
            onRoster(f, arr->getObject(static_cast<unsigned>(i))->getValue<std::string>("party"));
        break;
      case FieldKind::MeetingRef: {
        auto m = store.findMeeting(payload.getValue<Poco::Int64>(f.name));
        if (!m || m->communityId != communityId)
          throw Invalid(Msg("{1}: no such meeting in this community.").label(f.label));
        break;
      }
      default:
        break;
    }
  }
}

}  // namespace liufang::workflow
