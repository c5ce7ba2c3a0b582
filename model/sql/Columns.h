#pragma once
// Row columns: one field list per row struct, shared by the Poco TypeHandlers (read side) and
// the prepared-statement paths (Step, SqlWriteTx): the generic row mapper.
#include <Poco/Data/TypeHandler.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

#include "model/Store.h"

namespace liufang::model::sql {

// Columns<Row>::each(row, f) calls f on each stored field in the order of Columns<Row>::sql.
// Row may be const (binding) or not (extraction).
template <class Row>
struct Columns;

template <>
struct Columns<Item> {
  // Everything but id: what INSERT and UPDATE write.
  static constexpr const char* data =
      "community_id, title, description, proposer_party, proposer_user, state, outcome, "
      "response, decision, standard, due, extension_due, extension_reason, result, rating, "
      "rating_comment, urge_count, escalated, rework_count, meeting_id, merged_into, created_at, "
      "updated_at, assigned_at, submitted_at, closed_at, version, last_hash, ladder_tier";
  template <class R, class F>
  static void eachData(R& i, F&& f) {
    f(i.communityId), f(i.title), f(i.description), f(i.proposerParty), f(i.proposerUser);
    f(i.state), f(i.outcome), f(i.response), f(i.decision), f(i.standard), f(i.due);
    f(i.extensionDue), f(i.extensionReason), f(i.result), f(i.rating), f(i.ratingComment);
    f(i.urgeCount), f(i.escalated), f(i.reworkCount), f(i.meetingId), f(i.mergedInto);
    f(i.createdAt), f(i.updatedAt), f(i.assignedAt), f(i.submittedAt), f(i.closedAt);
    f(i.version), f(i.lastHash), f(i.ladderTier);
  }
  template <class R, class F>
  static void each(R& i, F&& f) {
    f(i.id);
    eachData(i, f);
  }
  // The column list, each name prefixed (e.g. "i.") when the query joins other tables.
  static std::string sql(const std::string& prefix = "") {
    if (prefix.empty()) return std::string("id, ") + data;
    std::string out = prefix + "id";
    std::string rest = data;
    for (size_t start = 0; start < rest.size();) {
      size_t end = rest.find(',', start);
      if (end == std::string::npos) end = rest.size();
      size_t b = rest.find_first_not_of(' ', start);
      out += ", " + prefix + rest.substr(b, end - b);
      start = end + 1;
    }
    return out;
  }
};

template <>
struct Columns<Request> {
  // Everything but id: what INSERT and UPDATE write (the contact lives in request_contacts).
  static constexpr const char* data =
      "community_id, number, title, description, location, state, reply, reject_reason, "
      "item_id, created_at, updated_at, replied_at, version, last_hash";
  template <class R, class F>
  static void eachData(R& r, F&& f) {
    f(r.communityId), f(r.number), f(r.title), f(r.description), f(r.location), f(r.state);
    f(r.reply), f(r.rejectReason), f(r.itemId), f(r.createdAt), f(r.updatedAt), f(r.repliedAt);
    f(r.version), f(r.lastHash);
  }
  template <class R, class F>
  static void each(R& r, F&& f) {
    f(r.id);
    eachData(r, f);
  }
  static std::string sql() { return std::string("id, ") + data; }
};

template <>
struct Columns<EventRecord> {
  static std::string sql() {
    return "kind, stream_id, seq, at, actor_user, actor_party, type, payload, from_state, "
           "to_state, prev_hash, hash";
  }
  template <class R, class F>
  static void each(R& e, F&& f) {
    f(e.kind), f(e.streamId), f(e.seq), f(e.at), f(e.actorUser), f(e.actorParty), f(e.type),
        f(e.payload);
    f(e.fromState), f(e.toState), f(e.prevHash), f(e.hash);
  }
};

template <>
struct Columns<Community> {
  static std::string sql() {
    return "id, code, name, time_zone, utc_offset_minutes, quorum_rule, convening_party, "
           "meeting_rule, meeting_time, meeting_place, resolve_outside_meeting, due_soon_days";
  }
  template <class R, class F>
  static void each(R& c, F&& f) {
    f(c.id), f(c.code), f(c.name), f(c.timeZone), f(c.utcOffsetMinutes);
    f(c.quorumRule), f(c.conveningParty), f(c.meetingRule), f(c.meetingTime), f(c.meetingPlace);
    f(c.resolveOutsideMeeting), f(c.dueSoonDays);
  }
};

template <>
struct Columns<Party> {
  static std::string sql() {
    return "id, community_id, code, name, sort_order, short_name, colour";
  }
  template <class R, class F>
  static void each(R& p, F&& f) {
    f(p.id), f(p.communityId), f(p.code), f(p.name), f(p.sortOrder), f(p.shortName), f(p.colour);
  }
};

// users.community_id is NULL for "no community"; reads fold it to 0.
template <>
struct Columns<User> {
  static std::string sql() {
    return "id, username, display_name, COALESCE(community_id, 0), party, convener, "
           "representative, supervisor, disabled, password_hash, locale";
  }
  template <class R, class F>
  static void each(R& u, F&& f) {
    f(u.id), f(u.username), f(u.displayName), f(u.communityId), f(u.party), f(u.convener);
    f(u.representative), f(u.supervisor), f(u.disabled), f(u.passwordHash), f(u.locale);
  }
};

template <>
struct Columns<Meeting> {
  // Everything but id and the child rows: what INSERT and UPDATE write.
  static constexpr const char* data =
      "community_id, title, kind, date, location, minutes, published, time, state, preamble, "
      "closing, adjourn_note, cancel_reason, convener_user, created_at, updated_at, opened_at, "
      "adjourned_at, published_at, version, last_hash";
  static std::string sql() { return std::string("id, ") + data; }
  template <class R, class F>
  static void eachData(R& m, F&& f) {
    f(m.communityId), f(m.title), f(m.kind), f(m.date), f(m.location), f(m.minutes);
    f(m.published), f(m.time), f(m.state), f(m.preamble), f(m.closing), f(m.adjournNote);
    f(m.cancelReason), f(m.convenerUser), f(m.createdAt), f(m.updatedAt), f(m.openedAt);
    f(m.adjournedAt), f(m.publishedAt), f(m.version), f(m.lastHash);
  }
  template <class R, class F>
  static void each(R& m, F&& f) {
    f(m.id);
    eachData(m, f);
  }
};

template <>
struct Columns<PartyName> {
  static std::string sql() {
    return "n.party_id, p.code, n.effective_from, n.name, n.short_name";
  }
  template <class R, class F>
  static void each(R& n, F&& f) {
    f(n.partyId), f(n.code), f(n.effectiveFrom), f(n.name), f(n.shortName);
  }
};

template <>
struct Columns<WebSession> {
  static std::string sql() {
    return "token_hash, user_id, csrf_token, created_at, last_seen_at, locale";
  }
  template <class R, class F>
  static void each(R& s, F&& f) {
    f(s.tokenHash), f(s.userId), f(s.csrfToken), f(s.createdAt), f(s.lastSeenAt), f(s.locale);
  }
};

// Child rows read for many items at once carry their item id.
struct HandlerRow {
  int64_t itemId = 0;
  Handler h;
};
template <>
struct Columns<HandlerRow> {
  static std::string sql() { return "item_id, party, is_lead, done"; }
  template <class R, class F>
  static void each(R& r, F&& f) {
    f(r.itemId), f(r.h.party), f(r.h.lead), f(r.h.done);
  }
};

struct PositionRow {
  int64_t itemId = 0;
  Position p;
};
template <>
struct Columns<PositionRow> {
  static std::string sql() { return "item_id, party, stance, reason, at, user_id"; }
  template <class R, class F>
  static void each(R& r, F&& f) {
    f(r.itemId), f(r.p.party), f(r.p.stance), f(r.p.reason), f(r.p.at), f(r.p.userId);
  }
};

// "a, b, c" -> "a = ?, b = ?, c = ?"
inline std::string assignments(const std::string& columns) {
  std::string out;
  size_t start = 0;
  while (start < columns.size()) {
    size_t comma = columns.find(',', start);
    if (comma == std::string::npos) comma = columns.size();
    if (!out.empty()) out += ", ";
    out += columns.substr(start, comma - start) + " = ?";
    start = comma + 1;
    while (start < columns.size() && columns[start] == ' ') ++start;
  }
  return out;
}

// "a, b, c" -> "?, ?, ?"
inline std::string placeholders(const std::string& columns) {
  std::string out = "?";
  for (char c : columns)
    if (c == ',') out += ", ?";
  return out;
}

}  // namespace liufang::model::sql

