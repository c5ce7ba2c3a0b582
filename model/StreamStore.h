#pragma once
// The event streams and the items they project: the write transaction (the Engine's only way
// to change an item) and the item and stream reads. Part of model::Store (Store.h).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/Residents.h"
#include "model/Types.h"

namespace liufang::model {

// One write transaction: BEGIN IMMEDIATE on SQLite, so writers never deadlock on upgrade.
// Destroying it without commit() rolls back; nothing half-written reaches the database.
class WriteTx {
 public:
  virtual ~WriteTx() = default;
  // The item with handlers and positions; nullopt if there is none. utcOffsetMinutes, if
  // given, receives its community's UTC offset (read in the same statement).
  virtual std::optional<Item> loadItem(int64_t id, int* utcOffsetMinutes = nullptr) = 0;
  // Inserts a new item (id assigned and written back into item). Returns the id.
  virtual int64_t insertItem(Item& item) = 0;
  // Writes the projection if its stored version is still expectedVersion; throws
  // liufang::Conflict otherwise. Handlers/positions are rewritten only when flagged.
  virtual void updateItem(const Item& item, int64_t expectedVersion, bool handlersChanged,
                          bool positionsChanged) = 0;
  // Appends one event row to its stream; throws liufang::Conflict if (kind, id, seq) exists.
  virtual void appendEvent(const EventRecord& e) = 0;
  // Makes everything durable (per the synchronous setting). Throws StorageError on failure.
  virtual void commit() = 0;
  // The community's UTC offset in minutes, read inside this transaction; nullopt if unknown.
  virtual std::optional<int> utcOffsetOf(int64_t communityId) = 0;

  // ---- residents' requests (the "request" kind; see model/Residents.h)
  // The request without its contact; utcOffsetMinutes as for loadItem.
  virtual std::optional<Request> loadRequest(int64_t id, int* utcOffsetMinutes = nullptr) = 0;
  // Allocates the next tracking number of the community and year, then inserts the request
  // (id and number written back) and its contact, if any.
  virtual int64_t insertRequest(Request& request, int year) = 0;
  // As updateItem: throws liufang::Conflict unless the stored version is expectedVersion.
  virtual void updateRequest(const Request& request, int64_t expectedVersion) = 0;
  // Stores a request rebuilt by replay (import) with its id and number as they were, and moves
  // the community's counter and prefix on to that number. Throws Conflict if the id is taken.
  virtual void importRequest(const Request& request) = 0;
  // ---- meetings (the second machine kind), as for items
  // The meeting with its agenda, attendance, signatures and errata; nullopt if none.
  virtual std::optional<Meeting> loadMeeting(int64_t id, int* utcOffsetMinutes = nullptr) = 0;
  // Inserts a new meeting and its child rows (id written back). Returns the id.
  virtual int64_t insertMeeting(Meeting& m) = 0;
  // Writes the meeting if its stored version is still expectedVersion (else Conflict);
  // rewrites the child rows when childrenChanged.
  virtual void updateMeeting(const Meeting& m, int64_t expectedVersion, bool childrenChanged) = 0;
  // ---- inbox: one notice per resolved recipient of the appended event `row` (one statement).
  virtual void addNotices(const EventRecord& row, int64_t communityId, const NoticeTo& to) = 0;
  // ---- webhook outbox (migration 011): one delivery of `row` if its community has an enabled
  // webhook, else nothing (one statement either way). `body` is the JSON object without the
  // community's code and the actor's name, which the statement adds as "community" and
  // "actor.name".
  virtual void enqueueWebhook(const EventRecord& row, int64_t communityId,
                              const std::string& body) = 0;
};

// Items and the event log of every machine kind.
class StreamStore {
 public:
  virtual ~StreamStore() = default;

  // ---- transactions (the Engine is the only caller for items)
  virtual std::unique_ptr<WriteTx> beginWrite() = 0;

  // ---- items (read side)
  virtual std::optional<Item> findItem(int64_t id) = 0;
  // Every item id, ascending.
  virtual std::vector<int64_t> itemIds() = 0;
  // Every meeting id, ascending.
  virtual std::vector<int64_t> meetingIds() = 0;
  // ---- streams (the event log of every machine kind)
  // A stream's event log in seq order (empty if it has none).
  virtual std::vector<EventRecord> events(const StreamRef& stream) = 0;
  // An item's event log in seq order.
  std::vector<EventRecord> events(int64_t itemId) { return events(StreamRef{"item", itemId}); }
  // The ids of every stream of a kind that has at least one event, ascending.
  virtual std::vector<int64_t> streamIds(const std::string& kind) = 0;
};

}  // namespace liufang::model
