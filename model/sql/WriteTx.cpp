// The SQLite write transaction (see WriteTx.h).
#include "model/sql/WriteTx.h"

#include <spdlog/spdlog.h>

#include <map>

#include "model/Errors.h"
#include "model/sql/Columns.h"
#include "model/sql/MeetingRows.h"
#include "model/sql/ScoreSummary.h"

namespace liufang::model::sql {
namespace {

void bindItemData(Step& s, const Item& item) {
  Columns<Item>::eachData(item, [&](const auto& v) { s.bind(v); });
}

class SqlWriteTx : public WriteTx {
 public:
  // `slot` is the process's writer slot (see SqlStore::beginWrite); held until destruction.
  SqlWriteTx(std::unique_lock<std::timed_mutex> slot, ConnectionPool::Lease lease)
      : slot_(std::move(slot)), c_(std::move(lease)) {
    Step(*c_, Hot::Begin).run();
  }

  ~SqlWriteTx() override {
    if (sqlite3_get_autocommit(c_->handle())) return;  // committed
    // Rolling back must not throw from a destructor; a failure here leaves the connection's
    // transaction to the pool's check when the lease goes back.
    try {
      Step(*c_, Hot::Rollback).run();
    } catch (const std::exception& e) {
      spdlog::error("rollback failed: {}", e.what());
    }
  }

  std::optional<Item> loadItem(int64_t id, int* utcOffsetMinutes) override {
    open();
    Item item;
    {
      Step s(*c_, Hot::SelectItem);
      s.bind(id);
      if (!s.row()) return std::nullopt;
      int col = 0;
      Columns<Item>::each(item, [&](auto& v) { s.read(col++, v); });
      if (utcOffsetMinutes) s.read(col, *utcOffsetMinutes);
      s.read(col + 1, item.sessionMeetingId);
      scored_[id] = readScoreRowAt(s, col + 2);
    }
    Step s(*c_, Hot::SelectChildren);
    s.bind(id).bind(id);
    while (s.row()) {
      int64_t k = 0;
      s.read(0, k);
      if (k == 0) {
        Handler h;
        s.read(1, h.party), s.read(2, h.lead), s.read(3, h.done);
        item.handlers.push_back(std::move(h));
      } else {
        Position p;
        s.read(1, p.party), s.read(4, p.stance), s.read(5, p.reason), s.read(6, p.at);
        s.read(7, p.userId);
        item.positions.push_back(std::move(p));
      }
    }
    return item;
  }

  int64_t insertItem(Item& item) override {
    open();
    {
      Step s(*c_, Hot::InsertItem);
      bindItemData(s, item);
      if (!s.row()) throw StorageError("INSERT ... RETURNING id returned no row");
      s.read(0, item.id);
    }
    writeHandlers(item, false);
    writePositions(item, false);
    auto scored = readScoreRow(*c_, item.id);
    applyScoreChange(*c_, std::nullopt, scored);
    if (scored) scored_[item.id] = std::move(*scored);
    return item.id;
  }

  void updateItem(const Item& item, int64_t expectedVersion, bool handlersChanged,
                  bool positionsChanged) override {
    open();
    // The desk's totals move from the row as it was (read with the item, or just now) to the
    // row as it is (ScoreSummary.h).
    const auto known = scored_.find(item.id);
    const std::optional<ScoreRow> scoredBefore = known != scored_.end()
                                                     ? std::optional<ScoreRow>(known->second)
                                                     : readScoreRow(*c_, item.id);
    int changed = 0;
    {
      Step s(*c_, Hot::UpdateItem);
      bindItemData(s, item);
      s.bind(item.id).bind(expectedVersion);
      changed = s.run();
    }
    if (changed == 0)
      throw Conflict(Msg("Item {1} was changed by someone else; reload and try again.")
                         .arg(static_cast<long long>(item.id)));
    if (handlersChanged) writeHandlers(item, true);
    if (positionsChanged) writePositions(item, true);
    auto scoredAfter = readScoreRow(*c_, item.id);
    applyScoreChange(*c_, scoredBefore, scoredAfter);
    if (scoredAfter) scored_[item.id] = std::move(*scoredAfter);
  }

  void appendEvent(const EventRecord& e) override {
    open();
    try {
      Step s(*c_, Hot::InsertEvent);
      Columns<EventRecord>::each(e, [&](const auto& v) { s.bind(v); });
      s.run();
    } catch (const Conflict&) {
      throw Conflict(Msg("Record {1} {2} was changed by someone else (it already has event {3}); "
                         "reload and try again.")
                         .arg(e.kind)
                         .arg(static_cast<long long>(e.streamId))
                         .arg(static_cast<long long>(e.seq)));
    }
  }

