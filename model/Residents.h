#pragma once
// Residents' requests (居民点单) and the public board (公示): the request projection, and the
// store part that reads requests and board rows and keeps items off the board. Part of
// model::Store (Store.h); the request's write side is in WriteTx (StreamStore.h).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/Types.h"

namespace liufang::model {

// The request projection: what a "request" stream's log adds up to. state is one of
// submitted, screened, answered, rejected. contact is personal data: stored apart
// (request_contacts), outside the log, and read only for the convener (requestContact).
struct Request {
  int64_t id = 0;
  int64_t communityId = 0;
  std::string number;  // tracking number, e.g. "TYJ-2026-0042"
  std::string title;
  std::string description;
  std::string location;
  std::string contact;  // set on submission only; never loaded with the projection
  std::string state = "submitted";
  std::string reply;         // the public reply (every path out of submitted has one)
  std::string rejectReason;  // spam | abusive | other, when rejected
  int64_t itemId = 0;        // the item it was screened into
  std::string createdAt, updatedAt, repliedAt;
  int64_t version = 0;
  std::string lastHash;
};

// A page of requests of one community.
struct RequestQuery {
  int64_t communityId = 0;
  std::string state;    // empty: any
  int64_t afterId = 0;  // keyset: ids below this (newest first)
  int limit = 50;
};

// A page of a community's public board: items that reached a decision or a response, not
// kept off the board, newest change first.
struct BoardQuery {
  int64_t communityId = 0;
  std::string state;    // top-level state: assignment, deadline, followup, closed; empty: any
  std::string party;    // lead party code; empty: any
  std::string month;    // YYYY-MM of the last change (UTC); empty: any
  int64_t afterId = 0;  // keyset: ids below this
  int limit = 20;
};

// Why an item is off the board.
struct BoardExclusion {
  int64_t itemId = 0;
  std::string reason;
  int64_t userId = 0;
  std::string at;
};

class ResidentStore {
 public:
  virtual ~ResidentStore() = default;

  // ---- requests (read side)
  virtual std::optional<Request> findRequest(int64_t id) = 0;
  virtual std::optional<Request> findRequestByNumber(const std::string& number) = 0;
  virtual std::vector<int64_t> requestIds() = 0;
  virtual std::vector<Request> listRequests(const RequestQuery& q) = 0;
  // The contact left with a request, "" if none.
  virtual std::string requestContact(int64_t requestId) = 0;
  // The tracking-number prefix of a community (set, or its code in capitals).
  virtual std::string requestPrefix(int64_t communityId) = 0;
  // Sets it. Throws Invalid unless it is 1-8 characters A-Z, 0-9.
  virtual void setRequestPrefix(int64_t communityId, const std::string& prefix) = 0;
  // The number the next request of that year would get (nothing is allocated).
  virtual std::string peekRequestNumber(int64_t communityId, int year) = 0;

  // ---- the public board
  virtual std::vector<Item> boardItems(const BoardQuery& q) = 0;
  // Items of a community kept off the board.
  virtual std::vector<BoardExclusion> boardExclusions(int64_t communityId) = 0;
  virtual std::optional<BoardExclusion> boardExclusion(int64_t itemId) = 0;
  // Keeps an item off the board (hidden) or puts it back, and logs who did it, when and why,
  // in one transaction. Throws Conflict when it is already so.
  virtual void setBoardHidden(int64_t itemId, bool hidden, const std::string& reason,
                              int64_t userId, const std::string& at) = 0;
};

// "TYJ-2026-0042".
std::string formatRequestNumber(const std::string& prefix, int year, int64_t seq);

}  // namespace liufang::model
