#include "workflow/Archive.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <istream>
#include <ostream>

#include "model/Errors.h"
#include "model/Hash.h"
#include "workflow/ItemKind.h"

namespace liufang::workflow {

namespace {

using Poco::JSON::Object;

constexpr int kFormat = 1;

void writeLine(std::ostream& out, const Object& o) {
  o.stringify(out);
  out << '\n';
}

Object line(const std::string& type) {
  Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("type", type);
  return o;
}

template <class T>
void sortById(std::vector<T>& v) {
  std::sort(v.begin(), v.end(), [](const T& a, const T& b) { return a.id < b.id; });
}

}  // namespace

void exportJsonl(model::Store& store, std::ostream& out, bool withPasswordHashes) {
  Object head = line("liufang-export");
  head.set("format", kFormat);
  head.set("schema", store.schemaVersion());
  writeLine(out, head);

  auto communities = store.communities();
  sortById(communities);
  std::vector<model::Party> parties;
  std::vector<model::Meeting> meetings;
  for (const auto& c : communities) {
    Object o = line("community");
    o.set("id", c.id);
    o.set("code", c.code);
    o.set("name", c.name);
    o.set("timeZone", c.timeZone);
    o.set("utcOffsetMinutes", c.utcOffsetMinutes);
    o.set("quorumRule", c.quorumRule);
    o.set("conveningParty", c.conveningParty);
    o.set("meetingRule", c.meetingRule);
    o.set("meetingTime", c.meetingTime);
    o.set("meetingPlace", c.meetingPlace);
    o.set("resolveOutsideMeeting", c.resolveOutsideMeeting);
    writeLine(out, o);
    for (auto& p : store.parties(c.id)) parties.push_back(std::move(p));
    for (auto& m : store.meetings(c.id)) meetings.push_back(std::move(m));
  }
  // By id, so that an import into a fresh store hands out the same ids.
  sortById(parties);
  for (const auto& p : parties) {
    Object o = line("party");
    o.set("id", p.id);
    o.set("communityId", p.communityId);
    o.set("code", p.code);
    o.set("name", p.name);
    o.set("sortOrder", p.sortOrder);
    o.set("shortName", p.shortName);
    o.set("colour", p.colour);
    writeLine(out, o);
  }
  // The names renamed parties had: old events and minutes show them.
  for (const auto& c : communities)
    for (const auto& n : store.partyNames(c.id)) {
      Object o = line("party_name");
      o.set("partyId", n.partyId);
      o.set("effectiveFrom", n.effectiveFrom);
      o.set("name", n.name);
      o.set("shortName", n.shortName);
      writeLine(out, o);
    }
  auto users = store.users();
  sortById(users);
  for (const auto& u : users) {
    Object o = line("user");
    o.set("id", u.id);
    o.set("username", u.username);
    o.set("displayName", u.displayName);
    o.set("communityId", u.communityId);
    o.set("party", u.party);
    o.set("convener", u.convener);
    o.set("representative", u.representative);
    o.set("supervisor", u.supervisor);
    o.set("disabled", u.disabled);
    o.set("locale", u.locale);
    if (withPasswordHashes) o.set("passwordHash", u.passwordHash);
    writeLine(out, o);
  }
  sortById(meetings);
  for (const auto& m : meetings) {
    Object o = line("meeting");
    o.set("id", m.id);
    o.set("communityId", m.communityId);
    o.set("title", m.title);
    o.set("kind", m.kind);
    o.set("date", m.date);
    o.set("location", m.location);
    o.set("minutes", m.minutes);
    o.set("published", m.published);
    writeLine(out, o);
  }

  int64_t streams = 0, events = 0;
  for (const auto& kind : builtinKinds()) {
    for (int64_t id : store.streamIds(kind->name())) {
      const auto log = store.events(model::StreamRef{kind->name(), id});
      const auto projection = kind->load(store, id);
      Object s = line("stream");
      s.set("kind", kind->name());
      s.set("id", id);
      // The community is not in every old log's first row; the projection knows it.
      s.set("communityId", projection ? kind->communityOf(*projection) : int64_t{0});
      s.set("events", static_cast<int64_t>(log.size()));
      writeLine(out, s);
      for (const auto& e : log) {
        Object o = line("event");
        o.set("kind", e.kind);
        o.set("streamId", e.streamId);
        o.set("seq", e.seq);
        o.set("at", e.at);
        o.set("actorUser", e.actorUser);
        o.set("actorParty", e.actorParty);
        o.set("event", e.type);
        o.set("payload", e.payload);
        o.set("fromState", e.fromState);
        o.set("toState", e.toState);
        o.set("prevHash", e.prevHash);
        o.set("hash", e.hash);
        writeLine(out, o);
      }
      ++streams;
      events += static_cast<int64_t>(log.size());
    }
  }
  Object end = line("end");
  end.set("streams", streams);
  end.set("events", events);
  writeLine(out, end);
  out.flush();
  if (!out) throw StorageError("export: the output could not be written");
}

namespace {

// One stream being read: its header and the rows so far, chain-checked row by row.
struct PendingStream {
  const StreamKind* kind = nullptr;
  int64_t id = 0, communityId = 0, declared = 0;
  std::vector<model::EventRecord> rows;
  std::string prev;
};

class Importer {
 public:
  Importer(model::Store& store, const model::HolidayCalendar& calendar)
      : store_(store), calendar_(calendar), kinds_(builtinKinds()) {}