  void commit() override {
    open();
    Step(*c_, Hot::Commit).run();
  }

  std::optional<Meeting> loadMeeting(int64_t id, int* utcOffsetMinutes) override {
    open();
    return readMeeting(*c_, id, utcOffsetMinutes);
  }

  int64_t insertMeeting(Meeting& m) override {
    open();
    return sql::insertMeeting(*c_, m);
  }

  void updateMeeting(const Meeting& m, int64_t expectedVersion, bool childrenChanged) override {
    open();
    sql::updateMeeting(*c_, m, expectedVersion, childrenChanged ? kAllChildren : 0u);
  }

  std::optional<int> utcOffsetOf(int64_t communityId) override {
    open();
    Step s(*c_, Hot::SelectUtcOffset);
    s.bind(communityId);
    if (!s.row()) return std::nullopt;
    int offset = 0;
    s.read(0, offset);
    return offset;
  }

  std::optional<Request> loadRequest(int64_t id, int* utcOffsetMinutes) override {
    open();
    static const std::string sql =
        "SELECT " + Columns<Request>::sql() +
        ", (SELECT utc_offset_minutes FROM communities c WHERE c.id = requests.community_id)"
        " FROM requests WHERE id = ?";
    Step s(*c_, sql);
    s.bind(id);
    if (!s.row()) return std::nullopt;
    Request r;
    int col = 0;
    Columns<Request>::each(r, [&](auto& v) { s.read(col++, v); });
    if (utcOffsetMinutes) s.read(col, *utcOffsetMinutes);
    return r;
  }

  int64_t insertRequest(Request& r, int year) override {
    open();
    // The counter row is bumped (or started) and read back inside this transaction: numbers
    // are sequential per community and year, and a rolled-back submission gives its number
    // back.
    int64_t seq = 0;
    {
      Step s(*c_,
             std::string("INSERT INTO request_counters (community_id, year, last) VALUES (?, ?, 1)"
                         " ON CONFLICT (community_id, year) DO UPDATE SET last = last + 1"
                         " RETURNING last"));
      s.bind(r.communityId).bind(year);
      if (!s.row()) throw StorageError("request counter returned no row");
      s.read(0, seq);
    }
    std::string prefix;
    {
      Step s(*c_, std::string("SELECT COALESCE((SELECT prefix FROM request_prefixes"
                              " WHERE community_id = c.id), UPPER(c.code)) FROM communities c"
                              " WHERE c.id = ?"));
      s.bind(r.communityId);
      if (!s.row()) throw NotFound("No such community.");
      s.read(0, prefix);
    }
    r.number = formatRequestNumber(prefix, year, seq);
    {
      static const std::string sql = std::string("INSERT INTO requests (") +
                                     Columns<Request>::data + ") VALUES (" +
                                     placeholders(Columns<Request>::data) + ") RETURNING id";
      Step s(*c_, sql);
      Columns<Request>::eachData(r, [&](const auto& v) { s.bind(v); });
      if (!s.row()) throw StorageError("INSERT ... RETURNING id returned no row");
      s.read(0, r.id);
    }
    if (!r.contact.empty()) {
      Step s(*c_, std::string("INSERT INTO request_contacts (request_id, contact) VALUES (?, ?)"));
      s.bind(r.id).bind(r.contact);
      s.run();
    }
    return r.id;
  }

  void updateRequest(const Request& r, int64_t expectedVersion) override {
    open();
    static const std::string sql = "UPDATE requests SET " + assignments(Columns<Request>::data) +
                                   " WHERE id = ? AND version = ?";
    Step s(*c_, sql);
    Columns<Request>::eachData(r, [&](const auto& v) { s.bind(v); });
    s.bind(r.id).bind(expectedVersion);
    if (s.run() == 0)
      throw Conflict(
          Msg("Request {1} was changed by someone else; reload and try again.").arg(r.number));
  }

  void importRequest(const Request& r) override {
    open();
    {
      static const std::string sql = std::string("INSERT INTO requests (id, ") +
                                     Columns<Request>::data + ") VALUES (?, " +
                                     placeholders(Columns<Request>::data) + ")";
      Step s(*c_, sql);
      s.bind(r.id);
      Columns<Request>::eachData(r, [&](const auto& v) { s.bind(v); });
      s.run();
    }
    // "PREFIX-YYYY-NNNN": the counter and prefix that number came from.
    const size_t last = r.number.rfind('-');
    const size_t mid =
        last == std::string::npos || last == 0 ? std::string::npos : r.number.rfind('-', last - 1);
    if (mid == std::string::npos) throw StorageError("malformed tracking number " + r.number);
    const std::string prefix = r.number.substr(0, mid);
    const int64_t year = std::stoll(r.number.substr(mid + 1, last - mid - 1));
    const int64_t seq = std::stoll(r.number.substr(last + 1));
    {
      Step s(*c_, std::string("INSERT INTO request_counters (community_id, year, last)"
                              " VALUES (?, ?, ?) ON CONFLICT (community_id, year)"
                              " DO UPDATE SET last = MAX(last, excluded.last)"));
      s.bind(r.communityId).bind(year).bind(seq);
      s.run();
    }
    Step s(*c_, std::string("INSERT INTO request_prefixes (community_id, prefix) VALUES (?, ?)"
                            " ON CONFLICT (community_id) DO UPDATE SET prefix = excluded.prefix"));
    s.bind(r.communityId).bind(prefix);
    s.run();
  }

