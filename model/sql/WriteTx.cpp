// The SQLite write transaction (see WriteTx.h).
#include "model/sql/WriteTx.h"

#include <spdlog/spdlog.h>

#include "model/Errors.h"
#include "model/sql/Columns.h"
#include "model/sql/MeetingRows.h"

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
    return item.id;
  }

  void updateItem(const Item& item, int64_t expectedVersion, bool handlersChanged,
                  bool positionsChanged) override {
    open();
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

  std::unique_lock<std::timed_mutex> slot_;  // declared first: released after the lease
  ConnectionPool::Lease c_;
};

}  // namespace

std::unique_ptr<WriteTx> beginSqlWriteTx(std::unique_lock<std::timed_mutex> slot,
                                         ConnectionPool::Lease lease) {
  return std::make_unique<SqlWriteTx>(std::move(slot), std::move(lease));
}

}  // namespace liufang::model::sql