// Poco binds and extracts the row structs through these (Data/samples/TypeHandler style).
namespace Poco::Data {

template <class Row>
class RowTypeHandler : public AbstractTypeHandler {
  using Cols = liufang::model::sql::Columns<Row>;

 public:
  static std::size_t size() {
    static const std::size_t n = [] {
      Row r;
      std::size_t k = 0;
      Cols::each(r, [&](auto&) { ++k; });
      return k;
    }();
    return n;
  }
  static void bind(std::size_t pos, const Row& r, AbstractBinder::Ptr b,
                   AbstractBinder::Direction dir) {
    Cols::each(
        r, [&](const auto& v) { TypeHandler<std::decay_t<decltype(v)>>::bind(pos++, v, b, dir); });
  }
  static void prepare(std::size_t pos, const Row& r, AbstractPreparator::Ptr p) {
    Cols::each(
        r, [&](const auto& v) { TypeHandler<std::decay_t<decltype(v)>>::prepare(pos++, v, p); });
  }
  static void extract(std::size_t pos, Row& r, const Row&, AbstractExtractor::Ptr e) {
    Cols::each(r, [&](auto& v) {
      using T = std::decay_t<decltype(v)>;
      TypeHandler<T>::extract(pos++, v, T{}, e);
    });
  }
};

template <>
class TypeHandler<liufang::model::Item> : public RowTypeHandler<liufang::model::Item> {};
template <>
class TypeHandler<liufang::model::EventRecord>
    : public RowTypeHandler<liufang::model::EventRecord> {};
template <>
class TypeHandler<liufang::model::Community> : public RowTypeHandler<liufang::model::Community> {};
template <>
class TypeHandler<liufang::model::Party> : public RowTypeHandler<liufang::model::Party> {};
template <>
class TypeHandler<liufang::model::User> : public RowTypeHandler<liufang::model::User> {};
template <>
class TypeHandler<liufang::model::Meeting> : public RowTypeHandler<liufang::model::Meeting> {};
template <>
class TypeHandler<liufang::model::WebSession> : public RowTypeHandler<liufang::model::WebSession> {
};
template <>
class TypeHandler<liufang::model::sql::HandlerRow>
    : public RowTypeHandler<liufang::model::sql::HandlerRow> {};
template <>
class TypeHandler<liufang::model::sql::PositionRow>
    : public RowTypeHandler<liufang::model::sql::PositionRow> {};

}  // namespace Poco::Data