  ImportReport run(std::istream& in) {
    if (!store_.communities().empty())
      throw StorageError("import: the target database is not empty");
    bool ended = false;
    for (std::string text; std::getline(in, text);) {
      ++lineNo_;
      if (text.empty()) continue;
      if (ended) fail("data after the end line");
      Object::Ptr o;
      try {
        o = Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
      } catch (const std::exception& e) {
        fail(std::string("not a JSON object: ") + e.what());
      }
      const std::string type = o->optValue<std::string>("type", "");
      if (lineNo_ == 1) {
        if (type != "liufang-export" || o->optValue<int>("format", 0) != kFormat)
          fail("not a liufang export (format 1)");
        continue;
      }
      try {
        ended = take(type, *o);
      } catch (const StorageError&) {
        throw;
      } catch (const std::exception& e) {
        fail(e.what());
      }
    }
    if (!ended) fail("the file ends without its end line (truncated?)");
    return rep_;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw StorageError("import line " + std::to_string(lineNo_) + ": " + why);
  }

  void expectId(int64_t got, const Object& o, const char* what) const {
    const int64_t want = o.getValue<int64_t>("id");
    if (got != want)
      fail(std::string(what) + " " + std::to_string(want) + " would get id " + std::to_string(got) +
           " (ids are kept; the export's ids must start at 1 without gaps)");
  }

  // Returns true at the end line.
  bool take(const std::string& type, const Object& o) {
    if (type == "community") {
      model::Community c;
      c.code = o.getValue<std::string>("code");
      c.name = o.getValue<std::string>("name");
      c.timeZone = o.getValue<std::string>("timeZone");
      c.utcOffsetMinutes = o.getValue<int>("utcOffsetMinutes");
      expectId(store_.addCommunity(c), o, "community");
      if (o.has("quorumRule")) {  // exports since meetings became streams (schema 4)
        c.quorumRule = o.getValue<std::string>("quorumRule");
        c.conveningParty = o.getValue<std::string>("conveningParty");
        c.meetingRule = o.getValue<std::string>("meetingRule");
        c.meetingTime = o.getValue<std::string>("meetingTime");
        c.meetingPlace = o.getValue<std::string>("meetingPlace");
        c.resolveOutsideMeeting = o.getValue<bool>("resolveOutsideMeeting");
        store_.updateCommunitySettings(c);
      }
      offsets_[c.id] = c.utcOffsetMinutes;
      ++rep_.communities;
    } else if (type == "party") {
      model::Party p;
      p.communityId = o.getValue<int64_t>("communityId");
      p.code = o.getValue<std::string>("code");
      p.name = o.getValue<std::string>("name");
      p.sortOrder = o.getValue<int>("sortOrder");
      // Absent in exports made before schema 5.
      p.shortName = o.optValue<std::string>("shortName", "");
      p.colour = o.optValue<std::string>("colour", "");
      expectId(store_.addParty(p), o, "party");
      ++rep_.parties;
    } else if (type == "party_name") {
      model::PartyName n;
      n.partyId = o.getValue<int64_t>("partyId");
      n.effectiveFrom = o.getValue<std::string>("effectiveFrom");
      n.name = o.getValue<std::string>("name");
      n.shortName = o.optValue<std::string>("shortName", "");
      store_.addPartyName(n);
    } else if (type == "user") {
      model::User u;
      u.username = o.getValue<std::string>("username");
      u.displayName = o.getValue<std::string>("displayName");
      u.communityId = o.getValue<int64_t>("communityId");
      u.party = o.getValue<std::string>("party");
      u.convener = o.getValue<bool>("convener");
      u.representative = o.getValue<bool>("representative");
      u.supervisor = o.getValue<bool>("supervisor");
      u.disabled = o.getValue<bool>("disabled");
      u.locale = o.getValue<std::string>("locale");
      u.passwordHash = o.optValue<std::string>("passwordHash", "");  // "": sets one later
      expectId(store_.addUser(u), o, "user");
      ++rep_.users;
    } else if (type == "meeting") {
      model::Meeting m;
      m.communityId = o.getValue<int64_t>("communityId");
      m.title = o.getValue<std::string>("title");
      m.kind = o.getValue<std::string>("kind");
      m.date = o.getValue<std::string>("date");
      m.location = o.getValue<std::string>("location");
      m.minutes = o.getValue<std::string>("minutes");
      m.published = o.getValue<bool>("published");
      // The row alone; its stream (below) brings the rest. An export from before meetings
      // had streams has none: the end line gives those their genesis rows.
      m.id = store_.addMeeting(m);
      expectId(m.id, o, "meeting");
      ++rep_.meetings;
    } else if (type == "stream") {
      flush();
      const std::string kind = o.getValue<std::string>("kind");
      pending_ = PendingStream{};
      for (const auto& k : kinds_)
        if (k->name() == kind) pending_.kind = k.get();
      if (!pending_.kind) fail("unknown machine kind '" + kind + "'");
      pending_.id = o.getValue<int64_t>("id");
      pending_.communityId = o.getValue<int64_t>("communityId");
      pending_.declared = o.getValue<int64_t>("events");
      pending_.prev = model::genesisHash(model::StreamRef{kind, pending_.id});
    } else if (type == "event") {
      if (!pending_.kind) fail("an event before its stream line");
      model::EventRecord e;
      e.kind = o.getValue<std::string>("kind");
      e.streamId = o.getValue<int64_t>("streamId");
      e.seq = o.getValue<int64_t>("seq");
      e.at = o.getValue<std::string>("at");
      e.actorUser = o.getValue<int64_t>("actorUser");
      e.actorParty = o.getValue<std::string>("actorParty");
      e.type = o.getValue<std::string>("event");
      e.payload = o.getValue<std::string>("payload");
      e.fromState = o.getValue<std::string>("fromState");
      e.toState = o.getValue<std::string>("toState");
      e.prevHash = o.getValue<std::string>("prevHash");
      e.hash = o.getValue<std::string>("hash");
      const std::string where =
          e.kind + " " + std::to_string(e.streamId) + " seq " + std::to_string(e.seq) + ": ";
      if (e.kind != pending_.kind->name() || e.streamId != pending_.id)
        fail(where + "belongs to another stream than the one being read");
      if (e.seq != static_cast<int64_t>(pending_.rows.size()) + 1) fail(where + "sequence gap");
      if (e.prevHash != pending_.prev) fail(where + "prev_hash does not match the previous row");
      if (model::eventHash(e) != e.hash) fail(where + "hash does not match the row's content");
      pending_.prev = e.hash;
      pending_.rows.push_back(std::move(e));
    } else if (type == "end") {
      flush();
      store_.backfillMeetingStreams();
      int64_t streams = 0;
      for (const auto& [k, n] : rep_.streams) streams += n;
      if (o.getValue<int64_t>("streams") != streams || o.getValue<int64_t>("events") != rep_.events)
        fail("the end line's counts differ from what was read");
      return true;
    } else {
      fail("unknown line type '" + type + "'");
    }
    return false;
  }

