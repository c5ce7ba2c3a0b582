#include "workflow/Meetings.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <map>

#include "workflow/Payload.h"

namespace liufang::workflow {
namespace {

using Obj = Poco::JSON::Object;
using Arr = Poco::JSON::Array;

std::string nameOf(const std::vector<model::Party>& roster, const std::string& code) {
  for (const auto& p : roster)
    if (p.code == code) return p.name;
  return code;
}

// Whether an item event belongs to meeting m (see minutesModel).
bool during(const model::EventRecord& e, const Obj& payload, const model::Meeting& m) {
  if (payload.has("meeting")) return payload.getValue<Poco::Int64>("meeting") == m.id;
  if (m.openedAt.empty() || e.at < m.openedAt) return false;
  return m.adjournedAt.empty() || e.at <= m.adjournedAt;
}

Obj::Ptr itemMinutes(model::Store& store, const model::Item& item, const model::Meeting& m,
                     const std::vector<model::Party>& roster) {
  Obj::Ptr o = new Obj;
  o->set("id", static_cast<Poco::Int64>(item.id));
  o->set("title", item.title);
  o->set("proposer", item.proposerParty);
  o->set("proposer_name", nameOf(roster, item.proposerParty));
  std::map<std::string, Obj::Ptr> positions;
  std::string outcome = "discussed";
  bool resolvedHere = false;
  for (const auto& e : store.events(model::StreamRef{"item", item.id})) {
    const auto payload = parsePayload(e.payload);
    Payload p(*payload);
    if (resolvedHere && e.type == "assign") {
      // The assignment that followed the decision, whenever it was made.
      o->set("lead", p.str("lead"));
      o->set("lead_name", nameOf(roster, p.str("lead")));
      Arr::Ptr co = new Arr;
      for (const auto& c : p.list("co")) {
        Obj::Ptr one = new Obj;
        one->set("party", c);
        one->set("name", nameOf(roster, c));
        co->add(one);
      }
      o->set("co", co);
      o->set("standard", p.str("standard"));
      o->set("due", p.str("due"));
      if (p.has("objection_addressed"))
        o->set("objection_addressed", p.str("objection_addressed"));
      resolvedHere = false;
      continue;
    }
    if (!during(e, *payload, m)) continue;
    if (e.type == "log_position") {
      Obj::Ptr pos = new Obj;
      pos->set("party", p.str("party"));
      pos->set("name", nameOf(roster, p.str("party")));
      pos->set("stance", p.str("stance"));
      pos->set("reason", p.str("reason"));
      pos->set("at", e.at);
      positions[p.str("party")] = pos;
    } else if (e.type == "resolve") {
      outcome = "resolved";
      resolvedHere = true;
      o->set("decision", p.str("decision"));
      if (auto tally = payload->getObject("tally")) o->set("tally", tally);
    } else if (e.type == "defer") {
      outcome = "deferred";
      o->set("reason", p.str("reason"));
    } else if (e.type == "dismiss") {
      outcome = "dismissed";
      o->set("response", p.str("response"));
    }
  }
  o->set("outcome", outcome);
  Arr::Ptr list = new Arr;
  for (const auto& party : roster) {
    auto it = positions.find(party.code);
    if (it != positions.end()) list->add(it->second);
  }
  o->set("positions", list);
  return o;
}

}  // namespace

const std::vector<std::string>& quorumRules() {
  static const std::vector<std::string> rules = {"majority_and_convener", "majority",
                                                 "two_thirds", "all"};
  return rules;
}

std::string conveningPartyOf(const model::Community& c, const std::vector<model::Party>& roster) {
  if (!c.conveningParty.empty()) return c.conveningParty;
  return roster.empty() ? std::string() : roster.front().code;
}

Quorum quorumOf(const model::Community& c, const std::vector<model::Party>& roster,
                const model::Meeting& m) {
  Quorum q;
  q.rule = c.quorumRule.empty() ? "majority_and_convener" : c.quorumRule;
  q.roster = static_cast<int>(roster.size());
  for (const auto& p : roster)
    if (m.present(p.code)) ++q.present;
  if (q.rule == "all")
    q.needed = q.roster;
  else if (q.rule == "two_thirds")
    q.needed = (2 * q.roster + 2) / 3;
  else
    q.needed = q.roster / 2 + 1;
  q.conveningParty = conveningPartyOf(c, roster);
  q.conveningPresent = m.present(q.conveningParty);
  const bool needsConvener = q.rule == "majority_and_convener";
  q.met = q.present >= q.needed && (!needsConvener || q.conveningPresent);
  if (q.present < q.needed)
    q.why = Msg("No quorum: {1} of {2} parties present, {3} needed.")
                .arg(static_cast<long long>(q.present))
                .arg(static_cast<long long>(q.roster))
                .arg(static_cast<long long>(q.needed));
  else if (needsConvener && !q.conveningPresent)
    q.why = Msg("No quorum: the convening party \"{1}\" is not present.")
                .arg(nameOf(roster, q.conveningParty));
  return q;
}

std::vector<std::string> notSpoken(const model::Item& item, const model::Meeting& m,
                                   const std::vector<model::Party>& roster) {
  std::vector<std::string> out;
  for (const auto& p : roster) {
    if (!m.present(p.code)) continue;
    if (std::none_of(item.positions.begin(), item.positions.end(),
                     [&](const model::Position& pos) { return pos.party == p.code; }))
      out.push_back(p.code);
  }
  return out;
}

Poco::JSON::Object::Ptr minutesModel(model::Store& store, const model::Meeting& m) {
  const auto roster = store.parties(m.communityId);
  Obj::Ptr o = new Obj;
  o->set("title", m.title);
  o->set("kind", m.kind);
  o->set("date", m.date);
  o->set("time", m.time);
  o->set("place", m.location);
  o->set("preamble", m.preamble);
  o->set("closing", m.closing);
  std::string convener;
  if (m.convenerUser != 0)
    if (auto u = store.findUser(m.convenerUser)) convener = u->displayName;
  o->set("convener", convener);
  Arr::Ptr attendance = new Arr;
  for (const auto& p : roster) {
    Obj::Ptr a = new Obj;
    a->set("party", p.code);
    a->set("name", p.name);
    const auto* row = m.attendanceOf(p.code);
    a->set("status", row ? row->status : std::string());
    a->set("delegate", row ? row->delegate : std::string());
    attendance->add(a);
  }
  o->set("attendance", attendance);
  Arr::Ptr items = new Arr;
  for (const int64_t id : m.agenda)
    if (auto item = store.findItem(id)) items->add(itemMinutes(store, *item, m, roster));
  o->set("items", items);
  return o;
}

std::optional<MeetingView> meetingView(model::Store& store, int64_t id) {
  auto m = store.findMeeting(id);
  if (!m) return std::nullopt;
  MeetingView v;
  v.meeting = *m;
  if (auto c = store.findCommunity(m->communityId)) v.community = *c;
  v.roster = store.parties(m->communityId);
  for (const auto& p : v.roster) {
    const auto* a = m->attendanceOf(p.code);
    v.attendance.push_back(
        {p.code, p.name, a ? a->status : std::string(), a ? a->delegate : std::string()});
  }
  for (const int64_t itemId : m->agenda) {
    auto item = store.findItem(itemId);
    if (!item) continue;
    AgendaEntry e;
    e.item = std::move(*item);
    e.notSpoken = notSpoken(e.item, *m, v.roster);
    e.meetingsOn = static_cast<int>(store.meetingsWithItem(itemId).size());
    v.agenda.push_back(std::move(e));
  }
  v.quorum = quorumOf(v.community, v.roster, *m);
  for (const auto& p : v.roster) {
    if (!m->present(p.code)) continue;
    SignatureLine line;
    line.party = p.code;
    line.name = p.name;
    for (const auto& s : m->signatures)
      if (s.party == p.code)
        line.isSigned = true, line.userId = s.userId, line.at = s.at, line.note = s.note;
    v.signatures.push_back(std::move(line));
  }
  if (m->state == "minutes_published") {
    v.minutesFrozen = true;
    try {
      v.minutes = Poco::JSON::Parser().parse(m->minutes).extract<Obj::Ptr>();
    } catch (const std::exception&) {
      v.minutes = nullptr;  // an upgraded old meeting: its minutes were plain text
      v.legacyMinutes = m->minutes;
    }
  } else {
    v.minutes = minutesModel(store, *m);
  }
  return v;
}

bool validTime(const std::string& t) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return t.size() == 5 && t[2] == ':' && digit(t[0]) && digit(t[1]) && digit(t[3]) &&
         digit(t[4]) && std::stoi(t.substr(0, 2)) < 24 && std::stoi(t.substr(3, 2)) < 60;
}