  void addNotices(const EventRecord& e, int64_t communityId, const NoticeTo& to) override {
    open();
    if (to.empty()) return;
    // Recipients are resolved here, in one statement over users, so a role or party change
    // takes effect at the next event and a refused event (rolled back) leaves no notice.
    // Party codes are matched inside a unit-separator-delimited list.
    std::string parties(1, '\x1f');
    for (const auto& p : to.parties) parties += p + '\x1f';
    static const std::string sql =
        "INSERT INTO inbox (user_id, kind, stream_id, seq, type, at)"
        " SELECT id, ?, ?, ?, ?, ? FROM users WHERE disabled = 0 AND ("
        " (representative = 1 AND community_id = ? AND"
        "  (? OR (party <> '' AND instr(?, char(31) || party || char(31)) > 0)))"
        " OR (? AND supervisor = 1 AND COALESCE(community_id, 0) IN (0, ?)))";
    Step s(*c_, sql);
    s.bind(e.kind).bind(e.streamId).bind(e.seq).bind(e.type).bind(e.at);
    s.bind(communityId).bind(to.allRepresentatives).bind(parties).bind(to.supervisors);
    s.bind(communityId);
    s.run();
  }

  void enqueueWebhook(const EventRecord& e, int64_t communityId, const std::string& body) override {
    open();
    // One statement whether or not a webhook is on: the SELECT yields no row when it is not.
    // The community's code and the actor's name are joined in here rather than read first.
    static const std::string sql =
        "INSERT INTO webhook_outbox (community_id, kind, stream_id, seq, type, body, created_at,"
        " next_attempt_at)"
        " SELECT w.community_id, ?, ?, ?, ?,"
        " json_set(?, '$.community', c.code,"
        "  '$.actor.name', (SELECT display_name FROM users WHERE id = ?)), ?, ?"
        " FROM webhooks w JOIN communities c ON c.id = w.community_id"
        " WHERE w.community_id = ? AND w.enabled = 1";
    Step s(*c_, sql);
    s.bind(e.kind).bind(e.streamId).bind(e.seq).bind(e.type).bind(body).bind(e.actorUser);
    s.bind(e.at).bind(e.at).bind(communityId);
    s.run();
  }

 private:
  void open() {
    if (sqlite3_get_autocommit(c_->handle()))
      throw StorageError("write transaction used after commit or after a failed commit");
  }

  void writeHandlers(const Item& item, bool replace) {
    if (replace) Step(*c_, Hot::DeleteHandlers).bind(item.id).run();
    int ord = 0;
    for (const auto& h : item.handlers) {
      Step s(*c_, Hot::InsertHandler);
      s.bind(item.id).bind(h.party).bind(h.lead).bind(h.done).bind(ord++);
      try {
        s.run();
      } catch (const Conflict&) {
        throw Invalid(Msg("Party \"{1}\" is listed twice as a handler.").arg(h.party));
      }
    }
  }

  void writePositions(const Item& item, bool replace) {
    if (replace) Step(*c_, Hot::DeletePositions).bind(item.id).run();
    int ord = 0;
    for (const auto& p : item.positions) {
      Step s(*c_, Hot::InsertPosition);
      s.bind(item.id).bind(p.party).bind(p.stance).bind(p.reason).bind(p.at).bind(p.userId);
      s.bind(ord++);
      try {
        s.run();
      } catch (const Conflict&) {
        throw Invalid(Msg("Two positions for one party: \"{1}\".").arg(p.party));
      }
    }
  }

  // Each item's totals row as this transaction last saw it (loadItem, updateItem).
  std::map<int64_t, ScoreRow> scored_;
  std::unique_lock<std::timed_mutex> slot_;  // declared first: released after the lease
  ConnectionPool::Lease c_;
};

}  // namespace

std::unique_ptr<WriteTx> beginSqlWriteTx(std::unique_lock<std::timed_mutex> slot,
                                         ConnectionPool::Lease lease) {
  return std::make_unique<SqlWriteTx>(std::move(slot), std::move(lease));
}

}  // namespace liufang::model::sql