  // Writes the stream read so far: its projection from the machine's replay, then its rows.
  void flush() {
    if (!pending_.kind) return;
    const std::string& kind = pending_.kind->name();
    if (static_cast<int64_t>(pending_.rows.size()) != pending_.declared || pending_.rows.empty())
      fail(kind + " " + std::to_string(pending_.id) + ": " + std::to_string(pending_.rows.size()) +
           " events, the stream line says " + std::to_string(pending_.declared));
    const std::any projection =
        pending_.kind->replay(pending_.rows, pending_.id, pending_.communityId,
                              offsets_[pending_.communityId], calendar_);
    // Each kind's projection has its own insert. A request's contact is not in its log, so
    // it is not exported and not imported.
    auto tx = store_.beginWrite();
    if (kind == "request") {
      tx->importRequest(std::any_cast<const model::Request&>(projection));
    } else if (kind == "item") {
      model::Item item = std::any_cast<model::Item>(projection);
      if (tx->insertItem(item) != pending_.id)
        fail("item " + std::to_string(pending_.id) + " would get id " + std::to_string(item.id) +
             " (ids are part of the hash chain; the export's must start at 1 without gaps)");
    } else if (kind == "meeting") {
      // Its row came with the meeting line (same id); the replay fills in the rest.
      const model::Meeting m = std::any_cast<model::Meeting>(projection);
      auto row = tx->loadMeeting(pending_.id);
      if (!row) fail("meeting " + std::to_string(pending_.id) + " has a stream but no meeting line");
      tx->updateMeeting(m, row->version, true);
    } else {
      fail("importing streams of kind '" + kind + "' is not supported yet");
    }
    for (const auto& e : pending_.rows) tx->appendEvent(e);
    tx->commit();
    ++rep_.streams[kind];
    rep_.events += static_cast<int64_t>(pending_.rows.size());
    pending_ = PendingStream{};
  }

  model::Store& store_;
  const model::HolidayCalendar& calendar_;
  std::vector<std::unique_ptr<StreamKind>> kinds_;
  std::map<int64_t, int> offsets_;
  PendingStream pending_;
  ImportReport rep_;
  int64_t lineNo_ = 0;
};

}  // namespace

ImportReport importJsonl(std::istream& in, model::Store& store,
                         const model::HolidayCalendar& calendar) {
  return Importer(store, calendar).run(in);
}

}  // namespace liufang::workflow