std::optional<model::Date> nextRegularDate(const std::string& rule, const model::Date& after) {
  auto num = [](const std::string& s) -> int {
    return s.size() == 1 && s[0] >= '1' && s[0] <= '7' ? s[0] - '0' : 0;
  };
  if (rule.rfind("weekly:", 0) == 0) {
    const int wd = num(rule.substr(7));
    if (wd == 0) return std::nullopt;
    model::Date d = after.plusDays(1);
    while (d.weekday() != wd) d = d.plusDays(1);
    return d;
  }
  if (rule.rfind("monthly:", 0) == 0 && rule.size() == 11 && rule[9] == ':') {
    const int n = num(rule.substr(8, 1)), wd = num(rule.substr(10, 1));
    if (n == 0 || n > 5 || wd == 0) return std::nullopt;
    // The Nth (or last) weekday wd of the month of `d`.
    auto inMonth = [&](int year, int month) {
      model::Date first{year, month, 1};
      model::Date d = first;
      while (d.weekday() != wd) d = d.plusDays(1);
      if (n < 5) return d.plusDays(7 * (n - 1));
      while (d.plusDays(7).month == month) d = d.plusDays(7);
      return d;
    };
    int y = after.year, mo = after.month;
    for (int i = 0; i < 3; ++i) {
      const model::Date d = inMonth(y, mo);
      if (after < d) return d;
      if (++mo > 12) mo = 1, ++y;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace liufang::workflow
